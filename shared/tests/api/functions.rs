//! The wiring of each HTTP function (`shared::functions`): the routes it serves and the parts it
//! starts with, as its Lambda would run them. Handler tests elsewhere use the whole API at once,
//! which would not notice a route given to the wrong function or a missing signing key.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::json;
use shared::functions::{HTTP_FUNCTIONS, find};
use shared::orders::queue::OrderQueue;
use sqlx::PgPool;
use testkit::{MotoServer, TestApp, local_sqs_client};
use uuid::Uuid;

use crate::router_table;

/// A product with stock 5; returns its id.
async fn new_product(app: &TestApp, admin: &str, sku: &str) -> String {
    app.post("/products")
        .bearer(admin)
        .json(&json!({"sku": sku, "name": "Wire", "price_cents": 100, "stock": 5}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id()
}

/// A queue nothing listens on: enough for functions that must start, not send.
fn unreachable_queue() -> OrderQueue {
    OrderQueue::new(
        local_sqs_client("http://127.0.0.1:1"),
        "http://127.0.0.1:1/123456789012/shop-orders",
    )
}

#[test]
fn every_routed_function_exists_and_every_function_is_routed() {
    let routed: BTreeSet<String> = router_table::routes()
        .into_iter()
        .map(|route| route.function)
        .collect();
    let defined: BTreeSet<String> = HTTP_FUNCTIONS
        .iter()
        .map(|function| function.name.to_owned())
        .collect();
    assert_eq!(routed, defined);
}

#[test]
fn every_http_function_has_a_binary_of_its_name() {
    let bins = concat!(env!("CARGO_MANIFEST_DIR"), "/../functions/src/bin");
    for function in HTTP_FUNCTIONS {
        let main = format!("{bins}/{}.rs", function.name);
        let source = std::fs::read_to_string(&main).unwrap_or_else(|_| panic!("{main} exists"));
        assert!(
            source.contains("find(env!(\"CARGO_BIN_NAME\"))"),
            "{main} serves its own entry"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn each_function_serves_its_own_routes_and_no_other(db: PgPool) {
    let app = TestApp::new(db);
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let product = new_product(&app, &admin, "WIRE-1").await;
    let order = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id();
    let routes = router_table::routes();

    for function in HTTP_FUNCTIONS {
        let slice = app.function(function, Some(unreachable_queue())).await;
        for route in &routes {
            // Existing ids, so a 404 can only mean "no such route here". No token: nothing
            // changes, and a served route answers 401, 422 or 200 rather than 404/405.
            let id = if route.path.starts_with("/orders") {
                &order
            } else {
                &product
            };
            let path = route.path.replace("{id}", id).replace("{delivery_id}", id);
            let method = Method::from_bytes(route.method.as_bytes()).expect("method");
            let status = slice.request(method, &path).send().await.status;
            let routed_here = route.function == function.name;
            let not_routed = matches!(
                status,
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
            );
            assert_eq!(
                !not_routed, routed_here,
                "{} {path} on {}: {status}",
                route.method, function.name
            );
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn only_login_holds_the_signing_key_and_login_works_with_it(db: PgPool) {
    let app = TestApp::new(db);
    for function in HTTP_FUNCTIONS {
        let slice = app.function(function, Some(unreachable_queue())).await;
        assert_eq!(
            slice.state.tokens.issuer().is_ok(),
            function.name == "auth-login",
            "{} holds the signing key only if it is the login",
            function.name
        );
    }

    let credentials = json!({"email": "wired@example.com", "password": "correct horse battery"});
    app.post("/auth/register")
        .json(&credentials)
        .send()
        .await
        .expect(StatusCode::CREATED);
    let login = app.function(&find("auth-login"), None).await;
    let session = login
        .post("/auth/login")
        .json(&credentials)
        .send()
        .await
        .expect(StatusCode::OK);
    let token = session.body["access_token"].as_str().expect("token");
    app.get("/auth/me")
        .bearer(token)
        .send()
        .await
        .expect(StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_webhook_creation_holds_the_webhook_secrets_key(db: PgPool) {
    let app = TestApp::new(db);
    for function in HTTP_FUNCTIONS {
        let slice = app.function(function, Some(unreachable_queue())).await;
        assert_eq!(
            slice.state.webhooks.is_some(),
            function.name == "webhooks-create",
            "{} holds the webhook secrets key only if it creates endpoints",
            function.name
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn only_order_creation_holds_the_queue_and_sends_to_it(db: PgPool) {
    let app = TestApp::new(db.clone());
    for function in HTTP_FUNCTIONS {
        let slice = app.function(function, Some(unreachable_queue())).await;
        assert_eq!(
            slice.state.queue.is_some(),
            function.name == "orders-create",
            "{} holds the queue only if it creates orders",
            function.name
        );
    }

    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 30, 5).await;
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let product = new_product(&app, &admin, "WIRE-2").await;
    let orders_create = app
        .function(&find("orders-create"), Some(queues.queue.clone()))
        .await;
    let created = orders_create
        .post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": product, "quantity": 2}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let order_id = Uuid::parse_str(&created.id()).expect("uuid");

    let sent: bool =
        sqlx::query_scalar("SELECT sent_at IS NOT NULL FROM orders.outbox WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(&db)
            .await
            .expect("outbox row");
    assert!(sent, "the order was sent right after commit");
    let received = queues
        .queue
        .client()
        .receive_message()
        .queue_url(queues.queue.url())
        .send()
        .await
        .expect("receive");
    let bodies: Vec<&str> = received
        .messages()
        .iter()
        .filter_map(|message| message.body())
        .collect();
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].contains(&order_id.to_string()), "{bodies:?}");
}
