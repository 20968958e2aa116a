use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use shared::auth::Role;
use shared::auth::tokens::{Claims, TokenIssuer, generate_key_pair};
use sqlx::PgPool;
use testkit::{TestApp, TestResponse, test_audience};
use uuid::Uuid;

async fn register(app: &TestApp, email: &str, password: &str) -> TestResponse {
    app.post("/auth/register")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

async fn login(app: &TestApp, email: &str, password: &str) -> TestResponse {
    app.post("/auth/login")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

async fn me(app: &TestApp, token: &str) -> TestResponse {
    app.get("/auth/me").bearer(token).send().await
}

#[sqlx::test(migrations = "../migrations")]
async fn register_login_me(db: PgPool) {
    let app = TestApp::new(db);
    let created = register(&app, "ada@example.com", "correct horse")
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created.body["email"], "ada@example.com");
    assert_eq!(created.body["role"], "customer");
    assert!(created.body.get("password_hash").is_none());
    Uuid::parse_str(&created.id()).expect("uuid id");

    let token = login(&app, "ADA@example.com", "correct horse")
        .await
        .expect(StatusCode::OK);
    assert_eq!(token.body["token_type"], "Bearer");
    let expires_in = token.body["expires_in"].as_u64().expect("expires_in");
    assert!(expires_in > 0 && expires_in <= 3600);

    let access = token.body["access_token"].as_str().expect("token");
    let who = me(&app, access).await.expect(StatusCode::OK);
    assert_eq!(who.body, created.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn duplicate_email_in_any_case_is_409(db: PgPool) {
    let app = TestApp::new(db);
    register(&app, "ada@example.com", "correct horse")
        .await
        .expect(StatusCode::CREATED);
    register(&app, "Ada@EXAMPLE.com", "another password")
        .await
        .expect_problem(StatusCode::CONFLICT);
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_registrations_are_422_with_fields(db: PgPool) {
    let app = TestApp::new(db);
    let cases = [
        ("not-an-email", "correct horse", "email"),
        ("ada@example.com", "short", "password"),
        ("ada@example.com", &"x".repeat(257), "password"),
    ];
    for (email, password, field) in cases {
        let response = register(&app, email, password)
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.body["errors"][0]["field"], field, "{email}");
    }
    let missing = app
        .post("/auth/register")
        .json(&json!({"email": "ada@example.com"}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["errors"].is_array());
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_json_and_wrong_content_type_are_400(db: PgPool) {
    let app = TestApp::new(db);
    app.post("/auth/register")
        .raw_body("application/json", "{\"email\": ")
        .send()
        .await
        .expect_problem(StatusCode::BAD_REQUEST);
    app.post("/auth/register")
        .raw_body("text/plain", r#"{"email":"a@b.co","password":"12345678"}"#)
        .send()
        .await
        .expect_problem(StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = "../migrations")]
async fn bodies_over_one_mib_are_413(db: PgPool) {
    let app = TestApp::new(db);
    let huge = format!(
        r#"{{"email":"a@b.co","password":"{}"}}"#,
        "x".repeat(1024 * 1024)
    );
    app.post("/auth/register")
        .raw_body("application/json", huge)
        .send()
        .await
        .expect_problem(StatusCode::PAYLOAD_TOO_LARGE);
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_email_and_wrong_password_look_the_same(db: PgPool) {
    let app = TestApp::new(db);
    register(&app, "ada@example.com", "correct horse")
        .await
        .expect(StatusCode::CREATED);
    let wrong = login(&app, "ada@example.com", "wrong horse")
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    let unknown = login(&app, "bob@example.com", "correct horse")
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
}

#[sqlx::test(migrations = "../migrations")]
async fn me_without_a_token_is_401_with_challenge(db: PgPool) {
    let app = TestApp::new(db);
    let response = app
        .get("/auth/me")
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    app.get("/auth/me")
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    me(&app, "not.a.jwt")
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn claims_for(user: Uuid, role: &str, exp_offset: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": user, "role": role, "iat": now, "exp": now + exp_offset,
           "iss": "shop-auth", "aud": "shop-api", "sv": 1})
}

/// A token signed with HMAC-SHA256 under `key`, put together by hand: the shop's JWT crypto
/// signs EdDSA only, and this is a forgery its verifier must refuse.
fn hs256_token(claims: &Value, key: &[u8]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("{header}.{body}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{header}.{body}.{signature}")
}

#[sqlx::test(migrations = "../migrations")]
async fn forged_tokens_are_401(db: PgPool) {
    let app = TestApp::new(db);
    let (user, valid) = app.customer().await;
    me(&app, &valid).await.expect(StatusCode::OK);

    // alg: none, no signature.
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims_for(user, "admin", 600))
    );
    me(&app, &none)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);

    // Tampered claims under the original signature: customer → admin.
    let parts: Vec<&str> = valid.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(&claims_for(user, "admin", 600)),
        parts[2]
    );
    me(&app, &tampered)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);

    // Signed by a different Ed25519 key.
    let (other_private, _) = generate_key_pair().expect("keys");
    let stranger = TokenIssuer::from_pem(
        other_private.as_bytes(),
        test_audience(),
        shared::auth::tokens::MAX_TTL,
    )
    .expect("issuer")
    .issue(user, Role::Admin, 1)
    .expect("token");
    me(&app, &stranger)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);

    // HMAC keyed with the app's own public key (the classic algorithm-confusion attack).
    let hmac = hs256_token(
        &claims_for(user, "admin", 600),
        app.public_key_pem.as_bytes(),
    );
    me(&app, &hmac)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn expired_tokens_are_401(db: PgPool) {
    let app = TestApp::new(db);
    let (user, _) = app.customer().await;
    let now = chrono::Utc::now().timestamp();
    let expired = Claims {
        sub: user,
        role: Role::Customer,
        iat: now - 7200,
        exp: now - 3600,
        iss: "shop-auth".into(),
        aud: "shop-api".into(),
        sv: 1,
    };
    // Signed with the app's own key: only the expiry is wrong.
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA),
        &expired,
        &jsonwebtoken::EncodingKey::from_ed_pem(app.private_key_pem.as_bytes()).expect("key"),
    )
    .expect("token");
    me(&app, &token)
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_bootstrap_creates_then_promotes_idempotently(db: PgPool) {
    let app = TestApp::new(db.clone());
    register(&app, "Boss@example.com", "customer password")
        .await
        .expect(StatusCode::CREATED);
    for _ in 0..2 {
        shared::auth::bootstrap::ensure_admin(&db, "boss@example.com", "admin password")
            .await
            .expect("bootstrap");
    }
    // The account was promoted in place and its password is now the configured one.
    login(&app, "boss@example.com", "customer password")
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    let token = login(&app, "boss@example.com", "admin password")
        .await
        .expect(StatusCode::OK);
    let who = me(&app, token.body["access_token"].as_str().expect("token"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(who.body["role"], "admin");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM auth.users")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(count, 1);
}
