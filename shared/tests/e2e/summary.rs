//! The AI summary through the whole local stack: orders-create → outbox → SQS (moto) → the
//! local event source → order-summary → the fake provider (`localstack/fake_provider.py`).
//!
//! Needs, besides `E2E_API_URL`: the stack started with `OPENROUTER_BASE_URL` pointing at the
//! fake provider and an `OPENROUTER_API_KEY`; `AWS_ENDPOINT_URL_SQS` for the DLQ check; and
//! `E2E_SQS_PID` (the moto process) for the SQS-outage scenario, which is skipped without it.
//! The fake provider picks its behaviour from markers in product names, so these tests can run
//! at the same time.

use std::time::{Duration, Instant};

use aws_sdk_sqs::types::QueueAttributeName;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::client::Stack;

/// Generous: retries on the local clock end within about two minutes.
const SETTLE_WITHIN: Duration = Duration::from_secs(240);

/// The most POST /orders may take while the provider hangs: half the consumer's request timeout
/// (10 s in the local stack) and far below the hang (120 s), so an order path that waited for
/// the provider in any way fails.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

pub(crate) async fn product(stack: &Stack, admin: &str, name: &str) -> String {
    let sku = format!("SUM-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let created = stack
        .call(
            Method::POST,
            "/products",
            Some(admin),
            Some(json!({"sku": sku, "name": name, "price_cents": 990, "stock": 1000, "low_stock_threshold": 5})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_str().expect("id").to_owned()
}

/// Places an order; returns it and how long POST /orders took.
pub(crate) async fn order(stack: &Stack, customer: &str, product_id: &str) -> (Value, Duration) {
    let started = Instant::now();
    let created = stack
        .call(
            Method::POST,
            "/orders",
            Some(customer),
            Some(json!({"items": [{"product_id": product_id, "quantity": 2}]})),
        )
        .await;
    let took = started.elapsed();
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    (created.body, took)
}

/// Polls the order until its summary leaves `pending`.
pub(crate) async fn settled_summary(stack: &Stack, token: &str, order_id: &str) -> Value {
    let deadline = Instant::now() + SETTLE_WITHIN;
    loop {
        let fetched = stack
            .call(
                Method::GET,
                &format!("/orders/{order_id}"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(fetched.status, StatusCode::OK, "{}", fetched.body);
        if fetched.body["summary"]["status"] != "pending" {
            return fetched.body["summary"].clone();
        }
        assert!(
            Instant::now() < deadline,
            "summary of {order_id} still pending after {SETTLE_WITHIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits until the fake provider has received a call for the order (its `/stats`).
pub(crate) async fn provider_has_been_called_for(order_id: &str) {
    let base =
        std::env::var("OPENROUTER_BASE_URL").expect("OPENROUTER_BASE_URL names the fake provider");
    let deadline = Instant::now() + SETTLE_WITHIN;
    loop {
        let stats: Value = testkit::http::get(format!("{}/stats", base.trim_end_matches('/')))
            .await
            .expect("the fake provider answers")
            .json()
            .await
            .expect("stats are JSON");
        if stats["calls"][order_id].as_u64().unwrap_or(0) > 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the provider saw no call for {order_id} within {SETTLE_WITHIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn summary_becomes_ready_with_the_providers_text() {
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let customer = stack.new_customer().await;
    let product_id = product(&stack, &admin, "Summary mug").await;

    let (created, _) = order(&stack, &customer, &product_id).await;
    // The summary is staff information: the customer never sees it.
    assert_eq!(created["summary"], Value::Null, "{created}");
    let order_id = created["id"].as_str().expect("id");

    let summary = settled_summary(&stack, &admin, order_id).await;
    assert_eq!(summary["status"], "ready", "{summary}");
    assert_eq!(
        summary["text"],
        format!("Fake summary of order {order_id}.")
    );
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn a_hanging_provider_does_not_slow_order_creation() {
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let customer = stack.new_customer().await;
    let normal = product(&stack, &admin, "Quick kettle").await;
    let hanging = product(&stack, &admin, "Slow kettle [provider:hang]").await;
    // Warm the path so a cold start is not measured.
    order(&stack, &customer, &normal).await;

    let (first, _) = order(&stack, &customer, &hanging).await;
    let first_id = first["id"].as_str().expect("id").to_owned();
    // From here on the provider holds a call it will not answer for minutes.
    provider_has_been_called_for(&first_id).await;

    for _ in 0..3 {
        for product_id in [&hanging, &normal] {
            let (created, took) = order(&stack, &customer, product_id).await;
            assert_eq!(created["summary"], Value::Null);
            assert!(
                took < ANSWER_WITHIN,
                "POST /orders took {took:?} while the provider hangs"
            );
        }
    }
    let fetched = stack
        .call(
            Method::GET,
            &format!("/orders/{first_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        fetched.body["summary"]["status"], "pending",
        "the provider was meant to be hanging: {}",
        fetched.body
    );
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn a_failing_provider_ends_in_failed_with_the_message_dead_lettered() {
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let customer = stack.new_customer().await;
    let product_id = product(&stack, &admin, "Broken teapot [provider:fail]").await;

    let (created, _) = order(&stack, &customer, &product_id).await;
    let order_id = created["id"].as_str().expect("id").to_owned();

    let summary = settled_summary(&stack, &admin, &order_id).await;
    assert_eq!(summary["status"], "failed", "{summary}");
    assert_eq!(summary["text"], Value::Null);
    assert!(
        dead_lettered(&order_id).await,
        "the order's message is in the dead-letter queue"
    );
}

/// Looks for the order's message in the DLQ without taking it (visibility 0).
async fn dead_lettered(order_id: &str) -> bool {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_SQS")
        .expect("AWS_ENDPOINT_URL_SQS names the local SQS API");
    let sqs = testkit::local_sqs_client(&endpoint);
    let queue_url = std::env::var("ORDERS_QUEUE_URL")
        .unwrap_or_else(|_| format!("{endpoint}/123456789012/shop-orders"));
    let dlq_url = shared::summary::redrive::dead_letter_queue_url(&sqs, &queue_url)
        .await
        .expect("the orders queue has a dead-letter queue");
    // The queue moves the message on the receive after the last failure, moments later.
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let received = sqs
            .receive_message()
            .queue_url(&dlq_url)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .wait_time_seconds(1)
            .send()
            .await
            .expect("receive from the dead-letter queue");
        if received
            .messages()
            .iter()
            .any(|m| m.body().is_some_and(|body| body.contains(order_id)))
        {
            return true;
        }
    }
    let depth = sqs
        .get_queue_attributes()
        .queue_url(&dlq_url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await
        .ok()
        .and_then(|out| out.attributes)
        .and_then(|mut attributes| {
            attributes.remove(&QueueAttributeName::ApproximateNumberOfMessages)
        });
    println!("dead-letter queue depth: {depth:?}");
    false
}

/// Pauses the SQS API (SIGSTOP) and resumes it when dropped, even if the test fails.
struct PausedSqs(String);

impl PausedSqs {
    fn pause(pid: String) -> Self {
        signal("-STOP", &pid);
        Self(pid)
    }
}

impl Drop for PausedSqs {
    fn drop(&mut self) {
        signal("-CONT", &self.0);
    }
}

fn signal(which: &str, pid: &str) {
    let status = std::process::Command::new("kill")
        .args([which, pid])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill {which} {pid}");
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn an_order_placed_while_sqs_is_down_is_still_summarised() {
    let Ok(sqs_pid) = std::env::var("E2E_SQS_PID") else {
        println!("skipped: E2E_SQS_PID (the moto process) is not set");
        return;
    };
    let stack = Stack::from_env();
    let admin = stack.admin().await;
    let customer = stack.new_customer().await;
    let product_id = product(&stack, &admin, "Outage saucer").await;

    let created = {
        let _paused = PausedSqs::pause(sqs_pid);
        let (created, took) = order(&stack, &customer, &product_id).await;
        println!("POST /orders took {took:?} with SQS down");
        created
    };
    let order_id = created["id"].as_str().expect("id");

    // The request's own send timed out; the outbox relay sends it once SQS is back.
    let summary = settled_summary(&stack, &admin, order_id).await;
    assert_eq!(summary["status"], "ready", "{summary}");
    assert_eq!(
        summary["text"],
        format!("Fake summary of order {order_id}.")
    );
}
