//! Sign-in and registration are throttled in Postgres: per email, per source address, and
//! registrations per source address, in windows that end by themselves.

use axum::http::StatusCode;
use serde_json::json;
use shared::auth::throttle::{self, Bound, Limits};
use sqlx::PgPool;
use testkit::{TestApp, TestResponse};

const PASSWORD: &str = "correct horse";

async fn register(app: &TestApp, email: &str) {
    app.post("/auth/register")
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect(StatusCode::CREATED);
}

async fn login_from(app: &TestApp, source: &str, email: &str, password: &str) -> TestResponse {
    app.post("/auth/login")
        .source_ip(source)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

fn retry_after(response: &TestResponse) -> u64 {
    response
        .header("retry-after")
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After in seconds: {:?}", response.headers))
}

#[sqlx::test(migrations = "../migrations")]
async fn ten_failures_for_an_email_lock_it_even_for_the_right_password(db: PgPool) {
    let app = TestApp::new(db.clone());
    register(&app, "ada@example.com").await;
    register(&app, "bob@example.com").await;
    for _ in 0..10 {
        login_from(&app, "198.51.100.1", "ada@example.com", "wrong horse")
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
    }
    for password in [PASSWORD, "wrong horse"] {
        // Another letter case and another address: still the same email.
        let refused = login_from(&app, "198.51.100.2", "ADA@example.com", password)
            .await
            .expect_problem(StatusCode::TOO_MANY_REQUESTS);
        let wait = retry_after(&refused);
        assert!((1..=900).contains(&wait), "{wait}");
    }
    // Every other account signs in as usual.
    login_from(&app, "198.51.100.1", "bob@example.com", PASSWORD)
        .await
        .expect(StatusCode::OK);

    // Once the window has passed, the right password works again.
    sqlx::query(
        "UPDATE auth.attempt_windows SET window_start = window_start - interval '16 minutes'
         WHERE scope = 'login-email'",
    )
    .execute(&db)
    .await
    .expect("age the window");
    login_from(&app, "198.51.100.1", "ada@example.com", PASSWORD)
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn successful_sign_ins_do_not_count(db: PgPool) {
    let app = TestApp::new(db);
    register(&app, "ada@example.com").await;
    for _ in 0..15 {
        login_from(&app, "198.51.100.1", "ada@example.com", PASSWORD)
            .await
            .expect(StatusCode::OK);
    }
    for _ in 0..9 {
        login_from(&app, "198.51.100.1", "ada@example.com", "wrong horse")
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
    }
    login_from(&app, "198.51.100.1", "ada@example.com", PASSWORD)
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn twenty_parallel_wrong_guesses_cannot_slip_past_the_bound(db: PgPool) {
    let app = TestApp::new(db);
    register(&app, "ada@example.com").await;
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..20 {
        let request = app
            .post("/auth/login")
            .source_ip("198.51.100.1")
            .json(&json!({"email": "ada@example.com", "password": format!("guess {n:02}")}));
        guesses.spawn(async move { request.send().await.status });
    }
    let statuses = guesses.join_all().await;
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!((wrong, refused), (10, 10), "{statuses:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_source_address_past_its_bound_is_throttled_alone(db: PgPool) {
    let app = TestApp::new(db.clone());
    register(&app, "ada@example.com").await;
    let bound = Limits::DEFAULT.login_per_source;
    sqlx::query(
        "INSERT INTO auth.attempt_windows (scope, key, window_start, attempts) VALUES ($1, $2, now(), $3)",
    )
    .bind(bound.scope)
    .bind("203.0.113.9")
    .bind(bound.attempts)
    .execute(&db)
    .await
    .expect("a busy address");
    let refused = login_from(&app, "203.0.113.9", "ada@example.com", PASSWORD)
        .await
        .expect_problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&refused) <= 900);
    // The refusal did not count against the email: it signs in from elsewhere.
    login_from(&app, "203.0.113.10", "ada@example.com", PASSWORD)
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn registrations_per_source_are_bounded(db: PgPool) {
    let app = TestApp::new(db.clone());
    let bound = Limits::DEFAULT.register_per_source;
    sqlx::query(
        "INSERT INTO auth.attempt_windows (scope, key, window_start, attempts) VALUES ($1, $2, now(), $3)",
    )
    .bind(bound.scope)
    .bind("203.0.113.9")
    .bind(bound.attempts - 1)
    .execute(&db)
    .await
    .expect("a busy address");
    let register_from = |source: &'static str, email: &'static str| {
        app.post("/auth/register")
            .source_ip(source)
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
    };
    register_from("203.0.113.9", "one@example.com")
        .await
        .expect(StatusCode::CREATED);
    let refused = register_from("203.0.113.9", "two@example.com")
        .await
        .expect_problem(StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=3600).contains(&retry_after(&refused)));
    register_from("203.0.113.10", "two@example.com")
        .await
        .expect(StatusCode::CREATED);
}

#[sqlx::test(migrations = "../migrations")]
async fn windows_count_concurrently_expire_and_are_cleaned_up(db: PgPool) {
    let bound = Bound {
        scope: "test",
        attempts: 3,
        window_seconds: 60,
    };
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            throttle::take(&db, bound, "key").await.expect("take")
        }));
    }
    let mut allowed = 0;
    for task in tasks {
        if task.await.expect("task").is_none() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 3);
    let wait = throttle::take(&db, bound, "key")
        .await
        .expect("take")
        .expect("refused");
    assert!((1..=60).contains(&wait));
    assert_eq!(
        throttle::take(&db, bound, "other").await.expect("take"),
        None
    );

    sqlx::query("UPDATE auth.attempt_windows SET window_start = window_start - interval '61 seconds' WHERE key = 'key'")
        .execute(&db)
        .await
        .expect("age");
    assert_eq!(throttle::take(&db, bound, "key").await.expect("take"), None);

    sqlx::query("UPDATE auth.attempt_windows SET window_start = now() - interval '2 days' WHERE key = 'other'")
        .execute(&db)
        .await
        .expect("age");
    assert_eq!(throttle::forget_old_windows(&db).await.expect("sweep"), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn odd_emails_get_401_not_500(db: PgPool) {
    let app = TestApp::new(db);
    for email in ["a\u{0}@b.co", &"a".repeat(300)] {
        login_from(&app, "198.51.100.1", email, "x")
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
    }
    app.post("/auth/register")
        .json(&json!({"email": "a\u{0}@b.co", "password": PASSWORD}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
}
