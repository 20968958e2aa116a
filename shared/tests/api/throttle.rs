//! The per-customer order throttle: 30 `POST /orders` a minute per account by default.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;
use shared::orders::throttle;
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

async fn product(app: &TestApp, admin: &str, stock: i64) -> Uuid {
    let created = app
        .post("/products")
        .bearer(admin)
        .json(&json!({"sku": format!("T-{}", Uuid::now_v7().simple()), "name": "Tea", "price_cents": 100, "stock": stock}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    created.id().parse().expect("uuid")
}

fn one(product_id: Uuid) -> serde_json::Value {
    json!({"items": [{"product_id": product_id, "quantity": 1}]})
}

async fn stock(db: &PgPool, product_id: Uuid) -> i64 {
    sqlx::query_scalar("SELECT stock FROM inventory.products WHERE id = $1")
        .bind(product_id)
        .fetch_one(db)
        .await
        .expect("stock")
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_orders_past_the_limit_are_429_and_take_nothing(db: PgPool) {
    assert_eq!(throttle::limit_per_minute(), 30, "the default");
    let app = Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let (_, other) = app.customer().await;
    let tea = product(&app, &admin, 1000).await;

    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let (app, token) = (app.clone(), customer.clone());
            tokio::spawn(async move {
                app.post("/orders")
                    .bearer(&token)
                    .json(&one(tea))
                    .send()
                    .await
            })
        })
        .collect();
    let (mut created, mut throttled) = (0, 0);
    for task in tasks {
        let response = task.await.expect("task");
        match response.status {
            StatusCode::CREATED => created += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                throttled += 1;
                let response = response.expect_problem(StatusCode::TOO_MANY_REQUESTS);
                let retry_after: u64 = response
                    .header("retry-after")
                    .expect("Retry-After")
                    .parse()
                    .expect("seconds");
                assert!((1..=60).contains(&retry_after), "{retry_after}");
            }
            other => panic!("unexpected {other}: {}", response.body),
        }
    }

    assert_eq!(
        (created, throttled),
        (30, 10),
        "exactly the limit gets through"
    );
    assert_eq!(
        stock(&db, tea).await,
        970,
        "throttled requests took nothing"
    );
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders.orders")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(orders, 30);
    // Another account has its own window.
    app.post("/orders")
        .bearer(&other)
        .json(&one(tea))
        .send()
        .await
        .expect(StatusCode::CREATED);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_window_starts_after_a_minute(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (customer_id, customer) = app.customer().await;
    let tea = product(&app, &admin, 1000).await;
    for _ in 0..30 {
        app.post("/orders")
            .bearer(&customer)
            .json(&one(tea))
            .send()
            .await
            .expect(StatusCode::CREATED);
    }
    app.post("/orders")
        .bearer(&customer)
        .json(&one(tea))
        .send()
        .await
        .expect_problem(StatusCode::TOO_MANY_REQUESTS);

    // The window began over a minute ago.
    sqlx::query(
        "UPDATE orders.placement_windows SET window_start = now() - interval '61 seconds'
         WHERE user_id = $1",
    )
    .bind(customer_id)
    .execute(&db)
    .await
    .expect("age the window");

    app.post("/orders")
        .bearer(&customer)
        .json(&one(tea))
        .send()
        .await
        .expect(StatusCode::CREATED);
}
