//! The scheduled outbox relay: unsent orders reach the queue once, old idempotency keys
//! expire, and nothing is lost while the queue is down.

use serde_json::Value;
use shared::db_role::DbRole;
use shared::orders::queue::{OrderMessage, OrderQueue};
use shared::outbox_relay::{self, OutboxRelaySettings};
use sqlx::PgPool;
use testkit::MotoServer;
use uuid::Uuid;

use super::summary::{receive, seed_order};

#[sqlx::test(migrations = "../migrations")]
async fn the_sweep_relays_unsent_orders_once_and_expires_old_keys(db: PgPool) {
    let moto = MotoServer::start().await;
    let queues = moto.queues("orders", 30, 5).await;
    let order_id = seed_order(&db).await;
    let message = OrderMessage {
        order_id,
        correlation_id: Uuid::now_v7(),
    };
    // Older than the relay's grace period, as if the request's own send had failed.
    sqlx::query("INSERT INTO orders.outbox (id, order_id, payload, created_at) VALUES ($1, $2, $3, now() - interval '1 minute')")
        .bind(Uuid::now_v7())
        .bind(order_id)
        .bind(sqlx::types::Json(&message))
        .execute(&db)
        .await
        .expect("outbox row");
    let user_id: Uuid = sqlx::query_scalar("SELECT user_id FROM orders.orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&db)
        .await
        .expect("user");
    for (key, age) in [("old", "49 hours"), ("fresh", "1 hour")] {
        sqlx::query(
            "INSERT INTO orders.idempotency_keys (user_id, key, request_hash, created_at)
             VALUES ($1, $2, 'h', now() - $3::interval)",
        )
        .bind(user_id)
        .bind(key)
        .bind(age)
        .execute(&db)
        .await
        .expect("key");
    }

    let settings = OutboxRelaySettings::default();
    let (relay_a, relay_b) = (DbRole::Relay.pool_like(&db), DbRole::Relay.pool_like(&db));
    let (first, second) = tokio::join!(
        outbox_relay::run(&relay_a, &queues.queue, &settings),
        outbox_relay::run(&relay_b, &queues.queue, &settings)
    );
    let (first, second) = (first.expect("sweep"), second.expect("sweep"));

    assert_eq!(
        first.relayed + second.relayed,
        1,
        "concurrent sweeps send a row once"
    );
    assert_eq!(
        first.expired_idempotency_keys + second.expired_idempotency_keys,
        1
    );
    let delivered = receive(&queues.queue).await;
    assert_eq!(delivered.len(), 1);
    let body: Value =
        serde_json::from_str(delivered[0].body.as_deref().expect("body")).expect("json");
    assert_eq!(body["order_id"], order_id.to_string());
    let unsent: i64 =
        sqlx::query_scalar("SELECT count(*) FROM orders.outbox WHERE sent_at IS NULL")
            .fetch_one(&db)
            .await
            .expect("count");
    assert_eq!(unsent, 0);
    let again = outbox_relay::run(
        &DbRole::Relay.pool_like(&db),
        &queues.queue,
        &OutboxRelaySettings::default(),
    )
    .await
    .expect("sweep");
    assert_eq!(again, Default::default());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sweep_keeps_rows_when_the_queue_is_down(db: PgPool) {
    let order_id = seed_order(&db).await;
    sqlx::query("INSERT INTO orders.outbox (id, order_id, payload, created_at) VALUES ($1, $2, $3, now() - interval '1 minute')")
        .bind(Uuid::now_v7())
        .bind(order_id)
        .bind(sqlx::types::Json(OrderMessage { order_id, correlation_id: Uuid::now_v7() }))
        .execute(&db)
        .await
        .expect("outbox row");
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let queue = OrderQueue::new(
        testkit::local_sqs_client(&endpoint),
        format!("{endpoint}/123456789012/orders"),
    );

    let report = outbox_relay::run(
        &DbRole::Relay.pool_like(&db),
        &queue,
        &OutboxRelaySettings::default(),
    )
    .await
    .expect("sweep itself succeeds");

    assert_eq!((report.relayed, report.relay_failures), (0, 1));
    let (attempts, error): (i32, Option<String>) =
        sqlx::query_as("SELECT attempts, last_error FROM orders.outbox WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(&db)
            .await
            .expect("row");
    assert_eq!(attempts, 1);
    assert!(error.is_some());
}

/// The mark commits without waiting for the disk, and only its own transaction does: the next
/// statement on the same connection (a pooled Lambda connection's next checkout) waits again.
#[sqlx::test(migrations = "../migrations")]
async fn marking_a_row_sent_relaxes_only_its_own_commit(db: PgPool) {
    let order_id = seed_order(&db).await;
    let outbox_id = Uuid::now_v7();
    sqlx::query("INSERT INTO orders.outbox (id, order_id, payload) VALUES ($1, $2, '{}')")
        .bind(outbox_id)
        .bind(order_id)
        .execute(&db)
        .await
        .expect("outbox row");
    let mut connection = db.acquire().await.expect("connection");
    let during: String = sqlx::query_scalar(
        "SELECT current_setting('synchronous_commit') FROM (SELECT orders.mark_outbox_sent($1)) m",
    )
    .bind(outbox_id)
    .fetch_one(&mut *connection)
    .await
    .expect("mark");
    assert_eq!(during, "off");
    let after: String = sqlx::query_scalar("SELECT current_setting('synchronous_commit')")
        .fetch_one(&mut *connection)
        .await
        .expect("setting");
    assert_eq!(after, "on");
    let sent: bool =
        sqlx::query_scalar("SELECT sent_at IS NOT NULL FROM orders.outbox WHERE id = $1")
            .bind(outbox_id)
            .fetch_one(&db)
            .await
            .expect("row");
    assert!(sent);
}
