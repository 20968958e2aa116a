//! Sessions and throttled sign-in over HTTP against the running stack.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::auth::Role;
use shared::auth::tokens::Claims;

use crate::client::Stack;

async fn register(stack: &Stack) -> (String, String) {
    let email = format!("{}@example.com", uuid::Uuid::new_v4());
    let created = stack
        .call(
            Method::POST,
            "/auth/register",
            None,
            Some(json!({"email": email, "password": "correct horse"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    (email, created.body["id"].as_str().expect("id").to_owned())
}

/// A token signed with the stack's own key (`make dev` keeps it in `.local/keys/`).
fn signed(claims: &Claims) -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../.local/keys/jwt-private.pem"
    );
    let pem = std::fs::read(path).expect("the local stack's signing key");
    shared::auth::jwt_crypto::install();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA),
        claims,
        &jsonwebtoken::EncodingKey::from_ed_pem(&pem).expect("key"),
    )
    .expect("token")
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn logout_ends_the_token() {
    let stack = Stack::from_env();
    let (email, _) = register(&stack).await;
    let token = stack.login(&email, "correct horse").await;
    let out = stack
        .call(Method::POST, "/auth/logout", Some(&token), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    for (method, path) in [(Method::GET, "/auth/me"), (Method::GET, "/orders")] {
        let after = stack.call(method, path, Some(&token), None).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn a_demoted_admin_gets_403_and_a_disabled_account_401() {
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let (email, id) = register(&stack).await;
    let promoted = stack
        .call(
            Method::PATCH,
            &format!("/users/{id}"),
            Some(&admin),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    let second_admin = stack.login(&email, "correct horse").await;
    let demoted = stack
        .call(
            Method::PATCH,
            &format!("/users/{id}"),
            Some(&admin),
            Some(json!({"role": "customer"})),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK);
    let product = json!({"sku": format!("S-{}", uuid::Uuid::new_v4().simple()), "name": "Mug", "price_cents": 100});
    let refused = stack
        .call(
            Method::POST,
            "/products",
            Some(&second_admin),
            Some(product),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    let customer = stack.login(&email, "correct horse").await;
    let disabled = stack
        .call(
            Method::PATCH,
            &format!("/users/{id}"),
            Some(&admin),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK);
    let after = stack
        .call(Method::GET, "/orders", Some(&customer), None)
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn tokens_no_login_issued_are_401() {
    let stack = Stack::from_env();
    let (_, id) = register(&stack).await;
    let id: uuid::Uuid = id.parse().expect("uuid");
    let now = chrono::Utc::now().timestamp();
    let claims = |sub, iat, exp| Claims {
        sub,
        role: Role::Customer,
        iat,
        exp,
        iss: "shop-auth".into(),
        aud: "shop-api".into(),
        sv: 1,
    };
    let honest = signed(&claims(id, now, now + 600));
    let ok = stack
        .call(Method::GET, "/orders", Some(&honest), None)
        .await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "the stack's key signs: {}",
        ok.body
    );
    for token in [
        signed(&claims(uuid::Uuid::new_v4(), now, now + 600)),
        signed(&claims(id, now, now + 365 * 86_400)),
        signed(&claims(id, now + 86_400, now + 86_400 + 600)),
    ] {
        for (method, path, body) in [
            (Method::GET, "/orders", None),
            (Method::POST, "/orders", Some(json!({"items": []}))),
        ] {
            let reply = stack.call(method, path, Some(&token), body).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{path}: {}",
                reply.body
            );
        }
    }
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn guessing_one_email_is_throttled() {
    let stack = Stack::from_env();
    let (email, _) = register(&stack).await;
    let attempt = |password: &'static str| {
        stack.call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"email": email, "password": password})),
        )
    };
    for _ in 0..10 {
        assert_eq!(
            attempt("wrong horse").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = attempt("correct horse").await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&wait));
    // Others sign in as usual.
    let (other, _) = register(&stack).await;
    stack.login(&other, "correct horse").await;
    let nul: Value = json!({"email": "a\u{0}@b.co", "password": "x"});
    let odd = stack
        .call(Method::POST, "/auth/login", None, Some(nul))
        .await;
    assert_eq!(odd.status, StatusCode::UNAUTHORIZED);
}
