//! `GET /products` on 100,000 products: the handler in-process against the real Postgres.
//! Prints p50/p99 for the first page, a search, the low-stock view, and deep keyset pages.

mod support;

use std::time::Instant;

use axum::http::StatusCode;
use support::Latencies;

const PRODUCTS: i64 = 100_000;
const SAMPLES: usize = 300;

#[tokio::main]
async fn main() {
    let (pool, _) = support::fresh_database("shop_bench_catalogue", 4).await;
    let started = Instant::now();
    // Stock goes through the ledger as everywhere else: one movement per product.
    sqlx::query(
        "WITH made AS (
             INSERT INTO inventory.products (id, sku, name, description, price_cents, stock, low_stock_threshold)
             SELECT gen_random_uuid(), 'SKU-' || g, 'Product ' || md5(g::text), 'Generated', 100 + g % 5000, g % 50, 5
             FROM generate_series(1, $1) AS g
             RETURNING id, stock)
         INSERT INTO inventory.stock_movements (id, product_id, delta, reason, stock_after)
         SELECT gen_random_uuid(), id, stock, 'initial stock', stock FROM made WHERE stock > 0",
    )
    .bind(PRODUCTS)
    .execute(&pool)
    .await
    .expect("seed products");
    sqlx::query("ANALYZE")
        .execute(&pool)
        .await
        .expect("analyze");
    println!(
        "catalogue: {PRODUCTS} products seeded in {:.1} s; {SAMPLES} requests per case, one at a time",
        started.elapsed().as_secs_f64()
    );

    let app = support::app(pool.clone());
    for (label, path) in [
        ("first page (limit 20)", "/products"),
        ("first page (limit 100)", "/products?limit=100"),
        ("search q=ab12", "/products?q=ab12"),
        ("search q=sku-4242", "/products?q=sku-4242"),
        ("low stock", "/products?low_stock=true"),
    ] {
        let mut samples = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let begun = Instant::now();
            app.get(path).send().await.expect(StatusCode::OK);
            samples.push(begun.elapsed());
        }
        println!("  {label:<24} {}", Latencies::new(samples).line());
    }

    // Walk 300 pages deep: each page costs the same however far in it is.
    let mut samples = Vec::with_capacity(SAMPLES);
    let mut path = "/products?limit=100".to_owned();
    for _ in 0..SAMPLES {
        let begun = Instant::now();
        let page = app.get(&path).send().await.expect(StatusCode::OK);
        samples.push(begun.elapsed());
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/products?limit=100&cursor={cursor}"),
            None => break,
        }
    }
    println!(
        "  {:<24} {}",
        "keyset pages 1..300",
        Latencies::new(samples).line()
    );
    pool.close().await;
}
