//! Restock suggestions, one test per rule, each on a ledger the test builds through the API
//! (orders placed, fulfilled, cancelled or aged; purchase orders; adjustments).

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use testkit::TestApp;

async fn product(app: &TestApp, admin: &str, body: Value) -> String {
    app.post("/products")
        .bearer(admin)
        .json(&body)
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id()
}

async fn order(app: &TestApp, customer: &str, product: &str, quantity: i64) -> String {
    app.post("/orders")
        .bearer(customer)
        .json(&json!({"items": [{"product_id": product, "quantity": quantity}]}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id()
}

async fn suggestions(app: &TestApp, admin: &str) -> Value {
    app.get("/restock/suggestions")
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::OK)
        .body
}

fn item<'a>(body: &'a Value, product: &str) -> Option<&'a Value> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["product_id"] == product)
}

/// 40 units sold in the window (30 confirmed + 10 fulfilled); a cancelled order and one older
/// than 28 days do not count. Stock ends at 15.
async fn selling_product(app: &TestApp, db: &PgPool, admin: &str, customer: &str) -> String {
    let mug = product(
        app,
        admin,
        json!({"sku": "MUG", "name": "Mug", "price_cents": 100, "stock": 200, "low_stock_threshold": 0}),
    )
    .await;
    order(app, customer, &mug, 30).await;
    let fulfilled = order(app, customer, &mug, 10).await;
    app.post(&format!("/orders/{fulfilled}/fulfil"))
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let cancelled = order(app, customer, &mug, 50).await;
    app.post(&format!("/orders/{cancelled}/cancel"))
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let old = order(app, customer, &mug, 100).await;
    sqlx::query("UPDATE orders.orders SET created_at = now() - interval '29 days' WHERE id = $1")
        .bind(uuid::Uuid::parse_str(&old).expect("uuid"))
        .execute(db)
        .await
        .expect("age the order");
    app.post(&format!("/products/{mug}/stock-adjustments"))
        .bearer(admin)
        .json(&json!({"delta": -45, "reason": "breakage"}))
        .send()
        .await
        .expect(StatusCode::OK);
    mug
}

#[sqlx::test(migrations = "../migrations")]
async fn daily_sales_count_the_last_28_days_of_confirmed_and_fulfilled_orders(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = selling_product(&app, &db, &admin, &customer).await;

    let body = suggestions(&app, &admin).await;
    let mug = item(&body, &mug).expect("short of 14 days of cover");
    assert_eq!(mug["stock"], 15);
    assert_eq!(mug["incoming"], 0);
    let daily = mug["daily_sales"].as_f64().expect("daily_sales");
    assert!((daily - 40.0 / 28.0).abs() < 1e-9, "{daily}");
    let cover = mug["days_of_cover"].as_f64().expect("days_of_cover");
    assert!((cover - 10.5).abs() < 1e-9, "{cover}");
    assert_eq!(mug["suggested_quantity"], 40 - 15, "28 days of sales");
    assert!(
        mug["reason"]
            .as_str()
            .expect("reason")
            .contains("10.5 days of cover")
    );
    assert_eq!(body["advice"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn incoming_counts_as_cover(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = selling_product(&app, &db, &admin, &customer).await;
    // 15 in stock + 5 incoming = 20 = exactly 14 days of 40/28 a day: covered.
    app.post("/purchase-orders")
        .bearer(&admin)
        .json(&json!({"supplier": "Acme", "lines": [{"product_id": mug, "quantity": 5}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    assert!(item(&suggestions(&app, &admin).await, &mug).is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn at_threshold_products_are_suggested_at_least_their_reorder_quantity(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let low = product(
        &app,
        &admin,
        json!({"sku": "LOW", "name": "Low", "price_cents": 100, "stock": 3, "low_stock_threshold": 5}),
    )
    .await;
    let usual = product(
        &app,
        &admin,
        json!({"sku": "USUAL", "name": "Usual", "price_cents": 100, "stock": 5, "reorder_quantity": 24}),
    )
    .await;
    let fine = product(
        &app,
        &admin,
        json!({"sku": "FINE", "name": "Fine", "price_cents": 100, "stock": 6}),
    )
    .await;
    let archived = product(
        &app,
        &admin,
        json!({"sku": "GONE", "name": "Gone", "price_cents": 100, "stock": 0}),
    )
    .await;
    app.request(axum::http::Method::DELETE, &format!("/products/{archived}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);

    let body = suggestions(&app, &admin).await;
    let low = item(&body, &low).expect("at its threshold");
    assert_eq!(low["suggested_quantity"], 3, "lifted above the threshold");
    assert_eq!(low["days_of_cover"], Value::Null, "no sales");
    assert_eq!(low["daily_sales"], 0.0);
    assert!(
        low["reason"]
            .as_str()
            .expect("reason")
            .contains("threshold")
    );
    assert_eq!(
        item(&body, &usual).expect("at threshold")["suggested_quantity"],
        24
    );
    assert!(item(&body, &fine).is_none());
    assert!(item(&body, &archived).is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn most_urgent_first(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let stocked = |sku: &str, stock: i64| json!({"sku": sku, "name": sku, "price_cents": 100, "stock": stock, "low_stock_threshold": 0});
    // 28 sold each: 1 a day. Left: 2, 9 and 0 (+ one at its threshold without sales).
    let two = product(&app, &admin, stocked("TWO", 30)).await;
    let nine = product(&app, &admin, stocked("NINE", 37)).await;
    let none = product(&app, &admin, stocked("NONE", 28)).await;
    for id in [&two, &nine, &none] {
        order(&app, &customer, id, 28).await;
    }
    let idle = product(
        &app,
        &admin,
        json!({"sku": "IDLE", "name": "Idle", "price_cents": 100, "stock": 1}),
    )
    .await;
    let body = suggestions(&app, &admin).await;
    let order: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["product_id"].as_str().expect("id"))
        .collect();
    assert_eq!(order, [&none, &two, &nine, &idle]);
    assert_eq!(item(&body, &none).expect("none")["days_of_cover"], 0.0);
}

#[sqlx::test(migrations = "../migrations")]
async fn chosen_suggestions_become_one_purchase_order(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin_id, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = selling_product(&app, &db, &admin, &customer).await;
    let low = product(
        &app,
        &admin,
        json!({"sku": "LOW", "name": "Low", "price_cents": 100, "stock": 1, "reorder_quantity": 12}),
    )
    .await;
    let fine = product(
        &app,
        &admin,
        json!({"sku": "FINE", "name": "Fine", "price_cents": 100, "stock": 50}),
    )
    .await;

    let refused = app
        .post("/restock/purchase-orders")
        .bearer(&admin)
        .json(&json!({"supplier": "Acme", "product_ids": [mug, fine]}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), vec!["product_ids[1]"]);
    let invalid = app
        .post("/restock/purchase-orders")
        .bearer(&admin)
        .json(&json!({"supplier": "", "product_ids": [mug, mug]}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.error_fields(), vec!["supplier", "product_ids[1]"]);
    app.post("/restock/purchase-orders")
        .bearer(&admin)
        .json(&json!({"supplier": "Acme", "product_ids": []}))
        .send()
        .await
        .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let (_, customer_token) = app.customer().await;
    app.post("/restock/purchase-orders")
        .bearer(&customer_token)
        .json(&json!({"supplier": "Acme", "product_ids": [mug]}))
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM inventory.purchase_orders")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(none, 0);

    let created = app
        .post("/restock/purchase-orders")
        .bearer(&admin)
        .json(&json!({"supplier": "Acme", "product_ids": [low, mug]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created.body["status"], "open");
    assert_eq!(created.body["created_by"], admin_id.to_string());
    let lines: Vec<(String, i64)> = created.body["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|line| {
            (
                line["product_id"].as_str().expect("id").to_owned(),
                line["quantity"].as_i64().expect("quantity"),
            )
        })
        .collect();
    assert_eq!(lines, vec![(low.clone(), 12), (mug.clone(), 25)]);
    // Ordered: both are covered now and leave the list.
    let body = suggestions(&app, &admin).await;
    assert!(item(&body, &mug).is_none());
    let low_now = item(&body, &low).expect("still at its threshold");
    assert_eq!(low_now["incoming"], 12);
    assert_eq!(low_now["suggested_quantity"], 0);
}
