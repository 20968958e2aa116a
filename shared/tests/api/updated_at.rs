//! `updated_at` is kept by triggers: any change of a row moves it, whatever statement made the
//! change, and summary writes move only the summary's own clock.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

async fn product_updated_at(db: &PgPool, id: Uuid) -> DateTime<Utc> {
    sqlx::query_scalar("SELECT updated_at FROM inventory.products WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .expect("product")
}

async fn order_clocks(db: &PgPool, id: Uuid) -> (DateTime<Utc>, DateTime<Utc>) {
    sqlx::query_as("SELECT updated_at, summary_updated_at FROM orders.orders WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .expect("order")
}

#[sqlx::test(migrations = "../migrations")]
async fn any_product_change_moves_its_updated_at(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let id = app.product(&admin, "CLOCK-1", 500, 3).await;
    let before = product_updated_at(&db, id).await;

    // A statement that does not name the column still moves it.
    sqlx::query("UPDATE inventory.products SET stock = stock + 1 WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .expect("raw update");
    let after_raw = product_updated_at(&db, id).await;
    assert!(after_raw > before, "{after_raw} > {before}");

    app.request(axum::http::Method::PATCH, &format!("/products/{id}"))
        .bearer(&admin)
        .json(&json!({"name": "Renamed"}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert!(product_updated_at(&db, id).await > after_raw);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_moves_with_its_status_and_its_summary_on_its_own_clock(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let product = app.product(&admin, "CLOCK-2", 500, 10).await;
    let order = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let id = Uuid::parse_str(&order.id()).expect("order id");
    let (updated, summary_updated) = order_clocks(&db, id).await;

    sqlx::query("UPDATE orders.orders SET summary_status = 'failed' WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .expect("summary write");
    let (updated_after_summary, summary_after) = order_clocks(&db, id).await;
    assert_eq!(
        updated_after_summary, updated,
        "a summary write is not an order change"
    );
    assert!(summary_after > summary_updated);

    app.post(&format!("/orders/{id}/cancel"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    let (updated_after_cancel, summary_after_cancel) = order_clocks(&db, id).await;
    assert!(updated_after_cancel > updated);
    assert_eq!(summary_after_cancel, summary_after);
}
