//! Webhooks through the running local stack: `webhook-relay` on the event source's timer,
//! the deliveries queue, `webhook-deliver` and its back-off by visibility, against receivers on
//! loopback that verify every signature with the PyPI `standardwebhooks` package.
//!
//! Other tests order at the same time: each test subscribes to an event of its own where it can,
//! looks only at the deliveries of its own orders or products, and deletes its endpoint at the end.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::client::Stack;
use crate::webhook_receiver::Receiver;

/// The local schedule (1, 2, 3, 5, 8, 13, 21 s) plus the 5 s timeout of a hanging receiver and
/// the relay's 5 s timer, with room for a busy machine.
const SETTLE_WITHIN: Duration = Duration::from_secs(240);

struct Hook {
    stack: Stack,
    admin: String,
    receiver: Receiver,
    endpoint: String,
    product: String,
}

impl Hook {
    async fn new(event: &str) -> Self {
        let stack = Stack::from_env();
        let admin = stack.admin().await;
        let receiver = Receiver::start();
        let created = stack
            .call(
                Method::POST,
                "/webhooks",
                Some(&admin),
                Some(json!({"url": receiver.hook(), "events": [event]})),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        receiver
            .expect_secret(created.body["secret"].as_str().expect("secret"))
            .await;
        let product = crate::summary::product(&stack, &admin, "Webhook mug").await;
        Self {
            endpoint: created.body["id"].as_str().expect("id").to_owned(),
            stack,
            admin,
            receiver,
            product,
        }
    }

    async fn orders(&self, count: usize) -> Vec<String> {
        let customer = self.stack.new_customer().await;
        let mut ids = Vec::new();
        for _ in 0..count {
            let (order, _) = crate::summary::order(&self.stack, &customer, &self.product).await;
            ids.push(order["id"].as_str().expect("id").to_owned());
        }
        ids
    }

    /// Calls `path` as the admin, expecting `200`.
    async fn admin_post(&self, path: &str, body: Option<Value>) -> Value {
        let reply = self
            .stack
            .call(Method::POST, path, Some(&self.admin), body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        reply.body
    }

    /// Every delivery of this endpoint.
    async fn deliveries(&self) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = self
                .stack
                .call(
                    Method::GET,
                    &format!("/webhooks/{}/deliveries?limit=100{cursor}", self.endpoint),
                    Some(&self.admin),
                    None,
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            items.extend(
                page.body["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .cloned(),
            );
            match page.body["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => return items,
            }
        }
    }

    /// The delivery whose event's `data.id` is `subject`, once the receiver has seen it.
    async fn delivery_of(&self, order: &str) -> Value {
        let deadline = Instant::now() + SETTLE_WITHIN;
        loop {
            let state = self.receiver.state().await;
            let found = state["by_id"].as_object().and_then(|by_id| {
                by_id
                    .iter()
                    .find(|(_, seen)| seen["subject"] == order)
                    .map(|(id, _)| id.clone())
            });
            if let Some(id) = found
                && let Some(delivery) = self
                    .deliveries()
                    .await
                    .into_iter()
                    .find(|delivery| delivery["id"] == id.as_str())
            {
                return delivery;
            }
            assert!(Instant::now() < deadline, "no delivery of {order}: {state}");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Polls the delivery until `done` says so.
    async fn wait_for(&self, delivery: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + SETTLE_WITHIN;
        loop {
            let current = self
                .deliveries()
                .await
                .into_iter()
                .find(|item| item["id"] == delivery)
                .expect("the delivery is listed");
            if done(&current) {
                return current;
            }
            assert!(
                Instant::now() < deadline,
                "delivery {delivery} stuck: {current}"
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Receives of `webhook_id`: (posts, accepted).
    async fn seen(&self, webhook_id: &str) -> (u64, u64) {
        let state = self.receiver.state().await;
        let entry = &state["by_id"][webhook_id];
        (
            entry["posts"].as_u64().unwrap_or(0),
            entry["accepted"].as_u64().unwrap_or(0),
        )
    }

    async fn delete(self) {
        let deleted = self
            .stack
            .call(
                Method::DELETE,
                &format!("/webhooks/{}", self.endpoint),
                Some(&self.admin),
                None,
            )
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    }
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn a_receiver_failing_three_times_gets_the_order_once_on_the_fourth_attempt() {
    let hook = Hook::new("order.fulfilled").await;
    hook.receiver
        .control(json!({"mode": "accept", "fail_first": 3}))
        .await;
    let order = hook.orders(1).await.remove(0);
    hook.admin_post(&format!("/orders/{order}/fulfil"), None)
        .await;
    let delivery = hook.delivery_of(&order).await;
    let id = delivery["id"].as_str().expect("id").to_owned();
    let done = hook.wait_for(&id, |d| d["status"] != "pending").await;
    assert_eq!(done["status"], "delivered", "{done}");
    assert_eq!(done["attempts"], 4);
    assert_eq!(done["last_status_code"], 200);
    assert_eq!(hook.seen(&id).await, (4, 1));
    let state = hook.receiver.state().await;
    assert_eq!(state["bad_signatures"], 0);
    assert_eq!(
        state["unverified"], 0,
        "standardwebhooks checked every POST"
    );
    hook.delete().await;
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn a_hanging_receiver_is_timed_out_and_tried_again() {
    let hook = Hook::new("product.low_stock").await;
    hook.receiver
        .control(json!({"mode": "hang", "hang_seconds": 8}))
        .await;
    // The product (stock 1000, threshold 5) counted down to 5.
    let product = hook.product.clone();
    hook.admin_post(
        &format!("/products/{product}/stock-adjustments"),
        Some(json!({"delta": -995, "reason": "count"})),
    )
    .await;
    let delivery = hook.delivery_of(&product).await;
    let id = delivery["id"].as_str().expect("id").to_owned();
    let timed_out = hook
        .wait_for(&id, |d| d["attempts"].as_u64() >= Some(1))
        .await;
    assert_eq!(
        timed_out["last_error"], "timed out after 5 s",
        "{timed_out}"
    );
    assert!(timed_out["last_status_code"].is_null());
    hook.receiver.control(json!({"mode": "accept"})).await;
    let done = hook.wait_for(&id, |d| d["status"] == "delivered").await;
    assert!(done["attempts"].as_u64() >= Some(2), "{done}");
    hook.delete().await;
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn a_receiver_that_never_accepts_ends_failed_and_a_staff_retry_delivers() {
    let hook = Hook::new("order.cancelled").await;
    hook.receiver.control(json!({"mode": "fail"})).await;
    let order = hook.orders(1).await.remove(0);
    hook.admin_post(&format!("/orders/{order}/cancel"), None)
        .await;
    let delivery = hook.delivery_of(&order).await;
    let id = delivery["id"].as_str().expect("id").to_owned();
    let failed = hook.wait_for(&id, |d| d["status"] != "pending").await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["attempts"], 8, "the local schedule's 8 attempts");
    assert_eq!(failed["last_status_code"], 500);

    hook.receiver.control(json!({"mode": "accept"})).await;
    let retried = hook
        .stack
        .call(
            Method::POST,
            &format!("/webhooks/{}/deliveries/{id}/retry", hook.endpoint),
            Some(&hook.admin),
            None,
        )
        .await;
    assert_eq!(retried.status, StatusCode::ACCEPTED, "{}", retried.body);
    let done = hook.wait_for(&id, |d| d["status"] == "delivered").await;
    assert_eq!(done["attempts"], 9);
    assert_eq!(hook.seen(&id).await, (9, 1));
    hook.delete().await;
}

#[tokio::test]
#[ignore = "needs the local stack: run localstack/e2e.sh"]
async fn a_hundred_orders_while_the_receiver_is_down_each_arrive_once() {
    let hook = Hook::new("order.created").await;
    hook.receiver.control(json!({"mode": "down"})).await;
    let orders: HashSet<String> = hook.orders(100).await.into_iter().collect();
    // Down until it has refused deliveries of these orders.
    let deadline = Instant::now() + SETTLE_WITHIN;
    let refused_while_down = loop {
        let state = hook.receiver.state().await;
        let tried = state["by_id"]
            .as_object()
            .map(|by_id| {
                by_id
                    .values()
                    .filter(|seen| seen["subject"].as_str().is_some_and(|s| orders.contains(s)))
                    .count()
            })
            .unwrap_or(0);
        if tried >= 20 {
            break tried;
        }
        assert!(Instant::now() < deadline, "only {tried} of 100 tried");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    hook.receiver.control(json!({"mode": "accept"})).await;
    let deadline = Instant::now() + SETTLE_WITHIN;
    loop {
        let state = hook.receiver.state().await;
        let mine: Vec<&Value> = state["by_id"]
            .as_object()
            .map(|by_id| {
                by_id
                    .values()
                    .filter(|seen| seen["subject"].as_str().is_some_and(|s| orders.contains(s)))
                    .collect()
            })
            .unwrap_or_default();
        let accepted: HashSet<&str> = mine
            .iter()
            .filter(|seen| seen["accepted"].as_u64() >= Some(1))
            .filter_map(|seen| seen["subject"].as_str())
            .collect();
        assert!(
            mine.iter().all(|seen| seen["accepted"].as_u64() <= Some(1)),
            "an order was accepted twice"
        );
        if accepted.len() == orders.len() {
            assert_eq!(mine.len(), 100, "one webhook-id per order");
            assert!(refused_while_down > 0);
            assert_eq!(state["bad_signatures"], 0);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of 100 delivered",
            accepted.len()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    hook.delete().await;
}
