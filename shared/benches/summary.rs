//! The AI summary pipeline, in-process: orders committed with their outbox row and sent to a
//! real SQS API (moto), pollers that behave like the Lambda event source (receive up to 10,
//! invoke, delete what succeeded), the real `order-summary` handler on a one-connection pool,
//! and a provider (wiremock) that answers in 200 ms.
//!
//! Prints the latency from order commit to summary `ready` (p50/p95 over 60 orders arriving at
//! 10/s) and the messages per second the consumer sustains on a backlog, for 1, 2 and 4 pollers.
//! Figures only; nothing is asserted. Needs `make tools` (moto).

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName};
use serde_json::json;
use shared::auth::{Role, users};
use shared::orders::outbox;
use shared::orders::queue::{OrderMessage, OrderQueue};
use shared::summary::{SummaryConsumer, SummaryFunction, SummarySettings};
use sqlx::PgPool;
use support::{Latencies, ms};
use testkit::MotoServer;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROVIDER_DELAY: Duration = Duration::from_millis(200);
const LATENCY_ORDERS: usize = 60;
const ARRIVAL_GAP: Duration = Duration::from_millis(100);
const BACKLOG: usize = 400;

#[tokio::main]
async fn main() {
    let (pool, database_url) = support::fresh_database("shop_bench_summary", 8).await;
    let moto = MotoServer::start().await;
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(
                    json!({"choices": [{"message": {"content": "Two mugs; stock fine."}}]}),
                )
                .set_delay(PROVIDER_DELAY),
        )
        .mount(&provider)
        .await;
    let fixture = Fixture::new(&pool).await;

    println!(
        "order summary pipeline: provider answers in {PROVIDER_DELAY:?}, batches of up to 10\n"
    );

    // Latency: orders arrive steadily while two pollers (as `make dev` runs) consume.
    let queues = moto.queues("bench-latency", 30, 5).await;
    let stop = Arc::new(AtomicBool::new(false));
    let pollers = start_pollers(2, &database_url, &provider, &queues.queue, &stop);
    let mut ids = Vec::new();
    for _ in 0..LATENCY_ORDERS {
        ids.push(fixture.place_order(&pool, &queues.queue).await);
        tokio::time::sleep(ARRIVAL_GAP).await;
    }
    wait_until_ready(&pool, &ids).await;
    stop.store(true, Ordering::SeqCst);
    for poller in pollers {
        let _ = poller.await;
    }
    let latencies = commit_to_ready(&pool, &ids).await;
    println!(
        "commit -> ready, {} orders at {:.0}/s, 2 pollers: p50 {:.0} ms  p95 {:.0} ms  max {:.0} ms",
        ids.len(),
        1.0 / ARRIVAL_GAP.as_secs_f64(),
        ms(latencies.percentile(50.0)),
        ms(latencies.percentile(95.0)),
        ms(latencies.max())
    );

    // Throughput: a backlog, drained by 1, 2 and 4 pollers.
    for pollers_count in [1, 2, 4] {
        let queues = moto
            .queues(&format!("bench-backlog-{pollers_count}"), 30, 5)
            .await;
        let mut ids = Vec::with_capacity(BACKLOG);
        for _ in 0..BACKLOG {
            ids.push(fixture.place_order(&pool, &queues.queue).await);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let pollers = start_pollers(
            pollers_count,
            &database_url,
            &provider,
            &queues.queue,
            &stop,
        );
        wait_until_ready(&pool, &ids).await;
        let took = started.elapsed();
        stop.store(true, Ordering::SeqCst);
        let mut stats = PollStats::default();
        for poller in pollers {
            if let Ok(one) = poller.await {
                stats.batches += one.batches;
                stats.messages += one.messages;
                stats.handler += one.handler;
                stats.sqs += one.sqs;
            }
        }
        let batches = stats.batches.max(1) as f64;
        println!(
            "  per batch: {:.1} messages, handler {:.0} ms, SQS receive+delete {:.0} ms; \
             handler alone sustains {:.0} messages/s per instance",
            stats.messages as f64 / batches,
            ms(stats.handler) / batches,
            ms(stats.sqs) / batches,
            // Handler time is summed over pollers, so this is the rate of one instance.
            stats.messages as f64 / stats.handler.as_secs_f64().max(f64::EPSILON)
        );
        println!(
            "backlog of {BACKLOG}, {pollers_count} poller(s): {:.0} messages/s ({:.1} s)",
            BACKLOG as f64 / took.as_secs_f64(),
            took.as_secs_f64()
        );
    }
}

/// One function instance, as a Lambda instance holds it: one database connection and one
/// breaker for the whole batch.
fn function(database_url: &str, provider: &MockServer, queue: &OrderQueue) -> SummaryFunction {
    let settings = SummarySettings::for_provider(provider.uri(), Some("bench-key".into()));
    let db = shared::db::lambda_pool(database_url).expect("pool");
    SummaryFunction::new(
        SummaryConsumer::new(db, settings).expect("consumer"),
        queue.clone(),
    )
}

struct Fixture {
    user_id: Uuid,
    product_id: Uuid,
}

impl Fixture {
    async fn new(db: &PgPool) -> Self {
        let user = users::insert(db, "bench@example.com", "!", Role::Customer)
            .await
            .expect("user");
        let product_id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO inventory.products (id, sku, name, price_cents, stock) VALUES ($1, 'BENCH-MUG', 'Mug', 1200, 1000000000)",
        )
        .bind(product_id)
        .execute(db)
        .await
        .expect("product");
        Self {
            user_id: user.id,
            product_id,
        }
    }

    /// What orders-create does around the queue: order, line and outbox row in one transaction,
    /// then the send after commit.
    async fn place_order(&self, db: &PgPool, queue: &OrderQueue) -> Uuid {
        let message = OrderMessage {
            order_id: Uuid::now_v7(),
            correlation_id: Uuid::now_v7(),
        };
        let mut tx = db.begin().await.expect("begin");
        sqlx::query("INSERT INTO orders.orders (id, user_id, total_cents) VALUES ($1, $2, 2400)")
            .bind(message.order_id)
            .bind(self.user_id)
            .execute(&mut *tx)
            .await
            .expect("order");
        sqlx::query(
            "INSERT INTO orders.order_lines (order_id, line_no, product_id, sku, name, unit_price_cents, quantity, line_total_cents)
             VALUES ($1, 1, $2, 'BENCH-MUG', 'Mug', 1200, 2, 2400)",
        )
        .bind(message.order_id)
        .bind(self.product_id)
        .execute(&mut *tx)
        .await
        .expect("line");
        let outbox_id = outbox::enqueue(&mut tx, &message).await.expect("outbox");
        tx.commit().await.expect("commit");
        outbox::publish(db, queue, outbox_id, &message).await;
        message.order_id
    }
}

/// Each poller invokes its own function instance, as concurrent batches reach separate Lambda
/// instances.
fn start_pollers(
    count: usize,
    database_url: &str,
    provider: &MockServer,
    queue: &OrderQueue,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<PollStats>> {
    (0..count)
        .map(|_| {
            let function = function(database_url, provider, queue);
            tokio::spawn(poll(function, queue.clone(), stop.clone()))
        })
        .collect()
}

/// The event source: receive, invoke with the batch, delete what did not fail.
async fn poll(function: SummaryFunction, queue: OrderQueue, stop: Arc<AtomicBool>) -> PollStats {
    let mut stats = PollStats::default();
    while !stop.load(Ordering::SeqCst) {
        let receiving = Instant::now();
        let Ok(received) = queue
            .client()
            .receive_message()
            .queue_url(queue.url())
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .send()
            .await
        else {
            continue;
        };
        let messages = received.messages();
        if messages.is_empty() {
            continue;
        }
        stats.sqs += receiving.elapsed();
        stats.batches += 1;
        stats.messages += messages.len();
        let mut event = SqsEvent::default();
        event.records = messages
            .iter()
            .map(|message| {
                let mut record = SqsMessage::default();
                record.message_id = message.message_id().map(str::to_owned);
                record.receipt_handle = message.receipt_handle().map(str::to_owned);
                record.body = message.body().map(str::to_owned);
                for (name, value) in message.attributes().into_iter().flatten() {
                    record
                        .attributes
                        .insert(name.as_str().to_owned(), value.clone());
                }
                record
            })
            .collect();
        let handling = Instant::now();
        let response = function.handle(event).await;
        stats.handler += handling.elapsed();
        let deleting = Instant::now();
        let failed: Vec<&str> = response
            .batch_item_failures
            .iter()
            .map(|failure| failure.item_identifier.as_str())
            .collect();
        let deletes: Vec<DeleteMessageBatchRequestEntry> = messages
            .iter()
            .enumerate()
            .filter(|(_, message)| !failed.contains(&message.message_id().unwrap_or_default()))
            .filter_map(|(index, message)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(index.to_string())
                    .receipt_handle(message.receipt_handle()?)
                    .build()
                    .ok()
            })
            .collect();
        if !deletes.is_empty() {
            let _ = queue
                .client()
                .delete_message_batch()
                .queue_url(queue.url())
                .set_entries(Some(deletes))
                .send()
                .await;
        }
        stats.sqs += deleting.elapsed();
    }
    stats
}

/// Where a poller's time went, for batches that carried messages.
#[derive(Debug, Default)]
struct PollStats {
    batches: usize,
    messages: usize,
    handler: Duration,
    sqs: Duration,
}

async fn wait_until_ready(db: &PgPool, ids: &[Uuid]) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let pending: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM orders.orders WHERE id = ANY($1) AND summary_status <> 'ready'",
        )
        .bind(ids)
        .fetch_one(db)
        .await
        .expect("count");
        if pending == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{pending} summaries still not ready"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn commit_to_ready(db: &PgPool, ids: &[Uuid]) -> Latencies {
    let seconds: Vec<f64> = sqlx::query_scalar(
        "SELECT extract(epoch FROM summary_updated_at - created_at)::float8 FROM orders.orders WHERE id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(db)
    .await
    .expect("latencies");
    Latencies::new(seconds.into_iter().map(Duration::from_secs_f64).collect())
}
