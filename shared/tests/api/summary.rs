//! The order-summary consumer against a real Postgres, a fake provider on a real local HTTP
//! server (wiremock), and — where the queue itself matters — moto's SQS API.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use aws_sdk_sqs::types::MessageSystemAttributeName;
use serde_json::json;
use shared::auth::{Role, users};
use shared::db_role::DbRole;
use shared::orders::queue::{OrderMessage, OrderQueue};
use shared::summary::redrive;
use shared::summary::{Disposition, SummaryConsumer, SummaryFunction, SummarySettings};
use sqlx::PgPool;
use testkit::MotoServer;
use uuid::Uuid;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "test-key";
const BASE_DELAY: Duration = Duration::from_secs(30);

fn settings(provider: &MockServer) -> SummarySettings {
    let mut settings = SummarySettings::for_provider(provider.uri(), Some(KEY.to_owned()));
    settings.provider.request_timeout = Duration::from_millis(500);
    settings.retry.base_delay = BASE_DELAY;
    settings
}

/// The consumer as order-summary runs it: connected as the summary role.
fn consumer(db: &PgPool, settings: SummarySettings) -> SummaryConsumer {
    SummaryConsumer::new(DbRole::Summary.pool_like(db), settings).expect("consumer")
}

fn completion(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "gen-1",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]
    }))
}

fn chat() -> wiremock::MockBuilder {
    Mock::given(method("POST")).and(path("/chat/completions"))
}

/// A customer's order of 3 mugs (stock 8 → 5, threshold 5: it falls to low stock) and 1 teapot.
pub(crate) async fn seed_order(db: &PgPool) -> Uuid {
    let user = users::insert(
        db,
        &format!("{}@example.com", Uuid::now_v7()),
        "!",
        Role::Customer,
    )
    .await
    .expect("user");
    let order_id = Uuid::now_v7();
    let products = [
        ("MUG-BLUE", "Blue mug", 1250_i64, 3_i64, 5_i64),
        ("POT-1", "Teapot", 3000, 1, 20),
    ];
    sqlx::query("INSERT INTO orders.orders (id, user_id, total_cents) VALUES ($1, $2, $3)")
        .bind(order_id)
        .bind(user.id)
        .bind(3 * 1250 + 3000_i64)
        .execute(db)
        .await
        .expect("order");
    for (line_no, (sku, name, price, quantity, stock_after)) in products.into_iter().enumerate() {
        let product_id = Uuid::now_v7();
        let sku = format!("{sku}-{}", &product_id.simple().to_string()[24..]);
        sqlx::query(
            "INSERT INTO inventory.products (id, sku, name, price_cents, stock, low_stock_threshold)
             VALUES ($1, $2, $3, $4, $5, 5)",
        )
        .bind(product_id)
        .bind(&sku)
        .bind(name)
        .bind(price)
        .bind(stock_after)
        .execute(db)
        .await
        .expect("product");
        sqlx::query(
            "INSERT INTO orders.order_lines (order_id, line_no, product_id, sku, name, unit_price_cents, quantity, line_total_cents)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $6 * $7)",
        )
        .bind(order_id)
        .bind(line_no as i32 + 1)
        .bind(product_id)
        .bind(&sku)
        .bind(name)
        .bind(price)
        .bind(quantity)
        .execute(db)
        .await
        .expect("line");
        sqlx::query(
            "INSERT INTO inventory.stock_movements (id, product_id, delta, reason, order_id, stock_after)
             VALUES ($1, $2, $3, 'order', $4, $5)",
        )
        .bind(Uuid::now_v7())
        .bind(product_id)
        .bind(-quantity)
        .bind(order_id)
        .bind(stock_after)
        .execute(db)
        .await
        .expect("movement");
    }
    order_id
}

fn body_for(order_id: Uuid) -> String {
    serde_json::to_string(&OrderMessage {
        order_id,
        correlation_id: Uuid::now_v7(),
    })
    .expect("encode")
}

/// A hand-made delivery, for tests where the queue itself plays no part.
fn delivery(body: &str, receive_count: u32) -> SqsMessage {
    let mut message = SqsMessage::default();
    message.message_id = Some(Uuid::now_v7().to_string());
    message.receipt_handle = Some("handle".into());
    message.body = Some(body.to_owned());
    message
        .attributes
        .insert("ApproximateReceiveCount".into(), receive_count.to_string());
    message
}

async fn summary(db: &PgPool, order_id: Uuid) -> (String, Option<String>) {
    sqlx::query_as("SELECT summary_status, summary_text FROM orders.orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(db)
        .await
        .expect("order row")
}

/// Receives what is visible now, as the Lambda event source would hand it over.
pub(crate) async fn receive(queue: &OrderQueue) -> Vec<SqsMessage> {
    let received = queue
        .client()
        .receive_message()
        .queue_url(queue.url())
        .max_number_of_messages(10)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .expect("receive");
    received
        .messages()
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
        .collect()
}

/// Receives until `count` distinct messages are in hand, keeping each one's latest receipt.
async fn receive_distinct(queue: &OrderQueue, count: usize) -> Vec<SqsMessage> {
    let mut by_id = std::collections::BTreeMap::new();
    for _ in 0..50 {
        for record in receive(queue).await {
            by_id.insert(record.message_id.clone(), record);
        }
        if by_id.len() >= count {
            return by_id.into_values().collect();
        }
    }
    panic!("only {} of {count} messages arrived", by_id.len());
}

fn event(records: Vec<SqsMessage>) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = records;
    event
}

async fn send(queue: &OrderQueue, body: &str) {
    queue
        .client()
        .send_message()
        .queue_url(queue.url())
        .message_body(body)
        .send()
        .await
        .expect("send");
}

#[sqlx::test(migrations = "../migrations")]
async fn success_stores_the_providers_text(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .and(header("authorization", "Bearer test-key"))
        .and(body_string_contains("openai/gpt-4o-mini"))
        // The facts and the rules' flags travel as a JSON document inside the user message.
        .and(body_string_contains(
            "\\\"product_name\\\": \\\"Blue mug\\\"",
        ))
        .and(body_string_contains("\\\"code\\\": \\\"low_stock\\\""))
        .respond_with(completion(
            "  Three blue mugs and a teapot; blue mugs are now low.  ",
        ))
        .expect(1)
        .mount(&provider)
        .await;

    let disposition = consumer(&db, settings(&provider))
        .process(&delivery(&body_for(order_id), 1))
        .await;

    assert_eq!(disposition, Disposition::Stored);
    let (status, text) = summary(&db, order_id).await;
    assert_eq!(status, "ready");
    assert_eq!(
        text.as_deref(),
        Some("Three blue mugs and a teapot; blue mugs are now low.")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_server_error_is_retried_and_the_retry_succeeds(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .expect(1)
        .mount(&provider)
        .await;
    chat()
        .respond_with(completion("Fine now."))
        .expect(1)
        .mount(&provider)
        .await;
    let consumer = consumer(&db, settings(&provider));
    let body = body_for(order_id);

    let first = consumer.process(&delivery(&body, 1)).await;
    assert_eq!(first, Disposition::RetryLater { delay: BASE_DELAY });
    assert_eq!(summary(&db, order_id).await.0, "pending");

    let second = consumer.process(&delivery(&body, 2)).await;
    assert_eq!(second, Disposition::Stored);
    assert_eq!(
        summary(&db, order_id).await,
        ("ready".into(), Some("Fine now.".into()))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_provider_timeout_is_retried_with_a_growing_back_off(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(completion("too late").set_delay(Duration::from_secs(3)))
        .mount(&provider)
        .await;
    let consumer = consumer(&db, settings(&provider));

    let disposition = consumer.process(&delivery(&body_for(order_id), 3)).await;

    assert_eq!(
        disposition,
        Disposition::RetryLater {
            delay: BASE_DELAY * 4
        }
    );
    assert_eq!(summary(&db, order_id).await, ("pending".into(), None));
}

#[sqlx::test(migrations = "../migrations")]
async fn rate_limiting_honours_retry_after(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .expect(1)
        .mount(&provider)
        .await;

    let disposition = consumer(&db, settings(&provider))
        .process(&delivery(&body_for(order_id), 1))
        .await;

    assert_eq!(
        disposition,
        Disposition::RetryLater {
            delay: Duration::from_secs(120)
        }
    );
    assert_eq!(summary(&db, order_id).await.0, "pending");
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_answers_are_retried_not_stored(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"choices\": [ oops"))
        .up_to_n_times(1)
        .mount(&provider)
        .await;
    chat()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"choices": [{"message": {"content": "   "}}]})),
        )
        .mount(&provider)
        .await;
    let consumer = consumer(&db, settings(&provider));
    let body = body_for(order_id);

    for receive_count in [1, 2] {
        let disposition = consumer.process(&delivery(&body, receive_count)).await;
        assert!(
            matches!(disposition, Disposition::RetryLater { .. }),
            "{disposition:?}"
        );
    }
    assert_eq!(summary(&db, order_id).await, ("pending".into(), None));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_overlong_answer_is_cut_to_2000_characters(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(completion(&"ü".repeat(5000)))
        .mount(&provider)
        .await;

    let disposition = consumer(&db, settings(&provider))
        .process(&delivery(&body_for(order_id), 1))
        .await;

    assert_eq!(disposition, Disposition::Stored);
    let text = summary(&db, order_id).await.1.expect("text");
    assert_eq!(text.chars().count(), 2000);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_repeated_delivery_makes_no_second_call(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(completion("Once."))
        .expect(1)
        .mount(&provider)
        .await;
    let consumer = consumer(&db, settings(&provider));
    let body = body_for(order_id);

    assert_eq!(
        consumer.process(&delivery(&body, 1)).await,
        Disposition::Stored
    );
    let stored_at: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT summary_updated_at FROM orders.orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&db)
            .await
            .expect("time");
    assert_eq!(
        consumer.process(&delivery(&body, 1)).await,
        Disposition::AlreadySettled
    );
    let after: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT summary_updated_at FROM orders.orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&db)
            .await
            .expect("time");
    assert_eq!(stored_at, after);
}

/// Answers "answer 1", "answer 2", ... slowly, so concurrent deliveries overlap at the provider.
struct NumberedAnswers(AtomicUsize);

impl Respond for NumberedAnswers {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        completion(&format!("answer {n}")).set_delay(Duration::from_millis(200))
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_deliveries_store_one_summary(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(NumberedAnswers(AtomicUsize::new(0)))
        .mount(&provider)
        .await;
    let consumer = Arc::new(consumer(&db, settings(&provider)));
    let body = body_for(order_id);

    let (one, two) = (delivery(&body, 1), delivery(&body, 1));
    let (first, second) = tokio::join!(consumer.process(&one), consumer.process(&two));

    let mut outcomes = [first, second];
    outcomes.sort_by_key(|d| format!("{d:?}"));
    assert_eq!(outcomes, [Disposition::LostRace, Disposition::Stored]);
    let (status, text) = summary(&db, order_id).await;
    assert_eq!(status, "ready");
    assert!(
        matches!(text.as_deref(), Some("answer 1" | "answer 2")),
        "{text:?}"
    );
    // Whatever came later changed nothing.
    assert_eq!(
        consumer.process(&delivery(&body, 1)).await,
        Disposition::AlreadySettled
    );
    assert_eq!(summary(&db, order_id).await.1, text);
}

#[sqlx::test(migrations = "../migrations")]
async fn without_a_key_the_summary_is_disabled_and_nothing_is_called(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(completion("never"))
        .expect(0)
        .mount(&provider)
        .await;
    let mut settings = settings(&provider);
    settings.provider.api_key = None;

    let disposition = consumer(&db, settings)
        .process(&delivery(&body_for(order_id), 1))
        .await;

    assert_eq!(disposition, Disposition::Disabled);
    assert_eq!(summary(&db, order_id).await, ("disabled".into(), None));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_request_fails_at_once_and_goes_on_to_the_dlq_without_more_calls(db: PgPool) {
    let provider = MockServer::start().await;
    let order_id = seed_order(&db).await;
    chat()
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": {"message": "No auth credentials found"}})),
        )
        .expect(1)
        .mount(&provider)
        .await;
    let consumer = consumer(&db, settings(&provider));
    let body = body_for(order_id);

    let disposition = consumer.process(&delivery(&body, 1)).await;

    assert_eq!(disposition, Disposition::Rejected);
    assert_eq!(summary(&db, order_id).await.0, "failed");
    // Reported failed with no back-off, so the queue's redrive policy moves it on quickly and
    // an operator can redrive it once the key is fixed.
    assert_eq!(disposition.visibility(), Some(Duration::ZERO));
    for receive_count in 2..=5 {
        let again = consumer.process(&delivery(&body, receive_count)).await;
        assert_eq!(again, Disposition::PassedOn, "no blind retries");
        assert!(again.is_failure());
    }
    assert_eq!(summary(&db, order_id).await.0, "failed");
}

#[sqlx::test(migrations = "../migrations")]
async fn unreadable_messages_and_unknown_orders_are_passed_on_not_dropped(db: PgPool) {
    let provider = MockServer::start().await;
    chat()
        .respond_with(completion("never"))
        .expect(0)
        .mount(&provider)
        .await;
    let consumer = consumer(&db, settings(&provider));

    assert_eq!(
        consumer.process(&delivery("not json", 1)).await,
        Disposition::Unreadable
    );
    assert_eq!(
        consumer.process(&delivery("{\"order_id\": 1}", 1)).await,
        Disposition::Unreadable
    );
    let unknown = consumer
        .process(&delivery(&body_for(Uuid::now_v7()), 1))
        .await;
    assert_eq!(unknown, Disposition::UnknownOrder);
    assert_eq!(
        unknown.visibility(),
        Some(Duration::ZERO),
        "reported failed, so the queue moves it on to the dead-letter queue"
    );
    assert!(Disposition::Unreadable.is_failure());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_breaker_opens_after_repeated_failures(db: PgPool) {
    let provider = MockServer::start().await;
    chat()
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&provider)
        .await;
    let mut settings = settings(&provider);
    settings.breaker.failure_threshold = 3;
    settings.breaker.cool_down = Duration::from_secs(600);
    let consumer = consumer(&db, settings);

    for _ in 0..5 {
        let order_id = seed_order(&db).await;
        let disposition = consumer.process(&delivery(&body_for(order_id), 1)).await;
        assert!(
            matches!(disposition, Disposition::RetryLater { .. }),
            "{disposition:?}"
        );
    }
    assert!(consumer.breaker().is_open());
    // While open, the back-off covers the rest of the cool-down.
    let order_id = seed_order(&db).await;
    let Disposition::RetryLater { delay } =
        consumer.process(&delivery(&body_for(order_id), 1)).await
    else {
        panic!("retried later");
    };
    assert!(delay > BASE_DELAY, "{delay:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_batch_reports_only_its_failed_messages_and_delays_them(db: PgPool) {
    let moto = MotoServer::start().await;
    // Visibility 0: a failed message would be visible at once unless the consumer delays it.
    let queues = moto.queues("orders", 0, 5).await;
    let provider = MockServer::start().await;
    let good = seed_order(&db).await;
    let bad = seed_order(&db).await;
    chat()
        .and(body_string_contains(bad.to_string()))
        .respond_with(ResponseTemplate::new(500))
        .mount(&provider)
        .await;
    chat()
        .respond_with(completion("Good order."))
        .mount(&provider)
        .await;
    let function = SummaryFunction::new(consumer(&db, settings(&provider)), queues.queue.clone());
    for body in [body_for(good), body_for(bad), "garbage".to_owned()] {
        send(&queues.queue, &body).await;
    }
    let records = receive_distinct(&queues.queue, 3).await;
    let bad_id = records
        .iter()
        .find(|record| {
            record
                .body
                .as_deref()
                .is_some_and(|body| body.contains(&bad.to_string()))
        })
        .and_then(|record| record.message_id.clone())
        .expect("bad message");
    let garbage_id = records
        .iter()
        .find(|record| record.body.as_deref() == Some("garbage"))
        .and_then(|record| record.message_id.clone())
        .expect("garbage message");

    let response = function.handle(event(records)).await;

    let mut failed: Vec<&str> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    failed.sort_unstable();
    let mut expected = [bad_id.as_str(), garbage_id.as_str()];
    expected.sort_unstable();
    // The unreadable one is reported too, so it moves on to the dead-letter queue.
    assert_eq!(failed, expected);
    assert_eq!(summary(&db, good).await.0, "ready");
    assert_eq!(summary(&db, bad).await.0, "pending");
    // The others were not deleted (the event source does that) and, with visibility 0, show
    // again at once (the unreadable one too: it has no back-off); the failed one waits it out.
    let visible = receive(&queues.queue).await;
    assert!(!visible.is_empty());
    assert!(
        visible
            .iter()
            .all(|record| record.message_id.as_deref() != Some(bad_id.as_str()))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_last_receive_marks_failed_and_the_message_reaches_the_dlq(db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 0, 2).await;
    let provider = MockServer::start().await;
    chat()
        .respond_with(ResponseTemplate::new(500))
        .expect(2)
        .mount(&provider)
        .await;
    let mut settings = settings(&provider);
    settings.retry.max_receive_count = 2;
    settings.retry.base_delay = Duration::ZERO;
    let function = SummaryFunction::new(consumer(&db, settings), queues.queue.clone());
    let order_id = seed_order(&db).await;
    send(&queues.queue, &body_for(order_id)).await;

    for expected_receive in ["1", "2"] {
        let records = receive(&queues.queue).await;
        assert_eq!(records.len(), 1);
        assert_eq!(
            records[0]
                .attributes
                .get("ApproximateReceiveCount")
                .map(String::as_str),
            Some(expected_receive)
        );
        let response = function.handle(event(records)).await;
        assert_eq!(
            response.batch_item_failures.len(),
            1,
            "reported failed, so SQS keeps it"
        );
    }
    assert_eq!(summary(&db, order_id).await, ("failed".into(), None));

    assert!(
        receive(&queues.queue).await.is_empty(),
        "moved on, not redelivered"
    );
    let dlq = OrderQueue::new(moto.sqs_client(), queues.dlq_url.clone());
    let dead = receive(&dlq).await;
    assert_eq!(dead.len(), 1);
    assert!(
        dead[0]
            .body
            .as_deref()
            .is_some_and(|body| body.contains(&order_id.to_string()))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn redrive_moves_dead_letters_back_and_a_failed_summary_can_still_be_written(db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 0, 5).await;
    let client = moto.sqs_client();
    let order_id = seed_order(&db).await;
    sqlx::query("UPDATE orders.orders SET summary_status = 'failed' WHERE id = $1")
        .bind(order_id)
        .execute(&db)
        .await
        .expect("fail it");
    let dlq = OrderQueue::new(client.clone(), queues.dlq_url.clone());
    send(&dlq, &body_for(order_id)).await;
    send(&dlq, &body_for(order_id)).await;

    assert_eq!(
        redrive::dead_letter_queue_url(&client, queues.queue.url())
            .await
            .expect("dlq"),
        queues.dlq_url
    );
    let report = redrive::move_messages(&client, &queues.dlq_url, queues.queue.url())
        .await
        .expect("redrive");

    assert_eq!((report.found, report.moved, report.failed), (2, 2, 0));
    assert!(receive(&dlq).await.is_empty());
    let provider = MockServer::start().await;
    chat()
        .respond_with(completion("After the outage."))
        .expect(1)
        .mount(&provider)
        .await;
    let function = SummaryFunction::new(consumer(&db, settings(&provider)), queues.queue.clone());
    let records = receive_distinct(&queues.queue, 2).await;
    for record in records {
        assert!(
            function
                .handle(event(vec![record]))
                .await
                .batch_item_failures
                .is_empty()
        );
    }
    assert_eq!(
        summary(&db, order_id).await,
        ("ready".into(), Some("After the outage.".into()))
    );
}
