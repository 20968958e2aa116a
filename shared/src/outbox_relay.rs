//! `outbox-relay`, the scheduled job (EventBridge every minute in AWS, the local event source's
//! timer in `make dev`). Each run, in order:
//! - relays the outbox rows that orders-create could not send, under a time budget;
//! - settles summaries left `pending` past the retry horizon as `failed`;
//! - deletes outbox rows sent longer ago than their retention;
//! - forgets idempotency keys past their retention;
//! - deletes sign-in and registration throttle windows that ended long ago;
//! - once a UTC day, refreshes the per-period product totals behind the top-products report
//!   (`crate::reports::top_products`; a few seconds on a big catalogue, after the sends).
//!
//! Safe to run concurrently and repeatedly: the relay claims rows with a lease, and every other
//! step is a conditional update or delete that does nothing the second time.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use sqlx::PgPool;

use crate::config::{self, ConfigError};
use crate::orders::outbox;
use crate::orders::queue::OrderQueue;
use crate::summary::stuck;

/// Outbox rows claimed at a time.
pub const RELAY_BATCH: i64 = 100;
/// Sent outbox rows deleted per run at most, so a first run after a long time stays short.
pub const DELETE_BATCH: i64 = 10_000;
/// The API promises at least 24 hours; twice that covers a client retrying over a long outage.
pub const IDEMPOTENCY_RETENTION_HOURS: i32 = 48;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRelaySettings {
    /// No send starts unless it can end within this, counted from the start of the run; it is
    /// well below the function's timeout (50 s), so a run is never cut off mid-send.
    pub relay_budget: Duration,
    /// Sent outbox rows are kept this long (for inspection), then deleted.
    pub outbox_retention: Duration,
    /// A summary still `pending` this long after its last change has outlived every retry the
    /// queue can give it (its message was lost or dead-lettered without the verdict recorded).
    pub summary_horizon: Duration,
}

impl Default for OutboxRelaySettings {
    fn default() -> Self {
        Self {
            relay_budget: Duration::from_secs(30),
            outbox_retention: Duration::from_secs(7 * 24 * 3600),
            // Five receives of up to 15 minutes' back-off each, plus their visibility timeouts.
            summary_horizon: Duration::from_secs(2 * 3600),
        }
    }
}

impl OutboxRelaySettings {
    /// `OUTBOX_RELAY_BUDGET_SECONDS`, `OUTBOX_RETENTION_DAYS`, `SUMMARY_PENDING_HORIZON_SECONDS`.
    pub fn from_env() -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let seconds = |name, default: Duration| -> Result<Duration, ConfigError> {
            config::parsed_or(name, default.as_secs()).map(Duration::from_secs)
        };
        let days: u64 = config::parsed_or(
            "OUTBOX_RETENTION_DAYS",
            defaults.outbox_retention.as_secs() / 86_400,
        )?;
        Ok(Self {
            relay_budget: seconds("OUTBOX_RELAY_BUDGET_SECONDS", defaults.relay_budget)?,
            outbox_retention: Duration::from_secs(days * 86_400),
            summary_horizon: seconds("SUMMARY_PENDING_HORIZON_SECONDS", defaults.summary_horizon)?,
        })
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OutboxRelayReport {
    pub relayed: usize,
    pub relay_failures: usize,
    pub settled_stuck_summaries: u64,
    pub deleted_sent_rows: u64,
    pub expired_idempotency_keys: u64,
    pub old_throttle_windows: u64,
    pub refreshed_report_spans: bool,
}

pub async fn run(
    db: &PgPool,
    queue: &OrderQueue,
    settings: &OutboxRelaySettings,
) -> anyhow::Result<OutboxRelayReport> {
    let mut report = OutboxRelayReport::default();
    let deadline = Instant::now() + settings.relay_budget;
    relay_outbox(db, queue, deadline, &mut report).await?;
    report.settled_stuck_summaries = stuck::settle(db, settings.summary_horizon).await?;
    report.deleted_sent_rows =
        outbox::delete_sent(db, settings.outbox_retention, DELETE_BATCH).await?;
    report.expired_idempotency_keys = expire_idempotency_keys(db).await?;
    report.old_throttle_windows = crate::auth::throttle::forget_old_windows(db).await?;
    report.refreshed_report_spans = crate::reports::top_products::refresh_if_stale(db).await?;
    Ok(report)
}

/// Batches until one comes back short (the backlog is drained), a send fails (the queue is
/// likely down; the next run tries again) or the budget is spent.
async fn relay_outbox(
    db: &PgPool,
    queue: &OrderQueue,
    deadline: Instant,
    report: &mut OutboxRelayReport,
) -> anyhow::Result<()> {
    loop {
        let batch = outbox::relay(db, queue, RELAY_BATCH, deadline).await?;
        report.relayed += batch.sent;
        report.relay_failures += batch.failed;
        let short = (batch.claimed as i64) < RELAY_BATCH;
        if batch.failed > 0 || short || batch.sent < batch.claimed {
            return Ok(());
        }
    }
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
