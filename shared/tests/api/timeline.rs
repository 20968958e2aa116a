//! Who did what: the actor of every stock movement and each order's timeline.

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::summary::answer::Answer;
use shared::summary::store;
use sqlx::PgPool;
use testkit::{TestApp, assert_ledger_matches_stock};
use uuid::Uuid;

async fn product(app: &TestApp, admin: &str, sku: &str, stock: i64) -> Uuid {
    app.product(admin, sku, 500, stock).await
}

async fn place(app: &TestApp, token: &str, product_id: Uuid, quantity: i64) -> Uuid {
    let created = app
        .post("/orders")
        .bearer(token)
        .json(&json!({"items": [{"product_id": product_id, "quantity": quantity}]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    Uuid::parse_str(&created.id()).expect("uuid")
}

async fn events(app: &TestApp, admin: &str, order_id: Uuid) -> Vec<Value> {
    let answer = app
        .get(&format!("/orders/{order_id}/events"))
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::OK);
    answer.body["items"].as_array().expect("items").clone()
}

fn types(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|event| event["type"].as_str().expect("type"))
        .collect()
}

/// (reason, actor_id) of a product's movements, oldest first.
async fn movement_actors(db: &PgPool, product_id: Uuid) -> Vec<(String, Option<Uuid>)> {
    sqlx::query_as(
        "SELECT reason, actor_id FROM inventory.stock_movements
         WHERE product_id = $1 ORDER BY created_at, id",
    )
    .bind(product_id)
    .fetch_all(db)
    .await
    .expect("movements")
}

#[sqlx::test(migrations = "../migrations")]
async fn every_stock_movement_names_the_account_that_moved_it(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin_id, admin) = app.admin().await;
    let (customer_id, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 10).await;
    app.post(&format!("/products/{mug}/stock-adjustments"))
        .bearer(&admin)
        .json(&json!({"delta": -2, "reason": "breakage"}))
        .send()
        .await
        .expect(StatusCode::OK);
    let order = place(&app, &customer, mug, 3).await;
    app.post(&format!("/orders/{order}/cancel"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);

    let actors = movement_actors(&db, mug).await;
    assert_eq!(
        actors,
        vec![
            ("initial stock".to_owned(), Some(admin_id)),
            ("breakage".to_owned(), Some(admin_id)),
            ("order".to_owned(), Some(customer_id)),
            ("order cancelled".to_owned(), Some(customer_id)),
        ]
    );
    let page = app
        .get(&format!("/products/{mug}/stock-movements"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let newest = &page.body["items"][0];
    assert_eq!(newest["reason"], "order cancelled");
    assert_eq!(newest["actor_id"], customer_id.to_string());
    assert_ledger_matches_stock(&db).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_tells_who_created_and_who_cancelled(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin_id, admin) = app.admin().await;
    let (customer_id, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 10).await;

    let by_customer = place(&app, &customer, mug, 1).await;
    app.post(&format!("/orders/{by_customer}/cancel"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    let timeline = events(&app, &admin, by_customer).await;
    assert_eq!(types(&timeline), ["created", "cancelled"]);
    assert_eq!(timeline[0]["actor_id"], customer_id.to_string());
    assert_eq!(timeline[1]["actor_id"], customer_id.to_string());
    assert_eq!(timeline[1]["data"]["by"], "customer");
    assert!(timeline[0]["created_at"].as_str() <= timeline[1]["created_at"].as_str());

    let by_staff = place(&app, &customer, mug, 1).await;
    app.post(&format!("/orders/{by_staff}/cancel"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    let timeline = events(&app, &admin, by_staff).await;
    assert_eq!(types(&timeline), ["created", "cancelled"]);
    assert_eq!(timeline[1]["actor_id"], admin_id.to_string());
    assert_eq!(timeline[1]["data"]["by"], "staff");

    let fulfilled = place(&app, &customer, mug, 1).await;
    app.post(&format!("/orders/{fulfilled}/fulfil"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    // A refused change writes nothing on the timeline.
    app.post(&format!("/orders/{fulfilled}/cancel"))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    let timeline = events(&app, &admin, fulfilled).await;
    assert_eq!(types(&timeline), ["created", "fulfilled"]);
    assert_eq!(timeline[1]["actor_id"], admin_id.to_string());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_order_leaves_no_event(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 1).await;
    app.post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": mug, "quantity": 2}]}))
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders.order_events")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(count, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn summary_outcomes_land_on_the_timeline_once_without_an_actor(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 10).await;

    let ready = place(&app, &customer, mug, 1).await;
    assert!(
        store::store_ready(&db, ready, &Answer::plain("A first order."), &[])
            .await
            .expect("store")
    );
    // A second delivery of the same message stores nothing and tells nothing.
    assert!(
        !store::store_ready(&db, ready, &Answer::plain("Again."), &[])
            .await
            .expect("store")
    );
    let timeline = events(&app, &admin, ready).await;
    assert_eq!(types(&timeline), ["created", "summary_ready"]);
    assert_eq!(timeline[1]["actor_id"], Value::Null);

    let failed = place(&app, &customer, mug, 1).await;
    assert!(store::mark_failed(&db, failed).await.expect("fail"));
    assert!(!store::mark_failed(&db, failed).await.expect("fail"));
    assert_eq!(
        types(&events(&app, &admin, failed).await),
        ["created", "summary_failed"]
    );

    // No provider configured is not an outcome of the order.
    let disabled = place(&app, &customer, mug, 1).await;
    assert!(store::mark_disabled(&db, disabled).await.expect("disable"));
    assert_eq!(types(&events(&app, &admin, disabled).await), ["created"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_staff_read_a_timeline(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 10).await;
    let order = place(&app, &customer, mug, 1).await;
    app.get(&format!("/orders/{order}/events"))
        .bearer(&customer)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    app.get(&format!("/orders/{order}/events"))
        .send()
        .await
        .expect_problem(StatusCode::UNAUTHORIZED);
    app.get(&format!("/orders/{}/events", Uuid::now_v7()))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
    app.get("/orders/not-a-uuid/events")
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);
}
