//! The webhook routes (admin): endpoints with a secret shown once and kept sealed, validation,
//! the deployed stack's refusal of private receivers, deliveries and staff retries.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use shared::state::AppState;
use shared::webhooks::secrets::SecretsKey;
use shared::webhooks::target::TargetPolicy;
use sqlx::PgPool;
use testkit::{TEST_WEBHOOK_KEY, TestApp, test_webhook_parts};
use uuid::Uuid;

async fn create(app: &TestApp, token: &str, body: Value) -> testkit::TestResponse {
    app.post("/webhooks").bearer(token).json(&body).send().await
}

/// An endpoint on a loopback receiver (allowed in tests as on the local stack); returns its id.
pub async fn endpoint(app: &TestApp, admin: &str, url: &str, events: &[&str]) -> Uuid {
    let created = create(app, admin, json!({"url": url, "events": events}))
        .await
        .expect(StatusCode::CREATED);
    Uuid::parse_str(&created.id()).expect("an endpoint id")
}

#[sqlx::test(migrations = "../migrations")]
async fn an_endpoint_shows_its_secret_once_and_the_row_keeps_it_sealed(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let created = create(
        &app,
        &admin,
        json!({"url": "http://127.0.0.1:8250/hook", "events": ["order.created", "product.low_stock"]}),
    )
    .await
    .expect(StatusCode::CREATED);
    let secret = created.body["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(created.body["url"], "http://127.0.0.1:8250/hook");
    assert_eq!(
        created.body["events"],
        json!(["order.created", "product.low_stock"])
    );
    assert_eq!(created.body["active"], true);
    assert!(created.body["created_at"].is_string());
    let id = Uuid::parse_str(&created.id()).expect("uuid");

    let listed = app
        .get("/webhooks")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.body["items"][0]["id"], id.to_string());
    assert!(listed.body["items"][0].get("secret").is_none());
    assert!(!listed.body.to_string().contains(&secret));

    // Nothing readable in the row: neither the secret's text nor its key bytes.
    let row: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT convert_to(to_jsonb(e)::text, 'UTF8') FROM webhooks.endpoints e WHERE id = $1",
    )
    .bind(id)
    .fetch_all(&db)
    .await
    .expect("the row");
    let text = String::from_utf8_lossy(&row[0]).into_owned();
    assert!(
        !text.contains(&secret[6..]),
        "the secret is readable: {text}"
    );
    let sealed: Vec<u8> =
        sqlx::query_scalar("SELECT secret_sealed FROM webhooks.endpoints WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .expect("sealed");
    let key_bytes = shared::webhooks::secrets::signing_key(&secret).expect("key");
    assert!(
        !sealed
            .windows(8)
            .any(|w| key_bytes.windows(8).any(|k| k == w))
    );
    assert!(
        !sealed
            .windows(8)
            .any(|w| secret.as_bytes().windows(8).any(|k| k == w))
    );
    // Only the key opens it.
    let key = SecretsKey::from_bytes(&TEST_WEBHOOK_KEY).expect("key");
    assert_eq!(key.open(id, &sealed).expect("opens"), secret);
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_endpoints_are_422_naming_every_field(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let both = create(
        &app,
        &admin,
        json!({"url": "ftp://hooks.example.com", "events": ["order.created", "order.shipped"]}),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(both.error_fields(), vec!["events[1]", "url"]);

    for (body, field) in [
        (
            json!({"url": "http://127.0.0.1:8250", "events": []}),
            "events",
        ),
        (
            json!({"url": "not a url", "events": ["order.created"]}),
            "url",
        ),
        (
            json!({"url": "http://hooks.example.com/x", "events": ["order.created"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@127.0.0.1/x", "events": ["order.created"]}),
            "url",
        ),
        (
            json!({"url": "http://10.0.0.7/x", "events": ["order.created"]}),
            "url",
        ),
        (
            json!({"url": "http://127.0.0.1/x", "events": "order.created"}),
            "events",
        ),
        (json!({"events": ["order.created"]}), ""),
    ] {
        let answer = create(&app, &admin, body.clone())
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer.error_fields().iter().any(|f| f.starts_with(field)),
            "{body}: {}",
            answer.body
        );
    }
    let url = format!("https://hooks.example.com/{}", "x".repeat(2048));
    create(
        &app,
        &admin,
        json!({"url": url, "events": ["order.created"]}),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    create(
        &app,
        &admin,
        json!({"url": "http://127.0.0.1/x", "events": ["order.created"], "secret": "mine"}),
    )
    .await
    .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deployed_stack_refuses_private_loopback_link_local_and_metadata_receivers(db: PgPool) {
    let app = TestApp::new(db.clone());
    let deployed = AppState {
        webhooks: Some(test_webhook_parts(TargetPolicy::DEPLOYED)),
        ..app.state.clone()
    };
    let deployed = TestApp::with_state(
        deployed,
        app.private_key_pem.clone(),
        app.public_key_pem.clone(),
    );
    let (_, admin) = deployed.admin().await;
    for url in [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://172.20.0.1/hook",
        "https://192.168.0.10/hook",
        "https://100.64.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00:ec2::254]/hook",
        "https://[::1]/hook",
        "https://0.0.0.0/hook",
        "http://127.0.0.1:8250/hook",
    ] {
        let answer = create(
            &deployed,
            &admin,
            json!({"url": url, "events": ["order.created"]}),
        )
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.error_fields(), vec!["url"], "{url}: {}", answer.body);
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM webhooks.endpoints")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(count, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_reach_the_webhook_routes(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let id = endpoint(&app, &admin, "http://127.0.0.1:8250/", &["order.created"]).await;
    let delivery = Uuid::now_v7();
    let routes = [
        (Method::POST, "/webhooks".to_owned()),
        (Method::GET, "/webhooks".to_owned()),
        (Method::PATCH, format!("/webhooks/{id}")),
        (Method::DELETE, format!("/webhooks/{id}")),
        (Method::GET, format!("/webhooks/{id}/deliveries")),
        (
            Method::POST,
            format!("/webhooks/{id}/deliveries/{delivery}/retry"),
        ),
    ];
    for (method, path) in routes {
        let body = json!({"url": "http://127.0.0.1:8250/", "events": ["order.created"]});
        let anonymous = app.request(method.clone(), &path).json(&body).send().await;
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
        assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
        app.request(method.clone(), &path)
            .bearer(&customer)
            .json(&body)
            .send()
            .await
            .expect_problem(StatusCode::FORBIDDEN);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn endpoints_are_updated_paged_and_deleted(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let first = endpoint(&app, &admin, "http://127.0.0.1:8251/", &["order.created"]).await;
    let second = endpoint(&app, &admin, "http://localhost:8252/", &["order.cancelled"]).await;

    let patched = app
        .request(Method::PATCH, &format!("/webhooks/{first}"))
        .bearer(&admin)
        .json(&json!({"events": ["order.fulfilled", "purchase_order.received"], "active": false}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        patched.body["events"],
        json!(["order.fulfilled", "purchase_order.received"])
    );
    assert_eq!(patched.body["active"], false);
    assert_eq!(patched.body["url"], "http://127.0.0.1:8251/");
    let only_active = app
        .request(Method::PATCH, &format!("/webhooks/{first}"))
        .bearer(&admin)
        .json(&json!({"active": true}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(only_active.body["events"], patched.body["events"]);
    for bad in [
        json!({"events": ["nope"]}),
        json!({"events": []}),
        json!({"url": "http://127.0.0.1:9/"}),
        json!({"active": "yes"}),
    ] {
        app.request(Method::PATCH, &format!("/webhooks/{first}"))
            .bearer(&admin)
            .json(&bad)
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    }
    app.request(Method::PATCH, &format!("/webhooks/{}", Uuid::now_v7()))
        .bearer(&admin)
        .json(&json!({"active": true}))
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);

    let page = app
        .get("/webhooks?limit=1")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(page.body["items"][0]["id"], second.to_string());
    let cursor = page.body["next_cursor"].as_str().expect("another page");
    let rest = app
        .get(&format!("/webhooks?limit=1&cursor={cursor}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(rest.body["items"][0]["id"], first.to_string());
    assert!(rest.body["next_cursor"].is_null());
    app.get("/webhooks?limit=0")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);

    app.request(Method::DELETE, &format!("/webhooks/{first}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    app.request(Method::DELETE, &format!("/webhooks/{first}"))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    let left = app
        .get("/webhooks")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(left.body["items"].as_array().map(Vec::len), Some(1));
}

/// A delivery of a fresh event to `endpoint`, written directly, in `status`.
pub async fn a_delivery(db: &PgPool, endpoint: Uuid, status: &str) -> Uuid {
    let event = Uuid::now_v7();
    sqlx::query("INSERT INTO webhooks.events (id, type, data) VALUES ($1, 'order.created', '{}')")
        .bind(event)
        .execute(db)
        .await
        .expect("event");
    let delivery = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO webhooks.deliveries (id, event_id, endpoint_id, status, attempts, round_attempts,
                                          last_status_code, last_error)
         VALUES ($1, $2, $3, $4, 8, 8, 500, 'the receiver answered 500')",
    )
    .bind(delivery)
    .bind(event)
    .bind(endpoint)
    .bind(status)
    .execute(db)
    .await
    .expect("delivery");
    delivery
}

#[sqlx::test(migrations = "../migrations")]
async fn deliveries_are_listed_by_status_and_only_failed_ones_retried(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let id = endpoint(&app, &admin, "http://127.0.0.1:8253/", &["order.created"]).await;
    let failed = a_delivery(&db, id, "failed").await;
    let delivered = a_delivery(&db, id, "delivered").await;

    let all = app
        .get(&format!("/webhooks/{id}/deliveries"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(2));
    let newest = &all.body["items"][0];
    assert_eq!(newest["id"], delivered.to_string());
    for member in [
        "id",
        "event_id",
        "type",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "created_at",
    ] {
        assert!(newest.get(member).is_some(), "{member} in {newest}");
    }
    assert_eq!(newest["type"], "order.created");
    assert!(
        newest["next_attempt_at"].is_null(),
        "nothing is due once delivered"
    );
    let only_failed = app
        .get(&format!("/webhooks/{id}/deliveries?status=failed"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(only_failed.body["items"][0]["id"], failed.to_string());
    assert_eq!(only_failed.body["items"].as_array().map(Vec::len), Some(1));
    let invalid = app
        .get(&format!("/webhooks/{id}/deliveries?status=lost&limit=500"))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.error_fields(), vec!["status", "limit"]);
    app.get(&format!("/webhooks/{}/deliveries", Uuid::now_v7()))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);

    let retried = app
        .post(&format!("/webhooks/{id}/deliveries/{failed}/retry"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(retried.body["status"], "pending");
    assert!(retried.body["next_attempt_at"].is_string());
    let (round, queued): (i32, Option<chrono::DateTime<chrono::Utc>>) =
        sqlx::query_as("SELECT round_attempts, queued_at FROM webhooks.deliveries WHERE id = $1")
            .bind(failed)
            .fetch_one(&db)
            .await
            .expect("row");
    assert_eq!(round, 0, "a retry starts a fresh schedule");
    assert!(queued.is_none(), "the relay queues it next");

    for (delivery, status) in [
        (failed, StatusCode::CONFLICT),
        (delivered, StatusCode::CONFLICT),
    ] {
        app.post(&format!("/webhooks/{id}/deliveries/{delivery}/retry"))
            .bearer(&admin)
            .send()
            .await
            .expect_problem(status);
    }
    let other = endpoint(&app, &admin, "http://127.0.0.1:8254/", &["order.created"]).await;
    app.post(&format!("/webhooks/{other}/deliveries/{failed}/retry"))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}
