//! Order creation through the real handler, in-process, against the real Postgres.
//!
//! Prints throughput and latency at 1 and 16 concurrent clients for 3-line orders, pgbench's
//! TPC-B-like TPS at the same client counts for comparison, and a hot-product run (500
//! concurrent single-item orders against a stock of 100). Figures only; nothing is asserted.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;
use support::{Latencies, Lcg, ms};
use uuid::Uuid;

const PRODUCTS: usize = 200;
const RUN_FOR: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() {
    let (pool, _) = support::fresh_database("shop_bench_orders", 20).await;
    let app = Arc::new(support::app(pool.clone()));
    let (_, admin) = app.admin().await;
    let mut products = Vec::with_capacity(PRODUCTS);
    for i in 0..PRODUCTS {
        let body = app
            .post("/products")
            .bearer(&admin)
            .json(&json!({"sku": format!("BENCH-{i}"), "name": format!("Bench product {i}"), "price_cents": 100 + i, "stock": 1_000_000_000}))
            .send()
            .await
            .expect(StatusCode::CREATED)
            .body;
        products.push(Uuid::parse_str(body["id"].as_str().expect("id")).expect("uuid"));
    }
    let products = Arc::new(products);

    println!(
        "order creation: 3-line orders, handler in-process, real Postgres, {}s per run",
        RUN_FOR.as_secs()
    );
    let mut ours = Vec::new();
    for clients in [1usize, 16] {
        let (rate, latencies) = run_clients(&app, &products, clients).await;
        println!(
            "  {clients:>2} client(s): {rate:>8.1} orders/s  {}",
            latencies.line()
        );
        ours.push((clients, rate));
    }

    println!(
        "pgbench TPC-B-like, scale 10, same server, {}s per run",
        RUN_FOR.as_secs()
    );
    for (clients, rate) in ours {
        match pgbench(clients) {
            Some(tps) => println!(
                "  {clients:>2} client(s): {tps:>8.1} TPS   orders/s ÷ TPS = {:.2}",
                rate / tps
            ),
            None => println!("  {clients:>2} client(s): pgbench unavailable"),
        }
    }

    hot_product(&app, &admin).await;
    pool.close().await;
}

async fn run_clients(
    app: &Arc<shared::testkit::TestApp>,
    products: &Arc<Vec<Uuid>>,
    clients: usize,
) -> (f64, Latencies) {
    let mut tokens = Vec::new();
    for _ in 0..clients {
        tokens.push(app.customer().await.1);
    }
    let started = Instant::now();
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(client, token)| {
            let app = app.clone();
            let products = products.clone();
            tokio::spawn(async move {
                let mut random = Lcg::new(client as u64 + 1);
                let mut samples = Vec::new();
                while started.elapsed() < RUN_FOR {
                    let items: Vec<_> = (0..3)
                        .map(|_| json!({"product_id": products[random.below(products.len())], "quantity": 1 + random.below(3)}))
                        .collect();
                    let begun = Instant::now();
                    let response = app.post("/orders").bearer(&token).json(&json!({"items": items})).send().await;
                    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
                    samples.push(begun.elapsed());
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.expect("client"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    (samples.len() as f64 / elapsed, Latencies::new(samples))
}

/// pgbench's TPS over TCP to the same server, or None when pgbench is not installed.
fn pgbench(clients: usize) -> Option<f64> {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/shop".into());
    let server = url
        .rsplit_once('/')
        .map(|(server, _)| server.to_owned())
        .unwrap_or(url);
    let target = format!("{server}/shop_bench_pgbench");
    let admin = format!("{server}/postgres");
    let run = |args: &[&str]| Command::new("pgbench").args(args).output().ok();
    let _ = Command::new("psql")
        .args([
            admin.as_str(),
            "-qc",
            "DROP DATABASE IF EXISTS shop_bench_pgbench WITH (FORCE)",
        ])
        .output();
    let _ = Command::new("psql")
        .args([admin.as_str(), "-qc", "CREATE DATABASE shop_bench_pgbench"])
        .output();
    run(&["-i", "-q", "-s", "10", &target])?;
    let seconds = RUN_FOR.as_secs().to_string();
    let clients = clients.to_string();
    let threads = if clients == "1" { "1" } else { "2" };
    let output = run(&["-c", &clients, "-j", threads, "-T", &seconds, &target])?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find(|line| line.starts_with("tps = "))
        .and_then(|line| line.trim_start_matches("tps = ").split_whitespace().next())
        .and_then(|tps| tps.parse().ok())
}

async fn hot_product(app: &Arc<shared::testkit::TestApp>, admin: &str) {
    const ORDERS: usize = 500;
    const STOCK: i64 = 100;
    let body = app
        .post("/products")
        .bearer(admin)
        .json(&json!({"sku": "HOT", "name": "Hot product", "price_cents": 999, "stock": STOCK}))
        .send()
        .await
        .expect(StatusCode::CREATED)
        .body;
    let hot = body["id"].as_str().expect("id").to_owned();
    let mut tokens = Vec::new();
    for _ in 0..50 {
        tokens.push(app.customer().await.1);
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..ORDERS)
        .map(|i| {
            let app = app.clone();
            let token = tokens[i % tokens.len()].clone();
            let hot = hot.clone();
            tokio::spawn(async move {
                let begun = Instant::now();
                let response = app
                    .post("/orders")
                    .bearer(&token)
                    .json(&json!({"items": [{"product_id": hot, "quantity": 1}]}))
                    .send()
                    .await;
                (response.status, begun.elapsed())
            })
        })
        .collect();
    let mut accepted = 0;
    let mut refused = 0;
    let mut samples = Vec::new();
    for task in tasks {
        let (status, took) = task.await.expect("order");
        match status {
            StatusCode::CREATED => accepted += 1,
            StatusCode::CONFLICT => refused += 1,
            other => panic!("unexpected {other}"),
        }
        samples.push(took);
    }
    let latencies = Latencies::new(samples);
    println!(
        "hot product: {ORDERS} concurrent single-item orders, stock {STOCK}: {accepted} accepted, {refused} refused (409), slowest answer {:.1} ms, all done in {:.1} ms",
        ms(latencies.max()),
        ms(started.elapsed())
    );
    println!("  {}", latencies.line());
}
