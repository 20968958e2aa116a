//! Staff reports: sales per day with top products, and stock with the summary pipeline.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::summary::answer::Answer;
use shared::summary::store;
use sqlx::PgPool;
use testkit::TestApp;
use uuid::Uuid;

async fn product(app: &TestApp, admin: &str, sku: &str, price_cents: i64, stock: i64) -> Uuid {
    app.product(admin, sku, price_cents, stock).await
}

async fn place(app: &TestApp, token: &str, lines: &[(Uuid, i64)]) -> Uuid {
    let items: Vec<Value> = lines
        .iter()
        .map(|(id, quantity)| json!({"product_id": id, "quantity": quantity}))
        .collect();
    let created = app
        .post("/orders")
        .bearer(token)
        .json(&json!({ "items": items }))
        .send()
        .await
        .expect(StatusCode::CREATED);
    Uuid::parse_str(&created.id()).expect("uuid")
}

async fn report(app: &TestApp, admin: &str, path: &str) -> Value {
    app.get(path)
        .bearer(admin)
        .send()
        .await
        .expect(StatusCode::OK)
        .body
}

/// Every rollup, in a fixed order, to compare the trigger-kept state with a rebuild. Shards only
/// spread the writes (a change adds to its connection's shard): what readers see, and what is
/// compared, is each day's and each status's sum over the shards.
async fn rollups(db: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT format('sales %s %s %s %s %s', day, sum(orders), sum(cancelled), sum(units),
                       sum(revenue_cents))
         FROM reports.daily_sales GROUP BY day
         UNION ALL
         SELECT format('product %s %s %s %s', day, product_id, units, revenue_cents)
         FROM reports.daily_product_sales WHERE units <> 0
         UNION ALL
         SELECT format('summary %s %s', status, sum(orders))
         FROM reports.summary_counts GROUP BY status HAVING sum(orders) <> 0
         ORDER BY 1",
    )
    .fetch_all(db)
    .await
    .expect("rollups")
}

async fn rebuilt_rollups(db: &PgPool) -> Vec<String> {
    sqlx::query("SELECT reports.rebuild()")
        .execute(db)
        .await
        .expect("rebuild");
    rollups(db).await
}

#[sqlx::test(migrations = "../migrations")]
async fn sales_count_todays_orders_and_leave_cancelled_ones_out_of_revenue(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 1000, 50).await;
    let tea = product(&app, &admin, "TEA", 300, 50).await;
    let _unsold = product(&app, &admin, "NONE", 100, 50).await;
    place(&app, &customer, &[(mug, 2), (tea, 1)]).await;
    place(&app, &customer, &[(tea, 5)]).await;
    let cancelled = place(&app, &customer, &[(mug, 7)]).await;
    app.post(&format!("/orders/{cancelled}/cancel"))
        .bearer(&customer)
        .send()
        .await
        .expect(StatusCode::OK);

    let sales = report(&app, &admin, "/reports/sales").await;
    let days = sales["days"].as_array().expect("days");
    assert_eq!(days.len(), 30, "default: 30 days");
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(days[29]["date"], today, "oldest first, today last");
    assert_eq!(
        days[29],
        json!({"date": today, "orders": 3, "units": 8, "revenue_cents": 2 * 1000 + 6 * 300, "cancelled": 1})
    );
    assert!(
        days[..29]
            .iter()
            .all(|day| day["orders"] == 0 && day["revenue_cents"] == 0)
    );
    assert_eq!(
        sales["top_products"],
        json!([
            {"product_id": mug, "sku": "MUG", "name": "Product MUG", "units": 2, "revenue_cents": 2000},
            {"product_id": tea, "sku": "TEA", "name": "Product TEA", "units": 6, "revenue_cents": 1800},
        ])
    );
    let one = report(&app, &admin, "/reports/sales?days=1").await;
    assert_eq!(one["days"].as_array().expect("days").len(), 1);
    let year = report(&app, &admin, "/reports/sales?days=366").await;
    assert_eq!(year["days"].as_array().expect("days").len(), 366);
}

#[sqlx::test(migrations = "../migrations")]
async fn report_input_and_access_are_checked(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    for bad in ["0", "367", "-3", "week", "", "2.5"] {
        let answer = app
            .get(&format!("/reports/sales?days={bad}"))
            .bearer(&admin)
            .send()
            .await
            .expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.error_fields(), ["days"], "days={bad:?}");
    }
    for path in ["/reports/sales", "/reports/stock"] {
        app.get(path)
            .bearer(&customer)
            .send()
            .await
            .expect_problem(StatusCode::FORBIDDEN);
        app.get(path)
            .send()
            .await
            .expect_problem(StatusCode::UNAUTHORIZED);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_stock_report_counts_shelf_incoming_and_summaries(db: PgPool) {
    let app = TestApp::new(db.clone());
    let (admin_id, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 1000, 10).await; // 10 > 5: fine
    let _low = product(&app, &admin, "TEA", 300, 3).await;
    let _gone = product(&app, &admin, "GONE", 100, 0).await; // low and out
    let archived = product(&app, &admin, "OLD", 100, 0).await;
    app.request(axum::http::Method::DELETE, &format!("/products/{archived}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    // An open purchase order counts what is not yet received; a cancelled one nothing.
    for (status, quantity, received) in [("open", 40, 15), ("cancelled", 99, 0)] {
        let po = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO inventory.purchase_orders (id, supplier, status, created_by) VALUES ($1, 'Acme', $2, $3)",
        )
        .bind(po)
        .bind(status)
        .bind(admin_id)
        .execute(&db)
        .await
        .expect("purchase order");
        sqlx::query(
            "INSERT INTO inventory.purchase_order_lines (purchase_order_id, line_no, product_id, quantity, received)
             VALUES ($1, 1, $2, $3, $4)",
        )
        .bind(po)
        .bind(mug)
        .bind(quantity)
        .bind(received)
        .execute(&db)
        .await
        .expect("purchase order line");
    }
    let first = place(&app, &customer, &[(mug, 1)]).await;
    let second = place(&app, &customer, &[(mug, 1)]).await;
    place(&app, &customer, &[(mug, 1)]).await;
    assert!(
        store::store_ready(&db, first, &Answer::plain("Fine."), &[])
            .await
            .expect("ready")
    );
    assert!(store::mark_failed(&db, second).await.expect("failed"));

    let stock = report(&app, &admin, "/reports/stock").await;
    assert_eq!(
        stock,
        json!({
            "products": 3,
            "low_stock": 2,
            "out_of_stock": 1,
            "stock_value_cents": 7 * 1000 + 3 * 300,
            "incoming_units": 25,
            "summaries": {"pending": 1, "ready": 1, "failed": 1, "skipped": 0, "disabled": 0},
            "ai": {"spent_today_usd": 0.0, "daily_budget_usd": null},
        })
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn rollups_kept_under_concurrent_orders_equal_a_rebuild(db: PgPool) {
    let app = Arc::new(TestApp::new(db.clone()));
    let (_, admin) = app.admin().await;
    let hot = product(&app, &admin, "HOT", 250, 1000).await;
    let cold = product(&app, &admin, "COLD", 90, 1000).await;
    let mut customers = Vec::new();
    for _ in 0..8 {
        customers.push(app.customer().await.1);
    }
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let app = app.clone();
            let token = customers[i % customers.len()].clone();
            tokio::spawn(async move {
                let lines = [(hot, 1 + i as i64 % 3), (cold, 2)];
                let order = place(&app, &token, &lines).await;
                if i % 4 == 0 {
                    app.post(&format!("/orders/{order}/cancel"))
                        .bearer(&token)
                        .send()
                        .await
                        .expect(StatusCode::OK);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let kept = rollups(&db).await;
    assert!(!kept.is_empty());
    assert_eq!(kept, rebuilt_rollups(&db).await);
    let sales = report(&app, &admin, "/reports/sales?days=1").await;
    assert_eq!(sales["days"][0]["orders"], 40);
    assert_eq!(sales["days"][0]["cancelled"], 10);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_stock_report_shows_the_days_ai_spend_against_the_budget(db: PgPool) {
    let app = TestApp::with_ai_budget(db.clone(), Some(2.5));
    let (_, admin) = app.admin().await;
    let (_, customer) = app.customer().await;
    let mug = product(&app, &admin, "MUG", 1000, 50).await;
    let order = place(&app, &customer, &[(mug, 1)]).await;
    let stock = report(&app, &admin, "/reports/stock").await;
    assert_eq!(
        stock["ai"],
        json!({"spent_today_usd": 0.0, "daily_budget_usd": 2.5})
    );

    // Today: a summary (0.25) and a restock note (0.5); yesterday's summary does not count,
    // nor does a note the provider did not write (no model, no cost).
    for (cost, at) in [(0.25, "now()"), (1.0, "now() - interval '1 day'")] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO orders.ai_usage (id, order_id, model, cost_usd, created_at)
             VALUES ($1, $2, 'm', {cost}, {at})"
        )))
        .bind(Uuid::now_v7())
        .bind(order)
        .execute(&db)
        .await
        .expect("usage");
    }
    for (status, model, cost) in [("ready", Some("m"), 0.5), ("failed", None, 0.0)] {
        sqlx::query(
            "INSERT INTO inventory.restock_advice (id, status, text, input, suggestions, model, cost_usd)
             VALUES ($1, $2, CASE WHEN $2 = 'ready' THEN 'note' END, '{}', 1, $3, $4::float8::numeric)",
        )
        .bind(Uuid::now_v7())
        .bind(status)
        .bind(model)
        .bind(cost)
        .execute(&db)
        .await
        .expect("note");
    }
    let stock = report(&app, &admin, "/reports/stock").await;
    assert_eq!(
        stock["ai"],
        json!({"spent_today_usd": 0.75, "daily_budget_usd": 2.5})
    );

    let unbudgeted = TestApp::new(db.clone());
    let (_, admin) = unbudgeted.admin().await;
    let stock = report(&unbudgeted, &admin, "/reports/stock").await;
    assert_eq!(stock["ai"]["daily_budget_usd"], Value::Null);
    assert_eq!(stock["ai"]["spent_today_usd"], 0.75);
}
