//! The pipeline under faults, through the whole local stack. `localstack/e2e.sh` puts fault
//! proxies (`localstack/fault_proxy.py`) between the stack and Postgres and between the stack
//! and SQS, and runs these tests alone, one at a time, after the rest: they cut or slow what
//! every test shares. Needs `E2E_DB_PROXY_CONTROL`, `E2E_SQS_PROXY_CONTROL` and
//! `OPENROUTER_BASE_URL` (the fake provider); skipped without them.
//!
//! A summary function killed mid-batch is not among them: `cargo lambda watch` does not start a
//! killed function again, so locally its batch could only end by the pending sweep, not by a
//! redelivery; the handler tests cover both halves (the sweep, and redelivery of failures).

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::client::Stack;
use crate::summary::{order, product, provider_has_been_called_for, settled_summary};

/// Sets a fault on a proxy (`/cut`, `/restore`, `/delay?ms=N`) and restores it when dropped,
/// even if the test fails.
struct Fault(String);

impl Fault {
    async fn set(control: &str, action: &str) -> Self {
        post(control, action).await;
        Self(control.to_owned())
    }
}

impl Drop for Fault {
    fn drop(&mut self) {
        // Drop cannot await; a blocking call on a thread of its own restores the proxy.
        let control = self.0.clone();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(post(&control, "/restore"));
        })
        .join();
    }
}

async fn post(control: &str, action: &str) {
    let response = testkit::http::client()
        .post(format!("{control}{action}"))
        .send()
        .await
        .expect("the fault proxy answers");
    assert!(
        response.status().is_success(),
        "{action}: {}",
        response.status()
    );
}

fn env(name: &str) -> Option<String> {
    let value = std::env::var(name).ok();
    if value.is_none() {
        println!("skipped: {name} is not set (run localstack/e2e.sh)");
    }
    value
}

async fn provider_calls() -> Value {
    let base = std::env::var("OPENROUTER_BASE_URL").expect("OPENROUTER_BASE_URL");
    testkit::http::get(format!("{}/stats", base.trim_end_matches('/')))
        .await
        .expect("the fake provider answers")
        .json::<Value>()
        .await
        .expect("stats are JSON")["calls"]
        .clone()
}

async fn place(stack: &Stack, customer: &str, product_id: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..count {
        let (created, _) = order(stack, customer, product_id).await;
        ids.push(created["id"].as_str().expect("id").to_owned());
    }
    ids
}

/// Every order's summary (staff information: read as `admin`) leaves `pending` and ends `ready` (or, at worst, `failed`).
async fn all_settle(stack: &Stack, admin: &str, ids: &[String]) -> Vec<String> {
    let mut statuses = Vec::new();
    for id in ids {
        let summary = settled_summary(stack, admin, id).await;
        let status = summary["status"].as_str().unwrap_or_default().to_owned();
        assert!(
            status == "ready" || status == "failed",
            "{id} ended {summary}"
        );
        statuses.push(status);
    }
    statuses
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn database_cut_with_messages_in_flight_leaves_no_summary_pending() {
    let Some(control) = env("E2E_DB_PROXY_CONTROL") else {
        return;
    };
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let customer = stack.new_customer().await;
    let product_id = product(&stack, &admin, "Cut jug [provider:slow]").await;
    let ids = place(&stack, &customer, &product_id, 5).await;
    provider_has_been_called_for(&ids[0]).await;

    {
        // The summaries are being written when the database goes away for a while.
        let _cut = Fault::set(&control, "/cut").await;
        tokio::time::sleep(Duration::from_secs(15)).await;
        let during = stack.call(Method::GET, "/health", None, None).await;
        println!("GET /health with the database cut: {}", during.status);
    }

    let statuses = all_settle(&stack, &admin, &ids).await;
    println!("after the cut: {statuses:?}");
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn sqs_slowed_loses_no_order_and_the_relay_drains() {
    let Some(control) = env("E2E_SQS_PROXY_CONTROL") else {
        return;
    };
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let customer = stack.new_customer().await;
    let product_id = product(&stack, &admin, "Slow-queue cup").await;

    let ids = {
        // 0.8 s a chunk: a send takes about as long as the request's send timeout (2 s), so
        // some orders are left to the relay, which must send them at this pace too.
        let _slow = Fault::set(&control, "/delay?ms=800").await;
        let started = Instant::now();
        let ids = place(&stack, &customer, &product_id, 6).await;
        println!("6 orders placed in {:?} with SQS slowed", started.elapsed());
        tokio::time::sleep(Duration::from_secs(20)).await;
        ids
    };

    let statuses = all_settle(&stack, &admin, &ids).await;
    assert!(
        statuses.iter().all(|status| status == "ready"),
        "{statuses:?}"
    );
    let calls = provider_calls().await;
    for id in &ids {
        let calls = calls[id.as_str()].as_u64().unwrap_or(0);
        // One stored summary per order always; a duplicate delivery racing the first may call
        // the provider once more, never more than that here.
        assert!((1..=2).contains(&calls), "{id}: {calls} provider calls");
    }
    let db = sqlx::PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .await
        .expect("database");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let unsent: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM orders.outbox WHERE sent_at IS NULL AND order_id::text = ANY($1)",
        )
        .bind(&ids)
        .fetch_one(&db)
        .await
        .expect("outbox count");
        if unsent == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{unsent} outbox rows still unsent"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
