//! The scheduled sweep (`outbox-relay`): sends orders the request could not hand to the queue,
//! and forgets idempotency keys past their retention.
//!
//! Safe to run concurrently and repeatedly: the relay claims rows with `FOR UPDATE SKIP LOCKED`,
//! and deleting expired keys twice deletes nothing the second time.

use anyhow::Context;
use serde::Serialize;
use sqlx::PgPool;

use crate::orders::outbox;
use crate::orders::queue::OrderQueue;

/// Outbox rows claimed per transaction.
pub const RELAY_BATCH: i64 = 100;
/// No new batch starts after this: a large backlog is finished by the next runs instead of
/// being cut off by the function's timeout, which would roll back a batch already sent.
pub const RELAY_BUDGET: std::time::Duration = std::time::Duration::from_secs(30);
/// The API promises at least 24 hours; twice that covers a client retrying over a long outage.
pub const IDEMPOTENCY_RETENTION_HOURS: i32 = 48;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub relayed: usize,
    pub relay_failures: usize,
    pub expired_idempotency_keys: u64,
}

pub async fn sweep(db: &PgPool, queue: &OrderQueue) -> anyhow::Result<SweepReport> {
    let mut report = SweepReport::default();
    // Batches until one comes back short: the backlog is drained. A failed send ends the run
    // too — the queue is likely down, and the next scheduled run will try again.
    let started = std::time::Instant::now();
    loop {
        let batch = outbox::relay(db, queue, RELAY_BATCH).await?;
        report.relayed += batch.sent;
        report.relay_failures += batch.failed;
        let short = ((batch.sent + batch.failed) as i64) < RELAY_BATCH;
        if batch.failed > 0 || short || started.elapsed() >= RELAY_BUDGET {
            break;
        }
    }
    report.expired_idempotency_keys = expire_idempotency_keys(db).await?;
    Ok(report)
}

pub async fn expire_idempotency_keys(db: &PgPool) -> anyhow::Result<u64> {
    let deleted = sqlx::query(
        "DELETE FROM orders.idempotency_keys WHERE created_at < now() - make_interval(hours => $1)",
    )
    .bind(IDEMPOTENCY_RETENTION_HOURS)
    .execute(db)
    .await
    .context("deleting expired idempotency keys")?;
    Ok(deleted.rows_affected())
}
