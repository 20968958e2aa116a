//! What is not sent to the provider (a cancelled order, a spent budget), model fallback, and the
//! day's spend that staff reports read.

use axum::http::StatusCode;
use serde_json::json;
use shared::summary::{Disposition, SummaryConsumer, SummarySettings, spend};
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

use crate::fake_provider::FakeProvider;
use crate::summary_golden::delivery;

/// A customer's order of two units of a product named `name`; returns (customer token, order).
async fn order_of(app: &TestApp, name: &str) -> (String, Uuid) {
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let sku = format!("P-{}", &Uuid::now_v7().simple().to_string()[20..]);
    let product = app
        .post("/products")
        .bearer(&admin)
        .json(&json!({"sku": sku, "name": name, "price_cents": 1000, "stock": 100}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id();
    let order = app
        .post("/orders")
        .bearer(&customer)
        .json(&json!({"items": [{"product_id": product, "quantity": 2}]}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .id();
    (customer, Uuid::parse_str(&order).expect("uuid"))
}

async fn summary_status(db: &PgPool, order: Uuid) -> (String, serde_json::Value) {
    sqlx::query_as("SELECT summary_status, summary_flags FROM orders.orders WHERE id = $1")
        .bind(order)
        .fetch_one(db)
        .await
        .expect("order")
}

fn settings(provider: &FakeProvider) -> SummarySettings {
    SummarySettings::for_provider(&provider.url, Some("test-key".into()))
}

#[sqlx::test(migrations = "../migrations")]
async fn an_order_cancelled_before_its_summary_is_skipped_without_a_call(db: PgPool) {
    let app = TestApp::new(db.clone());
    let provider = FakeProvider::start();
    let (customer, order) = order_of(&app, "Kettle").await;
    app.post(&format!("/orders/{order}/cancel"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);

    let consumer = SummaryConsumer::new(db.clone(), settings(&provider)).expect("consumer");
    assert_eq!(
        consumer.process(&delivery(order)).await,
        Disposition::Skipped
    );
    let (status, flags) = summary_status(&db, order).await;
    assert_eq!(status, "skipped");
    assert_eq!(flags[0]["code"], "first_order", "the flags are still facts");
    assert_eq!(provider.calls_for(order).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn once_the_days_cost_reaches_the_budget_new_summaries_are_skipped(db: PgPool) {
    let app = TestApp::new(db.clone());
    let provider = FakeProvider::start(); // reports 0.0001 dollars per answer
    let mut budgeted = settings(&provider);
    budgeted.daily_budget_usd = Some(0.00015);
    let consumer = SummaryConsumer::new(db.clone(), budgeted).expect("consumer");

    let (_, first) = order_of(&app, "Kettle").await;
    let (_, second) = order_of(&app, "Teapot").await;
    let (_, third) = order_of(&app, "Cup").await;
    assert_eq!(
        consumer.process(&delivery(first)).await,
        Disposition::Stored
    );
    assert_eq!(
        consumer.process(&delivery(second)).await,
        Disposition::Stored
    );
    // 0.0002 spent today: at or over 0.00015.
    assert_eq!(
        consumer.process(&delivery(third)).await,
        Disposition::Skipped
    );
    assert_eq!(summary_status(&db, third).await.0, "skipped");
    assert_eq!(provider.calls_for(third).await, 0);

    let today = spend::spent_today(&db).await.expect("spend");
    assert_eq!(today.summaries, 2);
    assert!((today.cost_usd - 0.0002).abs() < 1e-9, "{today:?}");
    assert_eq!(today.prompt_tokens, 600);
    // Spend of another day does not count against today's budget.
    sqlx::query("UPDATE orders.ai_usage SET created_at = now() - interval '1 day'")
        .execute(&db)
        .await
        .expect("age");
    assert_eq!(spend::spent_today(&db).await.expect("spend").summaries, 0);
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    assert_eq!(
        spend::spent_on(&db, yesterday)
            .await
            .expect("spend")
            .summaries,
        2
    );

    // Written again by staff once the budget allows: the new day's spend is 0.
    let (_, admin) = app.admin().await;
    app.post(&format!("/orders/{third}/summary"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(
        consumer.process(&delivery(third)).await,
        Disposition::Stored
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_summary_records_the_model_that_answered(db: PgPool) {
    let app = TestApp::new(db.clone());
    let provider = FakeProvider::start();
    let mut fallback = settings(&provider);
    fallback.provider.models = vec!["vendor/first".into(), "vendor/second".into()];
    let consumer = SummaryConsumer::new(db.clone(), fallback).expect("consumer");
    let (_, order) = order_of(&app, "Lamp [provider:fallback]").await;
    assert_eq!(
        consumer.process(&delivery(order)).await,
        Disposition::Stored
    );
    let (model, used): (String, String) = sqlx::query_as(
        "SELECT o.summary_model, u.model FROM orders.orders o
         JOIN orders.ai_usage u ON u.order_id = o.id WHERE o.id = $1",
    )
    .bind(order)
    .fetch_one(&db)
    .await
    .expect("model");
    assert_eq!(
        (model.as_str(), used.as_str()),
        ("vendor/second", "vendor/second")
    );
}

/// The day's spend is kept in shard rows beside `orders.ai_usage` (migration 0200): concurrent
/// answers, a deleted order's rows and a row moved to another day leave totals equal to a
/// recount of the rows themselves.
#[sqlx::test(migrations = "../migrations")]
async fn the_days_spend_totals_equal_a_recount_of_the_usage_rows(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, kept) = order_of(&app, "Kept").await;
    let (_, dropped) = order_of(&app, "Dropped").await;
    let inserts = (0..40).map(|i| {
        let db = db.clone();
        let order = if i % 4 == 0 { dropped } else { kept };
        tokio::spawn(async move {
            sqlx::query(
                "INSERT INTO orders.ai_usage
                     (id, order_id, model, prompt_tokens, completion_tokens, cost_usd)
                 VALUES ($1, $2, 'm', $3, 7, $4::numeric)",
            )
            .bind(Uuid::now_v7())
            .bind(order)
            .bind(100 + i as i64)
            .bind(format!("0.000{}", i % 10))
            .execute(&db)
            .await
            .expect("usage row");
        })
    });
    for insert in inserts.collect::<Vec<_>>() {
        insert.await.expect("task");
    }
    // The outbox row does not cascade (an unsent announcement must not vanish with a delete).
    sqlx::query("DELETE FROM orders.outbox WHERE order_id = $1")
        .bind(dropped)
        .execute(&db)
        .await
        .expect("outbox row");
    sqlx::query("DELETE FROM orders.orders WHERE id = $1")
        .bind(dropped)
        .execute(&db)
        .await
        .expect("cascade");
    sqlx::query(
        "UPDATE orders.ai_usage SET created_at = now() - interval '2 days'
         WHERE id = (SELECT id FROM orders.ai_usage ORDER BY id LIMIT 1)",
    )
    .execute(&db)
    .await
    .expect("backdate one");

    let (cost, answers, prompt, completion): (f64, i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE(sum(cost_usd), 0)::float8, count(*), COALESCE(sum(prompt_tokens), 0)::bigint,
                COALESCE(sum(completion_tokens), 0)::bigint
         FROM orders.ai_usage WHERE reports.day_of(created_at) = reports.day_of(now())",
    )
    .fetch_one(&db)
    .await
    .expect("recount");
    assert_eq!(answers, 29, "40 rows, 10 deleted with their order, 1 moved");
    let today = spend::spent_today(&db).await.expect("spend");
    assert_eq!(today.summaries, answers);
    assert_eq!(today.prompt_tokens, prompt);
    assert_eq!(today.completion_tokens, completion);
    assert!((today.cost_usd - cost).abs() < 1e-9, "{today:?} vs {cost}");
}
