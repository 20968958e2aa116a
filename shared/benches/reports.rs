//! The staff reports on a big shop: 100,000 products and 1,000,000 orders (2 lines each) over
//! the last year, seeded with generate_series. Prints p50/p95/p99 of each report, in-process
//! against the real Postgres, one request at a time, and beside them the top-products query
//! the sales report made before the held period totals (summing the period's day rows).

mod support;

use std::time::Instant;

use axum::http::StatusCode;
use shared::reports::top_products;
use support::{Latencies, ms};

const PRODUCTS: i64 = 100_000;
const ORDERS: i64 = 1_000_000;
const CUSTOMERS: i64 = 1_000;
const SAMPLES: usize = 200;
/// The day-row sum takes seconds for a year: fewer samples.
const DAY_ROW_SAMPLES: usize = 20;

/// Products, customers, orders and lines in one transaction. Row triggers are off for the bulk
/// load (replica role) and the rollups are rebuilt once afterwards, as an operator would after
/// an import; every order placed through the API keeps them by trigger instead.
const SEED: &[&str] = &[
    "SET LOCAL session_replication_role = replica",
    "INSERT INTO inventory.products (id, sku, name, description, price_cents, stock, low_stock_threshold)
     SELECT md5('p' || g)::uuid, 'SKU-' || g, 'Product ' || md5(g::text), 'Generated',
            100 + g % 5000, g % 50, 5
     FROM generate_series(1, $products) AS g",
    "INSERT INTO auth.users (id, email, password_hash)
     SELECT md5('u' || g)::uuid, 'customer' || g || '@example.com', '!'
     FROM generate_series(1, $customers) AS g",
    // 1 000 000 orders spread evenly over 365 days; 10 % cancelled, 20 % fulfilled; summaries
    // mostly ready, some pending, failed and disabled.
    "INSERT INTO orders.orders (id, user_id, status, total_cents, summary_status, summary_text,
                                created_at, updated_at)
     SELECT md5('o' || g)::uuid, md5('u' || (1 + g % $customers))::uuid,
            CASE WHEN g % 10 = 0 THEN 'cancelled' WHEN g % 10 IN (1, 2) THEN 'fulfilled' ELSE 'confirmed' END,
            0, s.status, CASE WHEN s.status = 'ready' THEN 'Generated summary.' END,
            now() - make_interval(secs => g * 31.536), now() - make_interval(secs => g * 31.536)
     FROM generate_series(1::bigint, $orders) AS g,
          LATERAL (SELECT CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 97 = 0 THEN 'failed'
                               WHEN g % 13 = 0 THEN 'disabled' ELSE 'ready' END AS status) s",
    // Two lines per order on two different products.
    "INSERT INTO orders.order_lines (order_id, line_no, product_id, sku, name, unit_price_cents,
                                     quantity, line_total_cents)
     SELECT md5('o' || g)::uuid, l.line_no, md5('p' || l.p)::uuid, 'SKU-' || l.p, 'Product',
            100 + l.p % 5000, l.quantity, (100 + l.p % 5000) * l.quantity
     FROM generate_series(1::bigint, $orders) AS g,
          LATERAL (VALUES (1, 1 + (g * 7919) % $products, 1 + g % 3),
                          (2, 1 + ((g * 7919) % $products + 1 + g % 1000) % $products, 1))
                  AS l(line_no, p, quantity)",
    "UPDATE orders.orders o SET total_cents = t.total
     FROM (SELECT order_id, sum(line_total_cents) AS total FROM orders.order_lines GROUP BY order_id) t
     WHERE t.order_id = o.id",
];

#[tokio::main]
async fn main() {
    let (pool, _) = support::fresh_database("shop_bench_reports", 4).await;
    let started = Instant::now();
    let mut tx = pool.begin().await.expect("begin");
    for statement in SEED {
        let statement = statement
            .replace("$products", &PRODUCTS.to_string())
            .replace("$customers", &CUSTOMERS.to_string())
            .replace("$orders", &ORDERS.to_string());
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&mut *tx)
            .await
            .expect("seed");
    }
    tx.commit().await.expect("commit seed");
    let seeded = started.elapsed();
    let rebuild = Instant::now();
    sqlx::query("SELECT reports.rebuild()")
        .execute(&pool)
        .await
        .expect("rebuild rollups");
    let rebuilt = rebuild.elapsed();
    sqlx::query("VACUUM ANALYZE")
        .execute(&pool)
        .await
        .expect("vacuum analyze");
    // What outbox-relay does once a day (the rebuild above did it too).
    let refresh = Instant::now();
    sqlx::query("SELECT reports.refresh_product_spans()")
        .execute(&pool)
        .await
        .expect("refresh the period totals");
    let refreshed = refresh.elapsed();
    println!(
        "reports: {PRODUCTS} products, {ORDERS} orders ({} lines) seeded in {:.1} s; rollups rebuilt in {:.1} s; period totals refreshed in {:.1} s; {SAMPLES} requests per case, one at a time",
        ORDERS * 2,
        seeded.as_secs_f64(),
        rebuilt.as_secs_f64(),
        refreshed.as_secs_f64()
    );

    let app = support::app(pool.clone());
    let (_, admin) = app.admin().await;
    for (label, path) in [
        ("sales, 30 days (default)", "/reports/sales"),
        ("sales, 366 days", "/reports/sales?days=366"),
        ("stock", "/reports/stock"),
    ] {
        let mut samples = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let begun = Instant::now();
            app.get(path)
                .bearer(&admin)
                .send()
                .await
                .expect(StatusCode::OK);
            samples.push(begun.elapsed());
        }
        let latencies = Latencies::new(samples);
        println!(
            "  {label:<26} p95 {:>7.2} ms  {}",
            ms(latencies.percentile(95.0)),
            latencies.line()
        );
    }
    for days in [30, 366] {
        let mut samples = Vec::with_capacity(DAY_ROW_SAMPLES);
        let mut read = None;
        for _ in 0..DAY_ROW_SAMPLES {
            let mut tx = pool.begin().await.expect("begin");
            let begun = Instant::now();
            top_products::from_day_rows(&mut tx, days)
                .await
                .expect("day rows");
            samples.push(begun.elapsed());
            read = Some(
                top_products::top_products(&mut tx, days)
                    .await
                    .expect("top products")
                    .1,
            );
            tx.rollback().await.expect("rollback");
        }
        let latencies = Latencies::new(samples);
        println!(
            "  {:<26} p95 {:>7.2} ms  {}  (the report now reads {:?})",
            format!("day rows, {days} days (before)"),
            ms(latencies.percentile(95.0)),
            latencies.line(),
            read.expect("a sample")
        );
    }
    pool.close().await;
}
