//! The order pipeline under faults: the scheduled `outbox-relay` against a slow or dying SQS
//! (moto behind a delaying proxy), and summaries no delivery will finish.

use std::net::SocketAddr;
use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use shared::auth::{Role, users};
use shared::db_role::DbRole;
use shared::orders::outbox;
use shared::orders::queue::{OrderMessage, OrderQueue};
use shared::outbox_relay::{self, OutboxRelaySettings};
use shared::summary::redrive;
use shared::summary::{Disposition, SummaryConsumer, SummaryFunction, SummarySettings};
use sqlx::PgPool;
use testkit::MotoServer;
use uuid::Uuid;

use crate::fault_proxy::DelayingProxy;

/// `count` orders, each with an outbox row older than the relay's grace period, as if every
/// request's own send had failed.
async fn unsent_orders(db: &PgPool, count: usize) -> Vec<Uuid> {
    let user = users::insert(
        db,
        &format!("{}@example.com", Uuid::now_v7()),
        "!",
        Role::Customer,
    )
    .await
    .expect("user");
    let mut orders = Vec::new();
    for _ in 0..count {
        let order_id = Uuid::now_v7();
        sqlx::query("INSERT INTO orders.orders (id, user_id, total_cents) VALUES ($1, $2, 100)")
            .bind(order_id)
            .bind(user.id)
            .execute(db)
            .await
            .expect("order");
        let message = OrderMessage {
            order_id,
            correlation_id: Uuid::now_v7(),
        };
        sqlx::query(
            "INSERT INTO orders.outbox (id, order_id, payload, created_at)
             VALUES ($1, $2, $3, now() - interval '1 minute')",
        )
        .bind(Uuid::now_v7())
        .bind(order_id)
        .bind(sqlx::types::Json(message))
        .execute(db)
        .await
        .expect("outbox row");
        orders.push(order_id);
    }
    orders
}

async fn scalar(db: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.expect(sql)
}

/// Messages in the queue (moto's count is exact).
async fn queued(queue: &OrderQueue) -> i64 {
    let attributes = queue
        .client()
        .get_queue_attributes()
        .queue_url(queue.url())
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await
        .expect("queue attributes");
    attributes
        .attributes()
        .and_then(|all| all.get(&QueueAttributeName::ApproximateNumberOfMessages))
        .and_then(|count| count.parse().ok())
        .expect("message count")
}

/// The same queue, reached through a proxy that delays every request by `delay`.
async fn slowed(
    moto: &MotoServer,
    queue: &OrderQueue,
    delay: Duration,
) -> (DelayingProxy, OrderQueue) {
    let target: SocketAddr = moto
        .endpoint()
        .trim_start_matches("http://")
        .parse()
        .expect("moto address");
    let proxy = DelayingProxy::start(target, delay).await;
    let slow = OrderQueue::new(
        testkit::local_sqs_client(&proxy.endpoint()),
        queue.url().replace(moto.endpoint(), &proxy.endpoint()),
    );
    // moto's first answer is its slowest: have it before the relay's send timeouts run.
    queued(&slow).await;
    (proxy, slow)
}

fn budget(seconds: u64) -> OutboxRelaySettings {
    OutboxRelaySettings {
        relay_budget: Duration::from_secs(seconds),
        ..OutboxRelaySettings::default()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_slow_queue_still_drains_within_the_budget_and_sends_each_row_once(db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 30, 5).await;
    unsent_orders(&db, 12).await;
    let (_proxy, slow) = slowed(&moto, &queues.queue, Duration::from_millis(400)).await;

    // A budget of three seconds with two-second send timeouts leaves room for a few sends only.
    let first = outbox_relay::run(&DbRole::Relay.pool_like(&db), &slow, &budget(3))
        .await
        .expect("run");

    assert!(first.relayed >= 1, "a slow queue still makes progress");
    assert!(first.relayed < 12, "the run stopped at its deadline");
    assert_eq!(first.relay_failures, 0);
    let sent = scalar(
        &db,
        "SELECT count(*) FROM orders.outbox WHERE sent_at IS NOT NULL",
    )
    .await;
    assert_eq!(
        sent, first.relayed as i64,
        "each sent row was marked on its own"
    );
    assert_eq!(queued(&queues.queue).await, sent);
    let held = scalar(
        &db,
        "SELECT count(*) FROM orders.outbox WHERE sent_at IS NULL AND claimed_until IS NOT NULL",
    )
    .await;
    assert_eq!(held, 0, "rows the run did not reach are released at once");

    let mut runs = 1;
    while scalar(
        &db,
        "SELECT count(*) FROM orders.outbox WHERE sent_at IS NULL",
    )
    .await
        > 0
    {
        outbox_relay::run(&DbRole::Relay.pool_like(&db), &slow, &budget(3))
            .await
            .expect("run");
        runs += 1;
        assert!(runs < 30, "the backlog drains");
    }
    assert_eq!(queued(&queues.queue).await, 12, "no row was sent twice");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_relay_killed_mid_batch_keeps_what_it_sent(db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 30, 5).await;
    unsent_orders(&db, 20).await;
    let (_proxy, slow) = slowed(&moto, &queues.queue, Duration::from_millis(300)).await;

    // The function's timeout strikes while the run still has budget and rows: it is dropped.
    let killed = tokio::time::timeout(
        Duration::from_secs(3),
        outbox_relay::run(&DbRole::Relay.pool_like(&db), &slow, &budget(60)),
    )
    .await;
    assert!(killed.is_err(), "the run was cut off mid-batch");
    let sent_before = scalar(
        &db,
        "SELECT count(*) FROM orders.outbox WHERE sent_at IS NOT NULL",
    )
    .await;
    assert!(sent_before >= 1, "what was sent before the cut stays sent");

    // The claim of the dead run holds the rest until its lease ends; let it end.
    sqlx::query("UPDATE orders.outbox SET claimed_until = now() - interval '1 second' WHERE claimed_until IS NOT NULL")
        .execute(&db)
        .await
        .expect("expire the lease");
    let rest = outbox_relay::run(&DbRole::Relay.pool_like(&db), &queues.queue, &budget(30))
        .await
        .expect("run");

    assert_eq!(rest.relayed as i64 + sent_before, 20);
    let duplicates = queued(&queues.queue).await - 20;
    assert!(
        (0..=1).contains(&duplicates),
        "at most the send in flight at the cut goes twice, not the batch ({duplicates} extra)"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_live_lease_keeps_other_relays_off_the_rows(db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 30, 5).await;
    unsent_orders(&db, 3).await;
    sqlx::query("UPDATE orders.outbox SET claimed_until = now() + interval '1 minute'")
        .execute(&db)
        .await
        .expect("claim");

    let report = outbox_relay::run(&DbRole::Relay.pool_like(&db), &queues.queue, &budget(30))
        .await
        .expect("run");

    assert_eq!(report.relayed, 0);
    assert_eq!(queued(&queues.queue).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn sent_rows_past_their_retention_are_deleted(db: PgPool) {
    let orders = unsent_orders(&db, 3).await;
    for (order_id, sent) in orders.iter().zip(["8 days", "6 days"]) {
        sqlx::query("UPDATE orders.outbox SET sent_at = now() - $2::interval WHERE order_id = $1")
            .bind(order_id)
            .bind(sent)
            .execute(&db)
            .await
            .expect("sent");
    }

    let deleted = outbox::delete_sent(&db, OutboxRelaySettings::default().outbox_retention, 100)
        .await
        .expect("delete");

    assert_eq!(deleted, 1, "only the row sent eight days ago");
    let left: Vec<Uuid> =
        sqlx::query_scalar("SELECT order_id FROM orders.outbox ORDER BY order_id")
            .fetch_all(&db)
            .await
            .expect("rows");
    assert_eq!(
        left,
        orders[1..].to_vec(),
        "recently sent and unsent rows stay"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_summary_whose_verdict_could_not_be_written_is_settled_after_the_horizon(db: PgPool) {
    let orders = unsent_orders(&db, 2).await;
    let (stuck, fresh) = (orders[0], orders[1]);
    // The database is unreachable on the message's last receive.
    let unreachable = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_millis(500))
        .connect_lazy("postgres://postgres@127.0.0.1:1/none")
        .expect("lazy pool");
    let consumer = SummaryConsumer::new(
        unreachable,
        SummarySettings::for_provider("http://127.0.0.1:1", Some("key".into())),
    )
    .expect("consumer");
    let mut message = SqsMessage::default();
    message.message_id = Some("m-1".into());
    message.body = Some(
        serde_json::to_string(&OrderMessage {
            order_id: stuck,
            correlation_id: Uuid::now_v7(),
        })
        .expect("encode"),
    );
    message
        .attributes
        .insert("ApproximateReceiveCount".into(), "5".into());
    assert_eq!(consumer.process(&message).await, Disposition::GaveUp);

    let status = |order_id: Uuid| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT summary_status FROM orders.orders WHERE id = $1",
            )
            .bind(order_id)
            .fetch_one(&db)
            .await
            .expect("status")
        }
    };
    assert_eq!(
        status(stuck).await,
        "pending",
        "the verdict was lost with the database"
    );
    let settings = OutboxRelaySettings::default();
    let queue = OrderQueue::new(
        testkit::local_sqs_client("http://127.0.0.1:1"),
        "http://127.0.0.1:1/123456789012/orders",
    );
    let early = outbox_relay::run(&DbRole::Relay.pool_like(&db), &queue, &settings)
        .await
        .expect("run");
    assert_eq!(
        early.settled_stuck_summaries, 0,
        "within the horizon nothing is settled"
    );

    // Time passes beyond the retry horizon for the stuck order only.
    sqlx::query("UPDATE orders.orders SET summary_updated_at = now() - make_interval(secs => $2) WHERE id = $1")
        .bind(stuck)
        .bind(settings.summary_horizon.as_secs_f64() + 60.0)
        .execute(&db)
        .await
        .expect("age it");
    sqlx::query("UPDATE orders.outbox SET sent_at = now()")
        .execute(&db)
        .await
        .expect("sent");
    let late = outbox_relay::run(&DbRole::Relay.pool_like(&db), &queue, &settings)
        .await
        .expect("run");

    assert_eq!(late.settled_stuck_summaries, 1);
    assert_eq!(status(stuck).await, "failed");
    assert_eq!(status(fresh).await, "pending");
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT type FROM orders.order_events WHERE order_id = $1 ORDER BY created_at",
    )
    .bind(stuck)
    .fetch_all(&db)
    .await
    .expect("timeline");
    assert_eq!(
        events,
        ["summary_failed"],
        "the timeline tells how it ended"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn redrive_moves_only_what_was_dead_lettered_when_it_started(_db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 30, 5).await;
    let client = moto.sqs_client();
    let dlq = OrderQueue::new(client.clone(), queues.dlq_url.clone());
    for _ in 0..13 {
        dlq.send(&OrderMessage {
            order_id: Uuid::now_v7(),
            correlation_id: Uuid::now_v7(),
        })
        .await
        .expect("dead-letter");
    }

    // The cause persists at its worst: every moved message is back in the dead-letter queue at
    // once (here: the dead-letter queue is its own target).
    let report = tokio::time::timeout(
        Duration::from_secs(60),
        redrive::move_messages(&client, &queues.dlq_url, &queues.dlq_url),
    )
    .await
    .expect("the redrive ends although its messages keep coming back")
    .expect("redrive");

    assert_eq!((report.found, report.moved, report.failed), (13, 13, 0));
    assert_eq!(queued(&dlq).await, 13, "nothing lost, nothing duplicated");
}

/// Receives what is visible now, shaped as the Lambda event source hands it over.
async fn receive_event(queue: &OrderQueue) -> SqsEvent {
    let received = queue
        .client()
        .receive_message()
        .queue_url(queue.url())
        .max_number_of_messages(10)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .expect("receive");
    let mut event = SqsEvent::default();
    for message in received.messages() {
        let mut record = SqsMessage::default();
        record.message_id = message.message_id().map(str::to_owned);
        record.receipt_handle = message.receipt_handle().map(str::to_owned);
        record.body = message.body().map(str::to_owned);
        for (name, value) in message.attributes().into_iter().flatten() {
            record
                .attributes
                .insert(name.as_str().to_owned(), value.clone());
        }
        event.records.push(record);
    }
    event
}

#[sqlx::test(migrations = "../migrations")]
async fn unreadable_and_unknown_order_messages_end_in_the_dead_letter_queue(db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 0, 2).await;
    let mut settings = SummarySettings::for_provider("http://127.0.0.1:1", Some("key".into()));
    settings.retry.max_receive_count = 2;
    let function = SummaryFunction::new(
        SummaryConsumer::new(db.clone(), settings).expect("consumer"),
        queues.queue.clone(),
    );
    let unknown = serde_json::to_string(&OrderMessage {
        order_id: Uuid::now_v7(),
        correlation_id: Uuid::now_v7(),
    })
    .expect("encode");
    for body in ["not an order message", unknown.as_str()] {
        queues
            .queue
            .client()
            .send_message()
            .queue_url(queues.queue.url())
            .message_body(body)
            .send()
            .await
            .expect("send");
    }

    let mut receives = 0;
    loop {
        let event = receive_event(&queues.queue).await;
        if event.records.is_empty() {
            break;
        }
        receives += event.records.len();
        let records = event.records.len();
        let response = function.handle(event).await;
        assert_eq!(
            response.batch_item_failures.len(),
            records,
            "none is deleted"
        );
        assert!(
            receives <= 4,
            "each is received at most maxReceiveCount times"
        );
    }

    let dlq = OrderQueue::new(moto.sqs_client(), queues.dlq_url.clone());
    assert_eq!(queued(&dlq).await, 2, "both wait in the dead-letter queue");
}
