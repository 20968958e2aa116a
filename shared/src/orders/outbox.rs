//! The transactional outbox between order creation and the orders queue.
//!
//! The order's transaction writes an outbox row; after commit the row is sent and marked. A
//! send that fails leaves the row unsent, and [`relay`] sends it later. Delivery is therefore
//! at least once; the summary function is idempotent per order.

use anyhow::Context;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::queue::{OrderMessage, OrderQueue};

/// Rows younger than this are left to the request that wrote them, which sends right after
/// commit; the relay takes over only when that did not happen.
pub const RELAY_GRACE_SECONDS: i64 = 10;

/// Writes the outbox row for an order inside the order's transaction.
pub async fn enqueue(tx: &mut PgConnection, message: &OrderMessage) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO orders.outbox (id, order_id, payload) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(message.order_id)
        .bind(sqlx::types::Json(message))
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

/// Sends one committed outbox row and marks it sent. Failure is recorded, not raised: the
/// order already stands, and the relay will try again.
pub async fn publish(
    db: &PgPool,
    queue: &OrderQueue,
    outbox_id: Uuid,
    message: &OrderMessage,
) -> bool {
    match queue.send(message).await {
        Ok(()) => {
            if let Err(error) = mark_sent(db, outbox_id).await {
                // The message is out; a second send by the relay is harmless (idempotent consumer).
                tracing::warn!(order_id = %message.order_id, error = %format!("{error:#}"), "could not mark outbox row sent");
            }
            true
        }
        Err(error) => {
            tracing::warn!(order_id = %message.order_id, error = %format!("{error:#}"), "order left in the outbox for the relay");
            let _ = record_failure(db, outbox_id, &error).await;
            false
        }
    }
}

async fn mark_sent(db: impl PgExecutor<'_>, outbox_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE orders.outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1")
        .bind(outbox_id)
        .execute(db)
        .await?;
    Ok(())
}

async fn record_failure(
    db: impl PgExecutor<'_>,
    outbox_id: Uuid,
    error: &anyhow::Error,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE orders.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1")
        .bind(outbox_id)
        .bind(format!("{error:#}"))
        .execute(db)
        .await?;
    Ok(())
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RelayReport {
    pub sent: usize,
    pub failed: usize,
}

/// Sends up to `batch_size` unsent rows older than the grace period, stopping at the first
/// failed send.
///
/// Rows are claimed with `FOR UPDATE SKIP LOCKED`, so relays running at the same time split the
/// backlog instead of sending the same row twice.
pub async fn relay(
    db: &PgPool,
    queue: &OrderQueue,
    batch_size: i64,
) -> anyhow::Result<RelayReport> {
    let mut tx = db.begin().await.context("starting the relay transaction")?;
    let rows: Vec<(Uuid, sqlx::types::Json<OrderMessage>)> = sqlx::query_as(
        "SELECT id, payload FROM orders.outbox
         WHERE sent_at IS NULL AND created_at < now() - make_interval(secs => $2)
         ORDER BY created_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED",
    )
    .bind(batch_size)
    .bind(RELAY_GRACE_SECONDS as f64)
    .fetch_all(&mut *tx)
    .await
    .context("claiming unsent outbox rows")?;

    let mut report = RelayReport::default();
    for (id, sqlx::types::Json(message)) in rows {
        match queue.send(&message).await {
            Ok(()) => {
                mark_sent(&mut *tx, id).await?;
                report.sent += 1;
            }
            Err(error) => {
                tracing::warn!(order_id = %message.order_id, error = %format!("{error:#}"), "relay could not send");
                record_failure(&mut *tx, id, &error).await?;
                report.failed += 1;
                // The queue is likely down: stop here rather than hold the claimed rows for a
                // send timeout each. The rest stay unsent and claimable by the next run.
                break;
            }
        }
    }
    tx.commit().await.context("committing the relay batch")?;
    Ok(report)
}
