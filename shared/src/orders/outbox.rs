//! The transactional outbox between order creation and the orders queue.
//!
//! The order's transaction writes an outbox row; after commit the row is sent and marked. A
//! send that fails leaves the row unsent, and [`relay`] sends it later. Delivery is therefore
//! at least once; the summary function is idempotent per order.

use std::time::{Duration, Instant};

use anyhow::Context;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::queue::{OrderMessage, OrderQueue, SEND_TIMEOUT};

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
pub async fn publish(db: &PgPool, queue: &OrderQueue, outbox_id: Uuid, message: &OrderMessage) {
    match queue.send(message).await {
        Ok(()) => {
            if let Err(error) = mark_sent(db, outbox_id).await {
                // The message is out; a second send by the relay is harmless (idempotent consumer).
                tracing::warn!(order_id = %message.order_id, error = %format!("{error:#}"), "could not mark outbox row sent");
            }
        }
        Err(error) => {
            tracing::warn!(order_id = %message.order_id, error = %format!("{error:#}"), "order left in the outbox for the relay");
            let _ = record_failure(db, outbox_id, &error).await;
        }
    }
}

/// Marks a row sent, committing without waiting for the disk (`orders.mark_outbox_sent`): a lost
/// mark only means the relay sends the row again.
async fn mark_sent(db: impl PgExecutor<'_>, outbox_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT orders.mark_outbox_sent($1)")
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
    sqlx::query(
        "UPDATE orders.outbox SET attempts = attempts + 1, last_error = $2, claimed_until = NULL
         WHERE id = $1",
    )
    .bind(outbox_id)
    .bind(format!("{error:#}"))
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RelayReport {
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
}

/// Claims up to `batch_size` unsent rows older than the grace period and sends them one by one
/// until `deadline`, stopping at the first failed send.
///
/// The claim is a lease (`claimed_until`), committed before the first send: no lock is held
/// while SQS is called, each row is marked sent as soon as its send succeeds, and rows this run
/// does not get to are released at once. Relays running at the same time split the backlog; a
/// relay killed mid-batch loses only the row in flight (sent again after its lease, which the
/// idempotent consumer absorbs). No send starts unless it can end before `deadline`.
pub async fn relay(
    db: &PgPool,
    queue: &OrderQueue,
    batch_size: i64,
    deadline: Instant,
) -> anyhow::Result<RelayReport> {
    let Some(time_left) = deadline
        .checked_duration_since(Instant::now())
        .filter(|left| *left >= SEND_TIMEOUT)
    else {
        return Ok(RelayReport::default());
    };
    // Outlives every send this run may still start, so no other relay takes a row mid-send.
    let lease = time_left + SEND_TIMEOUT;
    let rows: Vec<(Uuid, sqlx::types::Json<OrderMessage>)> = sqlx::query_as(
        "UPDATE orders.outbox SET claimed_until = now() + make_interval(secs => $3)
         WHERE id IN (
             SELECT id FROM orders.outbox
             WHERE sent_at IS NULL AND created_at < now() - make_interval(secs => $2)
               AND (claimed_until IS NULL OR claimed_until < now())
             ORDER BY created_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
         RETURNING id, payload",
    )
    .bind(batch_size)
    .bind(RELAY_GRACE_SECONDS as f64)
    .bind(lease.as_secs_f64())
    .fetch_all(db)
    .await
    .context("claiming unsent outbox rows")?;

    let mut report = RelayReport {
        claimed: rows.len(),
        ..RelayReport::default()
    };
    let mut rows = rows.into_iter();
    for (id, sqlx::types::Json(message)) in rows.by_ref() {
        match queue.send(&message).await {
            Ok(()) => {
                mark_sent(db, id).await.context("marking a row sent")?;
                report.sent += 1;
            }
            Err(error) => {
                tracing::warn!(order_id = %message.order_id, error = %format!("{error:#}"), "relay could not send");
                record_failure(db, id, &error)
                    .await
                    .context("recording a failed send")?;
                report.failed += 1;
                // The queue is likely down: stop here rather than wait a send timeout per row.
                break;
            }
        }
        if Instant::now() + SEND_TIMEOUT > deadline {
            break;
        }
    }
    let untouched: Vec<Uuid> = rows.map(|(id, _)| id).collect();
    release(db, &untouched).await?;
    Ok(report)
}

/// Gives claimed rows back to the next run without waiting for their lease.
async fn release(db: &PgPool, ids: &[Uuid]) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE orders.outbox SET claimed_until = NULL WHERE id = ANY($1) AND sent_at IS NULL",
    )
    .bind(ids)
    .execute(db)
    .await
    .context("releasing unsent outbox rows")?;
    Ok(())
}

/// Deletes rows sent more than `retention` ago, at most `limit` per call so one run stays short.
pub async fn delete_sent(db: &PgPool, retention: Duration, limit: i64) -> anyhow::Result<u64> {
    let deleted = sqlx::query(
        "DELETE FROM orders.outbox WHERE id IN (
             SELECT id FROM orders.outbox
             WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $1)
             LIMIT $2)",
    )
    .bind(retention.as_secs_f64())
    .bind(limit)
    .execute(db)
    .await
    .context("deleting sent outbox rows past their retention")?;
    Ok(deleted.rows_affected())
}
