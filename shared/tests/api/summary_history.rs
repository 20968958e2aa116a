//! The customer's history in the summary's facts is their latest orders before this one, at
//! most `facts::HISTORY_ORDERS`, whatever they did before that.

use axum::http::StatusCode;
use serde_json::json;
use shared::summary::facts::{self, HISTORY_ORDERS};
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

#[sqlx::test(migrations = "../migrations")]
async fn the_history_is_the_customers_latest_orders_before_this_one(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let product = app.product(&admin, "HIST-1", 1000, 100).await;
    let (customer, token) = app.customer().await;
    // Earlier orders, one a minute going back: the five oldest (outside the window) and three
    // of the latest 200 are cancelled; the latest 200 total 10.00 each, the older ones 999.00.
    let earlier = HISTORY_ORDERS + 5;
    sqlx::query(
        "INSERT INTO orders.orders (id, user_id, total_cents, status, created_at)
         SELECT gen_random_uuid(), $1,
                CASE WHEN n <= $2 THEN 1000 ELSE 99900 END,
                CASE WHEN n > $2 OR n IN (1, 50, 200) THEN 'cancelled' ELSE 'confirmed' END,
                now() - n * interval '1 minute'
         FROM generate_series(1, $3) AS n",
    )
    .bind(customer)
    .bind(HISTORY_ORDERS)
    .bind(earlier)
    .execute(&db)
    .await
    .expect("earlier orders");
    let placed = app
        .post("/orders")
        .bearer(&token)
        .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let order: Uuid = placed.body["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");

    let history = facts::load(&db, order)
        .await
        .expect("facts")
        .expect("order")
        .customer;
    assert_eq!(history.previous_orders, HISTORY_ORDERS);
    assert_eq!(history.cancelled_orders, 3);
    assert_eq!(history.kept_orders, HISTORY_ORDERS - 3);
    assert_eq!(history.average_total_cents, Some(1000));
}
