//! Sessions end when the account changes: every token is checked against the account's
//! current role, disabled flag and session version on every request.

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::auth::tokens::Claims;
use shared::auth::{Role, users};
use sqlx::PgPool;
use testkit::{TestApp, TestResponse};
use uuid::Uuid;

fn product(sku: &str) -> Value {
    json!({"sku": sku, "name": "Mug", "price_cents": 900, "stock": 5})
}

async fn create_product(app: &TestApp, token: &str, sku: &str) -> TestResponse {
    app.post("/products")
        .bearer(token)
        .json(&product(sku))
        .send()
        .await
}

async fn order(app: &TestApp, token: &str, product_id: &str) -> TestResponse {
    app.post("/orders")
        .bearer(token)
        .json(&json!({"items": [{"product_id": product_id, "quantity": 1}]}))
        .send()
        .await
}

async fn list_orders(app: &TestApp, token: &str) -> TestResponse {
    app.get("/orders").bearer(token).send().await
}

/// A token with these claims, signed by the app's real key.
fn signed(app: &TestApp, claims: &Claims) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA),
        claims,
        &jsonwebtoken::EncodingKey::from_ed_pem(app.private_key_pem.as_bytes()).expect("key"),
    )
    .expect("token")
}

fn claims(sub: Uuid, iat: i64, exp: i64) -> Claims {
    Claims {
        sub,
        role: Role::Admin,
        iat,
        exp,
        iss: "shop-auth".into(),
        aud: "shop-api".into(),
        sv: 1,
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn logout_ends_every_earlier_token(db: PgPool) {
    let app = TestApp::new(db);
    let email = "ada@example.com";
    app.post("/auth/register")
        .json(&json!({"email": email, "password": "correct horse"}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let signed_in = app
            .post("/auth/login")
            .json(&json!({"email": email, "password": "correct horse"}))
            .send()
            .await
            .expect(StatusCode::OK);
        tokens.push(
            signed_in.body["access_token"]
                .as_str()
                .expect("token")
                .to_owned(),
        );
    }
    app.post("/auth/logout")
        .bearer(&tokens[0])
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    for token in &tokens {
        app.get("/auth/me")
            .bearer(token)
            .send()
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
        list_orders(&app, token)
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
        app.post("/auth/logout")
            .bearer(token)
            .send()
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
    }
    // Signing in again gives a working token.
    let again = app
        .post("/auth/login")
        .json(&json!({"email": email, "password": "correct horse"}))
        .send()
        .await
        .expect(StatusCode::OK);
    app.get("/auth/me")
        .bearer(again.body["access_token"].as_str().expect("token"))
        .send()
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_demoted_in_the_database_loses_admin_routes_at_once(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin, token) = app.admin().await;
    create_product(&app, &token, "MUG-1")
        .await
        .expect(StatusCode::CREATED);
    sqlx::query("UPDATE auth.users SET role = 'customer' WHERE id = $1")
        .bind(admin)
        .execute(&db)
        .await
        .expect("demote");
    create_product(&app, &token, "MUG-2")
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    app.get("/orders?scope=all")
        .bearer(&token)
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    // The account itself still works with a token issued after the change, as a customer.
    let fresh = app.token_for(admin).await;
    create_product(&app, &fresh, "MUG-3")
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    list_orders(&app, &fresh).await.expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_promoted_customer_needs_a_new_token(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (customer, token) = app.customer().await;
    sqlx::query("UPDATE auth.users SET role = 'admin' WHERE id = $1")
        .bind(customer)
        .execute(&db)
        .await
        .expect("promote");
    create_product(&app, &token, "MUG-1")
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    let fresh = app.token_for(customer).await;
    create_product(&app, &fresh, "MUG-1")
        .await
        .expect(StatusCode::CREATED);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_disabled_account_is_401_everywhere(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin, token) = app.admin().await;
    sqlx::query("UPDATE auth.users SET disabled = true WHERE id = $1")
        .bind(admin)
        .execute(&db)
        .await
        .expect("disable");
    create_product(&app, &token, "MUG-1")
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    list_orders(&app, &token)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    app.get("/auth/me")
        .bearer(&token)
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_disabled_account_cannot_sign_in(db: PgPool) {
    let app = TestApp::new(db.clone());
    let email = "ada@example.com";
    app.post("/auth/register")
        .json(&json!({"email": email, "password": "correct horse"}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    sqlx::query("UPDATE auth.users SET disabled = true WHERE email = $1")
        .bind(email)
        .execute(&db)
        .await
        .expect("disable");
    app.post("/auth/login")
        .json(&json!({"email": email, "password": "correct horse"}))
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deleted_account_is_401_not_500(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let product = create_product(&app, &admin, "MUG-1")
        .await
        .expect(StatusCode::CREATED)
        .id();
    let (customer, token) = app.customer().await;
    sqlx::query("DELETE FROM auth.users WHERE id = $1")
        .bind(customer)
        .execute(&db)
        .await
        .expect("delete");
    order(&app, &token, &product)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    list_orders(&app, &token)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn tokens_that_no_login_issues_are_401(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin_token) = app.admin().await;
    let product = create_product(&app, &admin_token, "MUG-1")
        .await
        .expect(StatusCode::CREATED)
        .id();
    let (admin, _) = app.admin().await;
    let now = chrono::Utc::now().timestamp();
    let nobody = signed(&app, &claims(Uuid::now_v7(), now, now + 600));
    let a_year_long = signed(&app, &claims(admin, now, now + 365 * 86_400));
    let from_tomorrow = signed(&app, &claims(admin, now + 86_400, now + 86_400 + 600));
    for token in [&nobody, &a_year_long, &from_tomorrow] {
        order(&app, token, &product)
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
        list_orders(&app, token)
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
        create_product(&app, token, "MUG-2")
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
    }
    // The same claims with an honest lifetime are accepted: only the lifetime was wrong.
    let honest = signed(&app, &claims(admin, now, now + 600));
    list_orders(&app, &honest).await.expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn login_issues_the_current_session_version(db: PgPool) {
    let app = TestApp::new(db.clone());
    let email = "ada@example.com";
    app.post("/auth/register")
        .json(&json!({"email": email, "password": "correct horse"}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let account = users::find_by_email(&db, email)
        .await
        .expect("lookup")
        .expect("exists");
    shared::auth::session::end_all(&db, account.user.id)
        .await
        .expect("end sessions");
    let signed_in = app
        .post("/auth/login")
        .json(&json!({"email": email, "password": "correct horse"}))
        .send()
        .await
        .expect(StatusCode::OK);
    let token = signed_in.body["access_token"].as_str().expect("token");
    let claims = app.state.tokens.verify(token).expect("valid");
    assert_eq!(claims.sv, account.session_version + 1);
}
