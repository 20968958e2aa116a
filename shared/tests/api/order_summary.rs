//! The summary object is staff information, and staff can have it written again.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

/// An admin, a customer, and one order by the customer; returns (admin, customer, order id).
async fn placed(app: &TestApp) -> (String, String, String) {
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let product = app
        .post("/products")
        .bearer(&admin)
        .json(&json!({"sku": "KETTLE", "name": "Kettle", "price_cents": 2500, "stock": 10}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id();
    let product = Uuid::parse_str(&product).expect("a product id");
    let order = app.order(&customer, product, 2).await.to_string();
    (admin, customer, order)
}

async fn set_summary(db: &PgPool, order: &str, status: &str, text: Option<&str>) {
    sqlx::query(
        "UPDATE orders.orders SET summary_status = $2, summary_text = $3, summary_risk = $4,
             summary_flags = $5, summary_model = $6
         WHERE id = $1",
    )
    .bind(Uuid::parse_str(order).expect("uuid"))
    .bind(status)
    .bind(text)
    .bind(text.map(|_| "high"))
    .bind(json!([{"code": "first_order", "detail": "The customer's first order."}]))
    .bind(text.map(|_| "test/model-a"))
    .execute(db)
    .await
    .expect("summary set");
}

async fn outbox_rows(db: &PgPool, order: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM orders.outbox WHERE order_id = $1")
        .bind(Uuid::parse_str(order).expect("uuid"))
        .fetch_one(db)
        .await
        .expect("count")
}

#[sqlx::test(migrations = "../migrations")]
async fn customers_never_see_the_summary_and_admins_see_all_of_it(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin, customer, order) = placed(&app).await;
    set_summary(&db, &order, "ready", Some("Two kettles; stock is fine.")).await;

    let mine = app
        .get(&format!("/orders/{order}"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine.body["summary"], Value::Null, "{}", mine.body);
    let listed = app
        .get("/orders")
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.body["items"][0]["id"], order.as_str());
    assert_eq!(listed.body["items"][0]["summary"], Value::Null);

    let staff = app
        .get(&format!("/orders/{order}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        staff.body["summary"],
        json!({
            "status": "ready",
            "text": "Two kettles; stock is fine.",
            "risk": "high",
            "flags": [{"code": "first_order", "detail": "The customer's first order."}],
            "model": "test/model-a",
            "updated_at": staff.body["summary"]["updated_at"],
        })
    );
    let all = app
        .get("/orders?scope=all")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(all.body["items"][0]["summary"]["risk"], "high");

    let cancelled = app
        .post(&format!("/orders/{order}/cancel"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(cancelled.body["summary"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn writing_again_goes_back_to_pending_through_the_outbox(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin, customer, order) = placed(&app).await;
    let path = format!("/orders/{order}/summary");
    assert_eq!(outbox_rows(&db, &order).await, 1);

    // While pending there is nothing to write again.
    app.post(&path)
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::CONFLICT);
    app.post(&path)
        .bearer(&customer)
        .send()
        .await
        .expect_problem(StatusCode::FORBIDDEN);
    app.post(&format!("/orders/{}/summary", Uuid::now_v7()))
        .bearer(&admin)
        .send()
        .await
        .expect_problem(StatusCode::NOT_FOUND);

    for settled in ["ready", "failed", "skipped", "disabled"] {
        let text = (settled == "ready").then_some("An old summary.");
        set_summary(&db, &order, settled, text).await;
        let accepted = app
            .post(&path)
            .bearer(&admin)
            .send()
            .await
            .expect(StatusCode::ACCEPTED);
        let summary = &accepted.body["summary"];
        assert_eq!(summary["status"], "pending", "{settled}: {summary}");
        assert_eq!(summary["text"], Value::Null);
        assert_eq!(summary["risk"], Value::Null);
        assert_eq!(summary["model"], Value::Null);
        assert_eq!(summary["flags"], json!([]));
    }
    assert_eq!(
        outbox_rows(&db, &order).await,
        5,
        "one outbox row per request"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_requests_to_write_again_queue_one_message(db: PgPool) {
    let app = Arc::new(TestApp::new(db.clone()));
    let (admin, _, order) = placed(&app).await;
    set_summary(&db, &order, "failed", None).await;

    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, admin, path) = (
            app.clone(),
            admin.clone(),
            format!("/orders/{order}/summary"),
        );
        tasks.push(tokio::spawn(async move {
            app.post(&path).bearer(&admin).send().await.status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("request"));
    }
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::ACCEPTED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((accepted, conflicts), (1, 7), "{statuses:?}");
    assert_eq!(outbox_rows(&db, &order).await, 2);
}
