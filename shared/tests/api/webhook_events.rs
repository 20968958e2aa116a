//! Webhook events are written in the transaction of the change they tell of, carrying what the
//! matching GET shows, and vanish with it when it rolls back; a change nobody subscribes to
//! writes none.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use shared::webhooks::EventType;
use sqlx::PgPool;
use testkit::TestApp;

/// An active endpoint on every event type, so that every change records its event.
async fn subscribe_to_everything(app: &TestApp, admin: &str) {
    let every_type = EventType::ALL.map(EventType::as_str);
    crate::webhooks::endpoint(app, admin, "http://127.0.0.1:9/hook", &every_type).await;
}

/// Every recorded event, oldest first, as (type, data).
async fn events(db: &PgPool) -> Vec<(String, Value)> {
    sqlx::query_as("SELECT type, data FROM webhooks.events ORDER BY created_at, id")
        .fetch_all(db)
        .await
        .expect("events")
}

/// The type of every recorded event, oldest first.
async fn kinds(db: &PgPool) -> Vec<String> {
    events(db).await.into_iter().map(|(kind, _)| kind).collect()
}

async fn events_of(db: &PgPool, kind: &str) -> Vec<Value> {
    events(db)
        .await
        .into_iter()
        .filter(|(type_, _)| type_ == kind)
        .map(|(_, data)| data)
        .collect()
}

async fn product(app: &TestApp, admin: &str, sku: &str, stock: i64, threshold: i64) -> String {
    app.post("/products")
        .bearer(admin)
        .json(
            &json!({"sku": sku, "name": sku, "price_cents": 300, "stock": stock,
                      "low_stock_threshold": threshold}),
        )
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id()
}

async fn adjust(app: &TestApp, admin: &str, product: &str, delta: i64) {
    app.post(&format!("/products/{product}/stock-adjustments"))
        .bearer(admin)
        .json(&json!({"delta": delta, "reason": "count"}))
        .send()
        .await
        .expect(StatusCode::OK);
}

/// `product` JSON as `GET /products/{id}` shows it equals `data`, times compared as instants.
fn assert_same_product(data: &Value, shown: &Value) {
    let instant = |value: &Value| {
        value
            .as_str()
            .and_then(|text| text.parse::<DateTime<Utc>>().ok())
            .expect("an RFC 3339 time")
    };
    let (mut data, mut shown) = (data.clone(), shown.clone());
    for member in ["created_at", "updated_at"] {
        assert_eq!(instant(&data[member]), instant(&shown[member]), "{member}");
        data[member] = Value::Null;
        shown[member] = Value::Null;
    }
    assert_eq!(data, shown);
}

#[sqlx::test(migrations = "../migrations")]
async fn order_events_carry_the_order_as_staff_see_it(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    subscribe_to_everything(&app, &admin).await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "EV-MUG", 50, 5).await;
    let order = |quantity: i64| {
        app.post("/orders")
            .bearer(&customer)
            .json(&json!({"items": [{"product_id": mug, "quantity": quantity}]}))
            .send()
    };
    let first = order(1).await.expect(StatusCode::CREATED);
    let second = order(2).await.expect(StatusCode::CREATED);

    let created = events_of(&db, "order.created").await;
    assert_eq!(created.len(), 2);
    let shown = app
        .get(&format!("/orders/{}", first.id()))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        created[0], shown.body,
        "data is what GET /orders/{{id}} shows staff"
    );
    assert!(
        created[0]["summary"].is_object(),
        "staff's view, summary included"
    );
    assert!(
        first.body["summary"].is_null(),
        "the customer's answer stays without it"
    );

    let cancelled = app
        .post(&format!("/orders/{}/cancel", first.id()))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    let fulfilled = app
        .post(&format!("/orders/{}/fulfil", second.id()))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let cancel_events = events_of(&db, "order.cancelled").await;
    assert_eq!(cancel_events.len(), 1);
    assert_eq!(cancel_events[0]["id"], first.id());
    assert_eq!(cancel_events[0]["status"], "cancelled");
    assert_eq!(cancel_events[0]["updated_at"], cancelled.body["updated_at"]);
    let fulfil_events = events_of(&db, "order.fulfilled").await;
    assert_eq!(fulfil_events.len(), 1);
    assert_eq!(fulfil_events[0], fulfilled.body);

    // Refused changes record nothing.
    app.post(&format!("/orders/{}/fulfil", first.id()))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(events(&db).await.len(), 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_order_leaves_no_event_behind(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    subscribe_to_everything(&app, &admin).await;
    let (_, customer) = app.customer().await;
    // Taking 2 of `plenty` would bring it to its threshold; `scarce` is short, so the order
    // rolls back after `plenty`'s stock (and its low-stock event) was already written.
    let plenty = product(&app, &admin, "EV-PLENTY", 7, 5).await;
    let scarce = product(&app, &admin, "EV-SCARCE", 1, 0).await;
    app.post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": plenty, "quantity": 2},
                                {"product_id": scarce, "quantity": 3}]}))
        .send()
        .await
        .expect(StatusCode::CONFLICT);
    assert!(events(&db).await.is_empty(), "{:?}", events(&db).await);

    app.post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": plenty, "quantity": 2}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let kinds = kinds(&db).await;
    // Checkout takes the stock last, so the low stock comes after the order that caused it.
    assert_eq!(kinds, vec!["order.created", "product.low_stock"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn low_stock_fires_when_a_change_crosses_the_threshold_from_above(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    subscribe_to_everything(&app, &admin).await;
    let (_, customer) = app.customer().await;
    let id = product(&app, &admin, "EV-LOW", 10, 5).await;

    adjust(&app, &admin, &id, -4).await; // 10 -> 6: above
    assert!(events_of(&db, "product.low_stock").await.is_empty());
    adjust(&app, &admin, &id, -1).await; // 6 -> 5: at the threshold
    let low = events_of(&db, "product.low_stock").await;
    assert_eq!(low.len(), 1);
    assert_eq!(low[0]["stock"], 5);
    assert_eq!(low[0]["low_stock"], true);
    let shown = app
        .get(&format!("/products/{id}"))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_same_product(&low[0], &shown.body);

    adjust(&app, &admin, &id, -1).await; // 5 -> 4: already low, no news
    assert_eq!(events_of(&db, "product.low_stock").await.len(), 1);
    adjust(&app, &admin, &id, 20).await; // 4 -> 24: going up never fires
    assert_eq!(events_of(&db, "product.low_stock").await.len(), 1);

    // An order is a stock change too; its cancellation gives stock back (no event).
    let order = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": id, "quantity": 22}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(events_of(&db, "product.low_stock").await.len(), 2);
    app.post(&format!("/orders/{}/cancel", order.id()))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(events_of(&db, "product.low_stock").await.len(), 2);

    // A threshold raised above the stock is not a stock change.
    app.request(Method::PATCH, &format!("/products/{id}"))
        .bearer(&admin)
        .json(&json!({"low_stock_threshold": 100}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(events_of(&db, "product.low_stock").await.len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn each_receipt_of_a_purchase_order_is_an_event(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    subscribe_to_everything(&app, &admin).await;
    let id = product(&app, &admin, "EV-PO", 0, 5).await;
    let po = app
        .post("/purchase-orders")
        .bearer(&admin)
        .json(&json!({"supplier": "Acme", "lines": [{"product_id": id, "quantity": 10}]}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id();
    let receive = |quantity: i64| {
        app.post(&format!("/purchase-orders/{po}/receive"))
            .bearer(&admin)
            .json(&json!({"lines": [{"product_id": id, "quantity": quantity}]}))
            .send()
    };
    let partial = receive(4).await.expect(StatusCode::OK);
    receive(7).await.expect(StatusCode::CONFLICT);
    let rest = receive(6).await.expect(StatusCode::OK);
    let received = events_of(&db, "purchase_order.received").await;
    assert_eq!(received, vec![partial.body, rest.body.clone()]);
    assert_eq!(received[1]["status"], "received");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_change_no_active_endpoint_subscribes_to_records_no_event(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    // Subscribed to orders only, and to low stock by an endpoint that is switched off.
    crate::webhooks::endpoint(
        &app,
        &admin,
        "http://127.0.0.1:9/orders",
        &["order.created"],
    )
    .await;
    let inactive = crate::webhooks::endpoint(
        &app,
        &admin,
        "http://127.0.0.1:9/stock",
        &["product.low_stock"],
    )
    .await;
    app.request(Method::PATCH, &format!("/webhooks/{inactive}"))
        .bearer(&admin)
        .json(&json!({"active": false}))
        .send()
        .await
        .expect(StatusCode::OK);
    let mug = product(&app, &admin, "EV-QUIET", 3, 2).await;
    let order = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": mug, "quantity": 2}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    // Recorded by the orders code, not the checkout statement: nobody subscribes to it either.
    app.post(&format!("/orders/{}/cancel", order.id()))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    let kinds = kinds(&db).await;
    // The order crossed the threshold, but nobody active listens for low stock or cancels.
    assert_eq!(kinds, vec!["order.created"]);
}
