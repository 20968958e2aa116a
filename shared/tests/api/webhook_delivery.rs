//! Webhook delivery against a real receiver on loopback (`localstack/webhook_receiver.py`, which
//! checks every signature with the PyPI `standardwebhooks` package): retries on the schedule,
//! timeouts, `failed` and the staff retry, one POST per concurrent receipt, no redirects, the
//! address check at delivery time, fan-out that never duplicates, the queue and retention.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::db_role::DbRole;
use shared::webhooks::consumer::DeliverFunction;
use shared::webhooks::deliver::{self, Outcome};
use shared::webhooks::fanout::{self, RelaySettings};
use shared::webhooks::queue::DeliveryQueue;
use shared::webhooks::schedule::DeliverySettings;
use shared::webhooks::target::TargetPolicy;
use sqlx::PgPool;
use testkit::{MotoServer, TestApp, test_webhook_parts};
use uuid::Uuid;

use crate::webhook_receiver::Receiver;

/// Retries due at once, so a test walks the whole schedule without waiting.
fn settings(attempts: usize) -> DeliverySettings {
    DeliverySettings {
        schedule: vec![Duration::ZERO; attempts - 1],
        ..DeliverySettings::default()
    }
}

struct Shop {
    app: TestApp,
    db: PgPool,
    /// The webhook functions' own role.
    role: PgPool,
    admin: String,
    product: String,
}

impl Shop {
    async fn new(db: PgPool) -> Self {
        let app = TestApp::new(db.clone());
        let (_, admin) = app.admin().await;
        let product = app
            .post("/products")
            .bearer(&admin)
            .json(
                &json!({"sku": "HOOK-1", "name": "Hook", "price_cents": 900, "stock": 10000,
                          "low_stock_threshold": 0}),
            )
            .send()
            .await
            .expect(StatusCode::CREATED)
            .id();
        let role = DbRole::Webhooks.pool_like(&db);
        Self {
            app,
            db,
            role,
            admin,
            product,
        }
    }

    /// An endpoint on `receiver` for `order.created`; the receiver learns its secret.
    async fn endpoint(&self, receiver: &Receiver) -> Uuid {
        let created = self
            .app
            .post("/webhooks")
            .bearer(&self.admin)
            .json(&json!({"url": receiver.hook(), "events": ["order.created"]}))
            .send()
            .await
            .expect(StatusCode::CREATED);
        receiver
            .expect_secret(created.body["secret"].as_str().expect("secret"))
            .await;
        Uuid::parse_str(&created.id()).expect("uuid")
    }

    /// `count` orders, spread over enough customers to stay under the per-account throttle.
    async fn orders(&self, count: usize) -> Vec<String> {
        let mut ids = Vec::new();
        let mut customer = String::new();
        for index in 0..count {
            if index % 25 == 0 {
                customer = self.app.customer().await.1;
            }
            let order = self
                .app
                .post("/orders")
                .bearer(&customer)
                .json(&json!({"items": [{"product_id": self.product, "quantity": 1}]}))
                .send()
                .await
                .expect(StatusCode::CREATED);
            ids.push(order.id());
        }
        ids
    }

    /// Fans every event out; returns the endpoint's deliveries, oldest first.
    async fn deliveries(&self, endpoint: Uuid) -> Vec<Uuid> {
        while fanout::fan_out(&self.role, 100).await.expect("fan-out").0 > 0 {}
        sqlx::query_scalar(
            "SELECT d.id FROM webhooks.deliveries d JOIN webhooks.events e ON e.id = d.event_id
             WHERE d.endpoint_id = $1 ORDER BY e.created_at",
        )
        .bind(endpoint)
        .fetch_all(&self.db)
        .await
        .expect("deliveries")
    }

    async fn attempt(&self, settings: &DeliverySettings, delivery: Uuid) -> Outcome {
        deliver::attempt(
            &self.role,
            &test_webhook_parts(TargetPolicy::LOCAL),
            settings,
            delivery,
        )
        .await
        .expect("the attempt runs")
    }

    /// The delivery as `GET /webhooks/{id}/deliveries` shows it.
    async fn shown(&self, endpoint: Uuid, delivery: Uuid) -> Value {
        let page = self
            .app
            .get(&format!("/webhooks/{endpoint}/deliveries?limit=100"))
            .bearer(&self.admin)
            .send()
            .await
            .expect(StatusCode::OK);
        page.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|item| item["id"] == delivery.to_string())
            .cloned()
            .expect("the delivery is listed")
    }

    /// (status code, error, body length) of each attempt, in order.
    async fn attempts(&self, delivery: Uuid) -> Vec<(Option<i32>, Option<String>, usize)> {
        let rows: Vec<(Option<i32>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT status_code, error, response_body FROM webhooks.attempts
             WHERE delivery_id = $1 ORDER BY attempt",
        )
        .bind(delivery)
        .fetch_all(&self.db)
        .await
        .expect("attempts");
        rows.into_iter()
            .map(|(code, error, body)| (code, error, body.map_or(0, |b| b.len())))
            .collect()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_receiver_failing_three_times_gets_the_event_once_on_the_fourth_attempt(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    receiver
        .control(json!({"mode": "accept", "fail_first": 3}))
        .await;
    let order = shop.orders(1).await.remove(0);
    let deliveries = shop.deliveries(endpoint).await;
    assert_eq!(deliveries.len(), 1);
    let delivery = deliveries[0];

    let settings = settings(8);
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        outcomes.push(shop.attempt(&settings, delivery).await);
    }
    assert_eq!(
        outcomes,
        vec![
            Outcome::RetryIn(Duration::ZERO),
            Outcome::RetryIn(Duration::ZERO),
            Outcome::RetryIn(Duration::ZERO),
            Outcome::Delivered
        ]
    );
    assert_eq!(shop.attempt(&settings, delivery).await, Outcome::Settled);

    let state = receiver.state().await;
    assert_eq!(state["posts"], 4);
    assert_eq!(
        state["unique"], 1,
        "one webhook-id for every attempt: {state}"
    );
    assert_eq!(state["accepted"], 1);
    assert_eq!(state["bad_signatures"], 0);
    assert_eq!(
        state["unverified"], 0,
        "standardwebhooks checked every POST"
    );
    let seen = &state["by_id"][delivery.to_string()];
    assert_eq!(seen["type"], "order.created");

    let shown = shop.shown(endpoint, delivery).await;
    assert_eq!(shown["status"], "delivered");
    assert_eq!(shown["attempts"], 4);
    assert_eq!(shown["last_status_code"], 200);
    assert!(shown["last_error"].is_null());
    assert_eq!(seen["event_id"], shown["event_id"]);
    let codes: Vec<Option<i32>> = shop
        .attempts(delivery)
        .await
        .into_iter()
        .map(|(code, _, _)| code)
        .collect();
    assert_eq!(codes, vec![Some(500), Some(500), Some(500), Some(200)]);

    let event: Value = sqlx::query_scalar("SELECT data FROM webhooks.events WHERE id = $1::uuid")
        .bind(shown["event_id"].as_str().expect("event id"))
        .fetch_one(&shop.db)
        .await
        .expect("event");
    assert_eq!(event["id"], order);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_hanging_receiver_times_out_and_is_tried_again(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    receiver
        .control(json!({"mode": "hang", "hang_seconds": 3}))
        .await;
    shop.orders(1).await;
    let delivery = shop.deliveries(endpoint).await[0];
    let settings = DeliverySettings {
        timeout: Duration::from_secs(1),
        ..settings(8)
    };
    assert_eq!(
        shop.attempt(&settings, delivery).await,
        Outcome::RetryIn(Duration::ZERO)
    );
    let shown = shop.shown(endpoint, delivery).await;
    assert_eq!(shown["status"], "pending");
    assert_eq!(shown["last_error"], "timed out after 1 s");
    assert!(shown["last_status_code"].is_null());

    receiver.control(json!({"mode": "accept"})).await;
    assert_eq!(shop.attempt(&settings, delivery).await, Outcome::Delivered);
    assert_eq!(shop.shown(endpoint, delivery).await["attempts"], 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_receiver_that_never_accepts_ends_failed_and_a_staff_retry_delivers(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    receiver.control(json!({"mode": "fail"})).await;
    shop.orders(1).await;
    let delivery = shop.deliveries(endpoint).await[0];
    let settings = settings(3);
    let outcomes = [
        shop.attempt(&settings, delivery).await,
        shop.attempt(&settings, delivery).await,
        shop.attempt(&settings, delivery).await,
    ];
    assert_eq!(
        outcomes,
        [
            Outcome::RetryIn(Duration::ZERO),
            Outcome::RetryIn(Duration::ZERO),
            Outcome::Failed
        ]
    );
    assert_eq!(shop.attempt(&settings, delivery).await, Outcome::Settled);
    let shown = shop.shown(endpoint, delivery).await;
    assert_eq!(shown["status"], "failed");
    assert_eq!(shown["attempts"], 3);
    assert_eq!(shown["last_status_code"], 500);
    assert_eq!(shown["last_error"], "the receiver answered 500");
    assert!(shown["next_attempt_at"].is_null());
    // The receiver answered 2 KB; 1 KB of it is kept.
    assert!(
        shop.attempts(delivery)
            .await
            .iter()
            .all(|(_, _, len)| *len == 1024)
    );

    receiver.control(json!({"mode": "accept"})).await;
    shop.app
        .post(&format!("/webhooks/{endpoint}/deliveries/{delivery}/retry"))
        .bearer(&shop.admin)
        .send()
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(shop.attempt(&settings, delivery).await, Outcome::Delivered);
    let shown = shop.shown(endpoint, delivery).await;
    assert_eq!(shown["status"], "delivered");
    assert_eq!(shown["attempts"], 4);
    let state = receiver.state().await;
    assert_eq!(
        (state["posts"].as_u64(), state["unique"].as_u64()),
        (Some(4), Some(1))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn two_receipts_of_one_message_make_one_post(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    receiver
        .control(json!({"mode": "hang", "hang_seconds": 1}))
        .await;
    shop.orders(1).await;
    let delivery = shop.deliveries(endpoint).await[0];
    let settings = settings(8);
    let (first, second) = tokio::join!(
        shop.attempt(&settings, delivery),
        shop.attempt(&settings, delivery)
    );
    let mut outcomes = [first, second];
    outcomes.sort_by_key(|outcome| format!("{outcome:?}"));
    assert_eq!(outcomes, [Outcome::Busy, Outcome::Delivered]);
    assert_eq!(receiver.state().await["posts"], 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn redirects_are_answers_not_followed(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    receiver.control(json!({"mode": "redirect"})).await;
    shop.orders(1).await;
    let delivery = shop.deliveries(endpoint).await[0];
    assert_eq!(
        shop.attempt(&settings(8), delivery).await,
        Outcome::RetryIn(Duration::ZERO)
    );
    let shown = shop.shown(endpoint, delivery).await;
    assert_eq!(shown["last_status_code"], 302);
    assert!(
        shown["last_error"]
            .as_str()
            .expect("error")
            .contains("redirects")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deployed_stack_checks_the_address_again_at_delivery(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    // Made on the local stack, delivered by a deployed one: loopback is refused before any POST.
    let endpoint = shop.endpoint(&receiver).await;
    shop.orders(1).await;
    let delivery = shop.deliveries(endpoint).await[0];
    let outcome = deliver::attempt(
        &shop.role,
        &test_webhook_parts(TargetPolicy::DEPLOYED),
        &settings(8),
        delivery,
    )
    .await
    .expect("the attempt runs");
    assert_eq!(outcome, Outcome::RetryIn(Duration::ZERO));
    let shown = shop.shown(endpoint, delivery).await;
    assert!(
        shown["last_error"]
            .as_str()
            .expect("error")
            .starts_with("refused"),
        "{shown}"
    );
    assert_eq!(receiver.state().await["posts"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_hundred_orders_while_the_receiver_is_down_arrive_once_each(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    receiver.control(json!({"mode": "down"})).await;
    shop.orders(100).await;
    let deliveries = shop.deliveries(endpoint).await;
    assert_eq!(deliveries.len(), 100);
    let settings = settings(8);
    for delivery in &deliveries {
        assert_eq!(
            shop.attempt(&settings, *delivery).await,
            Outcome::RetryIn(Duration::ZERO)
        );
    }
    receiver.control(json!({"mode": "accept"})).await;
    for round in 0..2 {
        for delivery in &deliveries {
            let outcome = shop.attempt(&settings, *delivery).await;
            let expected = if round == 0 {
                Outcome::Delivered
            } else {
                Outcome::Settled
            };
            assert_eq!(outcome, expected);
        }
    }
    let state = receiver.state().await;
    assert_eq!(state["unique"], 100);
    assert_eq!(state["accepted"], 100);
    assert_eq!(state["accepted_twice"], 0);
    assert_eq!(state["posts"], 200);
    assert_eq!(state["bad_signatures"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_relays_never_fan_an_event_out_twice(db: PgPool) {
    let shop = Shop::new(db).await;
    let receivers = [Receiver::start(), Receiver::start()];
    let mut subscribed = Vec::new();
    for receiver in &receivers {
        subscribed.push(shop.endpoint(receiver).await);
    }
    // Paused, and subscribed to other events: neither gets anything.
    let paused = shop.endpoint(&Receiver::start()).await;
    sqlx::query("UPDATE webhooks.endpoints SET active = false WHERE id = $1")
        .bind(paused)
        .execute(&shop.db)
        .await
        .expect("pause");
    shop.app
        .post("/webhooks")
        .bearer(&shop.admin)
        .json(&json!({"url": receivers[0].hook(), "events": ["order.cancelled"]}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    sqlx::query(
        "INSERT INTO webhooks.events (id, type, data)
         SELECT gen_random_uuid(), 'order.created', jsonb_build_object('n', n)
         FROM generate_series(1, 300) n",
    )
    .execute(&shop.db)
    .await
    .expect("events");

    let relays: Vec<_> = (0..4)
        .map(|_| {
            let pool = DbRole::Webhooks.pool_like(&shop.db);
            tokio::spawn(async move {
                let mut made = 0;
                loop {
                    let (events, deliveries) = fanout::fan_out(&pool, 7).await.expect("fan-out");
                    made += deliveries;
                    if events == 0 {
                        return made;
                    }
                }
            })
        })
        .collect();
    let mut made = 0;
    for relay in relays {
        made += relay.await.expect("relay");
    }
    assert_eq!(made, 600);
    let (total, distinct, unfanned): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM webhooks.deliveries),
                (SELECT count(DISTINCT (event_id, endpoint_id)) FROM webhooks.deliveries),
                (SELECT count(*) FROM webhooks.events WHERE fanned_out_at IS NULL)",
    )
    .fetch_one(&shop.db)
    .await
    .expect("counts");
    assert_eq!((total, distinct, unfanned), (600, 600, 0));
    for endpoint in subscribed {
        assert_eq!(shop.deliveries(endpoint).await.len(), 300);
    }
    assert!(shop.deliveries(paused).await.is_empty());
}

fn sqs_event(messages: &[aws_sdk_sqs::types::Message]) -> SqsEvent {
    let mut event = SqsEvent::default();
    for message in messages {
        let mut record = SqsMessage::default();
        record.message_id = message.message_id.clone();
        record.receipt_handle = message.receipt_handle.clone();
        record.body = message.body.clone();
        event.records.push(record);
    }
    event
}

#[sqlx::test(migrations = "../migrations")]
async fn the_relay_queues_deliveries_and_the_consumer_posts_each_once(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    receiver
        .control(json!({"mode": "accept", "fail_first": 1}))
        .await;
    shop.orders(3).await;
    let moto = MotoServer::start().await;
    let queues = moto.queues("shop-webhook-deliveries", 0, 20).await;
    let queue = DeliveryQueue::new(moto.sqs_client(), queues.queue.url());

    let report = fanout::run(&shop.role, &queue, &RelaySettings::default())
        .await
        .expect("relay run");
    assert_eq!(report.events_fanned_out, 3);
    assert_eq!(report.deliveries_made, 3);
    assert_eq!(report.deliveries_queued, 3);
    let again = fanout::run(&shop.role, &queue, &RelaySettings::default())
        .await
        .expect("second run");
    assert_eq!(
        again.deliveries_queued, 0,
        "queued deliveries are not queued twice"
    );

    let consumer = DeliverFunction::new(
        shop.role.clone(),
        test_webhook_parts(TargetPolicy::LOCAL),
        DeliverySettings {
            schedule: vec![Duration::from_secs(1); 7],
            ..DeliverySettings::default()
        },
        queue.clone(),
    );
    let sqs = moto.sqs_client();
    let url = queue.url().to_owned();
    let receive = |wait: i32| {
        let (sqs, url) = (sqs.clone(), url.clone());
        async move {
            sqs.receive_message()
                .queue_url(url)
                .max_number_of_messages(10)
                .wait_time_seconds(wait)
                .send()
                .await
                .expect("receive")
                .messages
                .unwrap_or_default()
        }
    };
    let first = receive(2).await;
    assert_eq!(first.len(), 3);
    // Each first attempt fails: reported back, with the back-off as the message's visibility.
    let response = consumer.handle(sqs_event(&first)).await;
    assert_eq!(response.batch_item_failures.len(), 3);
    assert!(receive(0).await.is_empty(), "hidden for the back-off");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let second = receive(2).await;
    assert_eq!(second.len(), 3);
    // Delivered, and a duplicate receipt of the same messages posts nothing more.
    let response = consumer.handle(sqs_event(&second)).await;
    assert!(response.batch_item_failures.is_empty());
    consumer.handle(sqs_event(&second)).await;
    let state = receiver.state().await;
    assert_eq!(state["posts"], 6);
    assert_eq!(state["accepted"], 3);
    assert_eq!(state["accepted_twice"], 0);
    for delivery in shop.deliveries(endpoint).await {
        assert_eq!(shop.shown(endpoint, delivery).await["status"], "delivered");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn deliveries_and_events_older_than_30_days_are_deleted(db: PgPool) {
    let shop = Shop::new(db).await;
    let receiver = Receiver::start();
    let endpoint = shop.endpoint(&receiver).await;
    shop.orders(2).await;
    let deliveries = shop.deliveries(endpoint).await;
    shop.attempt(&settings(8), deliveries[0]).await;
    sqlx::query(
        "UPDATE webhooks.deliveries SET created_at = now() - interval '31 days' WHERE id = $1",
    )
    .bind(deliveries[0])
    .execute(&shop.db)
    .await
    .expect("age");
    sqlx::query(
        "UPDATE webhooks.events SET created_at = now() - interval '31 days'
         WHERE id = (SELECT event_id FROM webhooks.deliveries WHERE id = $1)",
    )
    .bind(deliveries[0])
    .execute(&shop.db)
    .await
    .expect("age");
    let (deliveries_gone, events_gone) =
        fanout::expire(&shop.role, RelaySettings::default().retention)
            .await
            .expect("expire");
    assert_eq!((deliveries_gone, events_gone), (1, 1));
    assert_eq!(shop.deliveries(endpoint).await, vec![deliveries[1]]);
    let attempts: i64 = sqlx::query_scalar("SELECT count(*) FROM webhooks.attempts")
        .fetch_one(&shop.db)
        .await
        .expect("count");
    assert_eq!(attempts, 0, "attempts go with their delivery");
}
