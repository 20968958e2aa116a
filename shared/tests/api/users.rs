//! Staff manage accounts: list, promote, demote, disable; never zero active admins.

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use testkit::{TestApp, TestResponse};
use uuid::Uuid;

async fn patch_user(app: &TestApp, token: &str, id: Uuid, body: Value) -> TestResponse {
    app.request(axum::http::Method::PATCH, &format!("/users/{id}"))
        .bearer(token)
        .json(&body)
        .send()
        .await
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_list_users_newest_first_with_search_and_role(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (first, _) = app.customer().await;
    let (second, _) = app.customer().await;
    let page = app
        .get("/users?limit=2")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let items = page.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], second.to_string());
    assert_eq!(items[1]["id"], first.to_string());
    assert_eq!(items[0]["disabled"], false);
    assert!(items[0].get("password_hash").is_none());
    let cursor = page.body["next_cursor"].as_str().expect("more");
    let rest = app
        .get(&format!("/users?limit=2&cursor={cursor}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(rest.body["items"][0]["role"], "admin");
    assert!(rest.body["next_cursor"].is_null());

    let admins = app
        .get("/users?role=admin")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(admins.body["items"].as_array().map(Vec::len), Some(1));

    // Part of the newest account's email, in the other letter case.
    let email = items[0]["email"].as_str().expect("email").to_owned();
    let fragment = email[20..30].to_uppercase();
    let found = app
        .get(&format!("/users?q={fragment}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(found.body["items"][0]["id"], second.to_string());
    // `%` is a letter, not a wildcard.
    let none = app
        .get("/users?q=%25")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(none.body["items"].as_array().map(Vec::len), Some(0));

    let bad = app
        .get("/users?role=owner&limit=0")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["role", "limit"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn customers_cannot_manage_users(db: PgPool) {
    let app = TestApp::new(db);
    let (me, customer) = app.customer().await;
    app.get("/users")
        .bearer(&customer)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    patch_user(&app, &customer, me, json!({"role": "admin"}))
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    app.get("/users")
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn promote_demote_and_disable_end_that_users_sessions(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (customer, customer_token) = app.customer().await;

    let promoted = patch_user(&app, &admin, customer, json!({"role": "admin"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(promoted.body["role"], "admin");
    app.get("/auth/me")
        .bearer(&customer_token)
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    let as_admin = app.token_for(customer).await;
    app.get("/users")
        .bearer(&as_admin)
        .send()
        .await
        .expect(StatusCode::OK);

    patch_user(&app, &admin, customer, json!({"role": "customer"}))
        .await
        .expect(StatusCode::OK);
    app.get("/users")
        .bearer(&as_admin)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);

    let again = app.token_for(customer).await;
    let disabled = patch_user(&app, &admin, customer, json!({"disabled": true}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(disabled.body["disabled"], true);
    app.get("/orders")
        .bearer(&again)
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_patches_are_4xx(db: PgPool) {
    let app = TestApp::new(db);
    let (admin_id, admin) = app.admin().await;
    patch_user(&app, &admin, admin_id, json!({"role": "owner"}))
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    patch_user(&app, &admin, admin_id, json!({"email": "x@y.zz"}))
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    patch_user(&app, &admin, Uuid::now_v7(), json!({"disabled": true}))
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    app.request(axum::http::Method::PATCH, "/users/not-a-uuid")
        .bearer(&admin)
        .json(&json!({}))
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_last_active_admin_cannot_be_demoted_or_disabled(db: PgPool) {
    let app = TestApp::new(db);
    let (admin_id, admin) = app.admin().await;
    for change in [json!({"role": "customer"}), json!({"disabled": true})] {
        let refused = patch_user(&app, &admin, admin_id, change)
            .await
            .expect_problem(StatusCode::CONFLICT);
        assert_eq!(refused.body["type"], "/problems/last-active-admin");
    }
    // Nothing changed: the admin's token still works.
    app.get("/users")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_admins_demoting_each_other_at_once_leave_one(db: PgPool) {
    let app = TestApp::new(db.clone());
    for _ in 0..5 {
        let (a, a_token) = app.admin().await;
        let (b, b_token) = app.admin().await;
        // Only these two are active admins.
        sqlx::query(
            "UPDATE auth.users SET disabled = true WHERE role = 'admin' AND id NOT IN ($1, $2)",
        )
        .bind(a)
        .bind(b)
        .execute(&db)
        .await
        .expect("only two admins");
        let (first, second) = tokio::join!(
            patch_user(&app, &a_token, b, json!({"role": "customer"})),
            patch_user(&app, &b_token, a, json!({"role": "customer"})),
        );
        let mut statuses = [first.status, second.status];
        statuses.sort();
        // One wins; the other is refused: 409 when it was judged after the first change, or
        // 403 when its caller had just lost the admin role.
        assert_eq!(statuses[0], StatusCode::OK, "{statuses:?}");
        assert!(
            statuses[1] == StatusCode::CONFLICT || statuses[1] == StatusCode::FORBIDDEN,
            "{statuses:?}"
        );
        let active: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM auth.users WHERE role = 'admin' AND NOT disabled",
        )
        .fetch_one(&db)
        .await
        .expect("count");
        assert_eq!(active, 1);
    }
}
