use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::client::Stack;

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn health_and_openapi_answer() {
    let stack = Stack::from_env();
    let health = stack.call(Method::GET, "/health", None, None).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.body);
    assert_eq!(health.body, json!({"status": "ok"}));
    let openapi = stack.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(openapi.status, StatusCode::OK, "{}", openapi.body);
    assert!(openapi.body["paths"]["/orders"].is_object());
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn register_login_me() {
    let stack = Stack::from_env();
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
    let token = stack.login(&email.to_uppercase(), "correct horse").await;
    let me = stack
        .call(Method::GET, "/auth/me", Some(&token), None)
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], email.as_str());
    assert_eq!(me.body["role"], "customer");

    let anonymous = stack.call(Method::GET, "/auth/me", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous
            .headers
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap()),
        Some("Bearer")
    );
    assert_eq!(
        anonymous
            .headers
            .get("content-type")
            .map(|v| v.to_str().unwrap()),
        Some("application/problem+json")
    );
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn admin_stocks_a_product_and_a_customer_orders_it() {
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let sku = format!("E2E-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let product = stack
        .call(
            Method::POST,
            "/products",
            Some(&admin),
            Some(json!({"sku": sku, "name": "End-to-end mug", "price_cents": 1500, "stock": 3})),
        )
        .await;
    assert_eq!(product.status, StatusCode::CREATED, "{}", product.body);
    let product_id = product.body["id"].as_str().expect("id").to_owned();

    let customer = stack.new_customer().await;
    let search = stack
        .call(
            Method::GET,
            &format!("/products?q={}", sku.to_lowercase()),
            None,
            None,
        )
        .await;
    assert_eq!(search.body["items"][0]["id"], product_id.as_str());

    let too_many = stack
        .call(
            Method::POST,
            "/orders",
            Some(&customer),
            Some(json!({"items": [{"product_id": product_id, "quantity": 4}]})),
        )
        .await;
    assert_eq!(too_many.status, StatusCode::CONFLICT);
    assert_eq!(too_many.body["short"][0]["available"], 3);

    let order = stack
        .call(
            Method::POST,
            "/orders",
            Some(&customer),
            Some(json!({"items": [{"product_id": product_id, "quantity": 2}]})),
        )
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.body);
    let order_id = order.body["id"].as_str().expect("id");

    let fetched = stack
        .call(
            Method::GET,
            &format!("/orders/{order_id}"),
            Some(&customer),
            None,
        )
        .await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert_eq!(fetched.body["total_cents"], 3000);
    let after = stack
        .call(Method::GET, &format!("/products/{product_id}"), None, None)
        .await;
    assert_eq!(after.body["stock"], 1);

    let fulfilled = stack
        .call(
            Method::POST,
            &format!("/orders/{order_id}/fulfil"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(fulfilled.status, StatusCode::OK);
    assert_eq!(fulfilled.body["status"], "fulfilled");
}
