//! Order creation through the real handler, in-process, against the real Postgres.
//!
//! Prints the statements (round trips) each order costs, throughput and latency at 1 and 16
//! concurrent clients for 3-line orders (and at 16 with an `Idempotency-Key` on every order),
//! pgbench's TPC-B-like TPS at the same client counts for a ratio, and two hot-product runs:
//! 1000 concurrent single-unit orders against a stock of 100, and 16 clients ordering one
//! product whose stock does not run out (then each client a product of its own, for the rate
//! without the shared row). Figures only; nothing is asserted.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;
use support::{Latencies, Lcg, ms, statements};
use testkit::TestApp;
use uuid::Uuid;

const PRODUCTS: usize = 200;
const RUN_FOR: Duration = Duration::from_secs(10);
const UNLIMITED: i64 = 1_000_000_000;

#[tokio::main]
async fn main() {
    statements::install();
    let (pool, _) = support::fresh_database("shop_bench_orders", 20).await;
    let app = Arc::new(support::app(pool.clone()));
    let (_, admin) = app.admin().await;
    let mut products = Vec::with_capacity(PRODUCTS);
    for i in 0..PRODUCTS {
        products.push(
            app.product(&admin, &format!("BENCH-{i}"), 100 + i as i64, UNLIMITED)
                .await,
        );
    }
    let products = Arc::new(products);

    round_trips(&app, &products).await;

    println!(
        "order creation: 3-line orders, handler in-process, real Postgres, {}s per run",
        RUN_FOR.as_secs()
    );
    let mut ours = Vec::new();
    for (clients, keyed) in [(1usize, false), (16, false), (16, true)] {
        let (rate, latencies) = run_clients(&app, &products, clients, keyed).await;
        let with = if keyed { " + Idempotency-Key" } else { "" };
        println!(
            "  {clients:>2} client(s){with}: {rate:>8.1} orders/s  {}",
            latencies.line()
        );
        ours.push((clients, with, rate));
    }

    println!(
        "pgbench TPC-B-like, scale 10, same server, {}s per run",
        RUN_FOR.as_secs()
    );
    let mut tps_at = Vec::new();
    for clients in [1usize, 16] {
        let tps = pgbench(clients);
        match tps {
            Some(tps) => println!("  {clients:>2} client(s): {tps:>8.1} TPS"),
            None => println!("  {clients:>2} client(s): pgbench unavailable"),
        }
        tps_at.push((clients, tps));
    }
    for (clients, with, rate) in ours {
        if let Some((_, Some(tps))) = tps_at.iter().find(|(c, _)| *c == clients) {
            println!(
                "  orders/s ÷ TPS, {clients:>2} client(s){with}: {:.2}",
                rate / tps
            );
        }
    }

    hot_product(&app, &admin).await;
    one_product_unlimited(&app, &admin).await;
    pool.close().await;
}

/// Statements per order (each a round trip), counted over sequential orders after a warm-up
/// (so connections are open and statements prepared), with and without an Idempotency-Key.
async fn round_trips(app: &Arc<TestApp>, products: &Arc<Vec<Uuid>>) {
    const ORDERS: u64 = 100;
    let (_, token) = app.customer().await;
    let mut random = Lcg::new(99);
    let mut order = |key: Option<String>| {
        let items: Vec<_> = (0..3)
            .map(|_| json!({"product_id": products[random.below(products.len())], "quantity": 1}))
            .collect();
        let mut request = app
            .post("/orders")
            .bearer(&token)
            .json(&json!({"items": items}));
        if let Some(key) = key {
            request = request.header("idempotency-key", &key);
        }
        async move {
            request.send().await.expect(StatusCode::CREATED);
        }
    };
    for _ in 0..10 {
        order(None).await;
        order(Some(Uuid::now_v7().to_string())).await;
    }
    let mut plain = Vec::new();
    let mut keyed = Vec::new();
    for _ in 0..ORDERS {
        plain.push(order(None));
        keyed.push(order(Some(Uuid::now_v7().to_string())));
    }
    let plain = statements::count(async {
        for request in plain {
            request.await;
        }
    })
    .await;
    let keyed = statements::count(async {
        for request in keyed {
            request.await;
        }
    })
    .await;
    println!(
        "SQL statements per order (session check included, over {ORDERS} orders; BEGIN, SAVEPOINT and connection pings are round trips sqlx sends outside its statement log): {:.1} without a key, {:.1} with an Idempotency-Key",
        plain as f64 / ORDERS as f64,
        keyed as f64 / ORDERS as f64
    );
}

async fn run_clients(
    app: &Arc<TestApp>,
    products: &Arc<Vec<Uuid>>,
    clients: usize,
    keyed: bool,
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
                    let mut request = app.post("/orders").bearer(&token).json(&json!({"items": items}));
                    if keyed {
                        request = request.header("idempotency-key", &Uuid::now_v7().to_string());
                    }
                    let begun = Instant::now();
                    let response = request.send().await;
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
    let url = support::database_url();
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
    let tps = text
        .lines()
        .find(|line| line.starts_with("tps = "))
        .and_then(|line| line.trim_start_matches("tps = ").split_whitespace().next())
        .and_then(|tps| tps.parse().ok());
    if tps.is_none() {
        // Say why, so a missing ratio can be put right (connection limit, a failed init).
        let reason = String::from_utf8_lossy(&output.stderr);
        let last = reason.lines().rev().find(|line| !line.trim().is_empty());
        println!(
            "  pgbench -c {clients}: no TPS ({})",
            last.unwrap_or("no output")
        );
    }
    tps
}

/// 1000 single-unit orders for one product with a stock of 100, all started at once.
async fn hot_product(app: &Arc<TestApp>, admin: &str) {
    const ORDERS: usize = 1000;
    const STOCK: i64 = 100;
    let hot = app.product(admin, "HOT", 999, STOCK).await;
    let mut tokens = Vec::new();
    for _ in 0..50 {
        tokens.push(app.customer().await.1);
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..ORDERS)
        .map(|i| {
            let app = app.clone();
            let token = tokens[i % tokens.len()].clone();
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
        "hot product: {ORDERS} concurrent single-unit orders, stock {STOCK}: {accepted} accepted, {refused} refused (409), slowest answer {:.1} ms, all done in {:.1} ms",
        ms(latencies.max()),
        ms(started.elapsed())
    );
    println!("  {}", latencies.line());
}

/// 16 clients ordering single units whose stock does not run out: all of one product, then each
/// client a product of its own. The second run is the same orders without a shared product row,
/// so it bounds what splitting one product's stock into slots could reach on this machine.
async fn one_product_unlimited(app: &Arc<TestApp>, admin: &str) {
    const CLIENTS: usize = 16;
    let shared = app.product(admin, "HOT-UNLIMITED", 500, UNLIMITED).await;
    let one_product = single_unit_orders(app, vec![shared; CLIENTS]).await;
    println!(
        "one product, unlimited stock, {CLIENTS} clients, single-unit orders: {}",
        one_product
    );
    let mut own = Vec::with_capacity(CLIENTS);
    for client in 0..CLIENTS {
        own.push(
            app.product(admin, &format!("OWN-UNLIMITED-{client}"), 500, UNLIMITED)
                .await,
        );
    }
    let own_products = single_unit_orders(app, own).await;
    println!(
        "  the same with a product per client (no shared row): {}",
        own_products
    );
}

/// One client per product given, each ordering one unit of it for RUN_FOR: the rate and latencies.
async fn single_unit_orders(app: &Arc<TestApp>, products: Vec<Uuid>) -> String {
    let mut tokens = Vec::new();
    for _ in 0..products.len() {
        tokens.push(app.customer().await.1);
    }
    let started = Instant::now();
    let tasks: Vec<_> = tokens
        .into_iter()
        .zip(products)
        .map(|(token, product)| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut samples = Vec::new();
                while started.elapsed() < RUN_FOR {
                    let begun = Instant::now();
                    app.post("/orders")
                        .bearer(&token)
                        .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
                        .send()
                        .await
                        .expect(StatusCode::CREATED);
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
    let rate = samples.len() as f64 / started.elapsed().as_secs_f64();
    format!("{rate:.1} orders/s  {}", Latencies::new(samples).line())
}
