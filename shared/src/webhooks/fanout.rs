//! `webhook-relay`, the scheduled job (EventBridge every minute in AWS, the local event
//! source's timer in `make dev`). Each run:
//! - fans every new event out to one delivery per subscribed active endpoint;
//! - queues the deliveries that are not on the queue: new ones, staff retries, and pending ones
//!   whose message was lost (overdue by more than `requeue_after`);
//! - deletes deliveries (with their attempts) and events older than the retention.
//!
//! Safe to run concurrently: an event is fanned out under its row lock (`SKIP LOCKED`, so
//! relays split the backlog), and `UNIQUE (event_id, endpoint_id)` makes a second delivery of
//! one event to one endpoint impossible whatever happens.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::queue::DeliveryQueue;
use crate::config::{self, ConfigError};

/// Events fanned out per statement, deliveries queued per claim.
pub const BATCH: i64 = 100;
/// SQS takes at most 10 messages per call.
const SEND_BATCH: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelaySettings {
    /// A pending delivery overdue by this much has lost its message: it is queued again.
    pub requeue_after: Duration,
    /// Deliveries and events are kept this long (the contract: 30 days).
    pub retention: Duration,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            requeue_after: Duration::from_secs(15 * 60),
            retention: Duration::from_secs(30 * 86_400),
        }
    }
}

impl RelaySettings {
    /// `WEBHOOK_REQUEUE_AFTER_SECONDS`, `WEBHOOK_RETENTION_DAYS`.
    pub fn from_env() -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let requeue: u64 = config::parsed_or(
            "WEBHOOK_REQUEUE_AFTER_SECONDS",
            defaults.requeue_after.as_secs(),
        )?;
        let days: u64 = config::parsed_or(
            "WEBHOOK_RETENTION_DAYS",
            defaults.retention.as_secs() / 86_400,
        )?;
        Ok(Self {
            requeue_after: Duration::from_secs(requeue),
            retention: Duration::from_secs(days * 86_400),
        })
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RelayReport {
    pub events_fanned_out: u64,
    pub deliveries_made: u64,
    pub deliveries_queued: u64,
    pub queue_failures: u64,
    pub deliveries_expired: u64,
    pub events_expired: u64,
}

pub async fn run(
    db: &PgPool,
    queue: &DeliveryQueue,
    settings: &RelaySettings,
) -> anyhow::Result<RelayReport> {
    let mut report = RelayReport::default();
    loop {
        let (events, deliveries) = fan_out(db, BATCH).await?;
        report.events_fanned_out += events;
        report.deliveries_made += deliveries;
        if events < BATCH as u64 {
            break;
        }
    }
    queue_due(db, queue, settings.requeue_after, &mut report).await?;
    let (deliveries, events) = expire(db, settings.retention).await?;
    report.deliveries_expired = deliveries;
    report.events_expired = events;
    Ok(report)
}

/// Makes the deliveries of up to `batch` events in one statement; returns (events, deliveries).
pub async fn fan_out(db: &PgPool, batch: i64) -> anyhow::Result<(u64, u64)> {
    let (events, deliveries): (i64, i64) = sqlx::query_as(
        "WITH picked AS (
             SELECT id, type FROM webhooks.events
             WHERE fanned_out_at IS NULL
             ORDER BY created_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED
         ), made AS (
             INSERT INTO webhooks.deliveries (id, event_id, endpoint_id)
             SELECT gen_random_uuid(), p.id, e.id
             FROM picked p JOIN webhooks.endpoints e ON e.active AND p.type = ANY (e.events)
             ON CONFLICT (event_id, endpoint_id) DO NOTHING
             RETURNING 1
         ), marked AS (
             UPDATE webhooks.events SET fanned_out_at = clock_timestamp()
             WHERE id IN (SELECT id FROM picked)
             RETURNING 1
         )
         SELECT (SELECT count(*) FROM marked), (SELECT count(*) FROM made)",
    )
    .bind(batch)
    .fetch_one(db)
    .await
    .context("fanning webhook events out to deliveries")?;
    Ok((events as u64, deliveries as u64))
}

/// Claims the deliveries that need a message (marking them queued first, so a concurrent relay
/// skips them) and sends one message each; a failed send un-marks them for the next run.
async fn queue_due(
    db: &PgPool,
    queue: &DeliveryQueue,
    requeue_after: Duration,
    report: &mut RelayReport,
) -> anyhow::Result<()> {
    loop {
        let claimed: Vec<(Uuid, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
            "UPDATE webhooks.deliveries d SET queued_at = clock_timestamp()
             WHERE d.id IN (
                 SELECT id FROM webhooks.deliveries
                 WHERE status = 'pending'
                   AND (queued_at IS NULL
                        OR (queued_at < now() - make_interval(secs => $2)
                            AND next_attempt_at < now() - make_interval(secs => $2)
                            AND (leased_until IS NULL OR leased_until < now())))
                 ORDER BY next_attempt_at
                 LIMIT $1
                 FOR UPDATE SKIP LOCKED)
             RETURNING d.id, d.next_attempt_at, clock_timestamp()",
        )
        .bind(BATCH)
        .bind(requeue_after.as_secs_f64())
        .fetch_all(db)
        .await
        .context("claiming deliveries to queue")?;
        let claimed_count = claimed.len();
        for chunk in claimed.chunks(SEND_BATCH) {
            let due: Vec<(Uuid, Duration)> = chunk
                .iter()
                .map(|(id, next, now)| (*id, (*next - *now).to_std().unwrap_or_default()))
                .collect();
            let unsent = match queue.send(&due).await {
                Ok(unsent) => unsent,
                Err(error) => {
                    tracing::warn!(error = %format!("{error:#}"), "could not queue webhook deliveries");
                    due.iter().map(|(id, _)| *id).collect()
                }
            };
            report.deliveries_queued += (due.len() - unsent.len()) as u64;
            report.queue_failures += unsent.len() as u64;
            if !unsent.is_empty() {
                sqlx::query("UPDATE webhooks.deliveries SET queued_at = NULL WHERE id = ANY($1)")
                    .bind(&unsent)
                    .execute(db)
                    .await
                    .context("un-marking unsent deliveries")?;
                // The queue is likely down: the next run tries again.
                return Ok(());
            }
        }
        if claimed_count < BATCH as usize {
            return Ok(());
        }
    }
}

/// Deletes deliveries (attempts go with them) and events past the retention, a batch per run.
pub async fn expire(db: &PgPool, retention: Duration) -> anyhow::Result<(u64, u64)> {
    let deliveries = sqlx::query(
        "DELETE FROM webhooks.deliveries WHERE id IN (
             SELECT id FROM webhooks.deliveries
             WHERE created_at < now() - make_interval(secs => $1)
             LIMIT 10000)",
    )
    .bind(retention.as_secs_f64())
    .execute(db)
    .await
    .context("deleting old webhook deliveries")?
    .rows_affected();
    let events = sqlx::query(
        "DELETE FROM webhooks.events WHERE id IN (
             SELECT ev.id FROM webhooks.events ev
             WHERE ev.created_at < now() - make_interval(secs => $1)
               AND ev.fanned_out_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.event_id = ev.id)
             LIMIT 10000)",
    )
    .bind(retention.as_secs_f64())
    .execute(db)
    .await
    .context("deleting old webhook events")?
    .rows_affected();
    Ok((deliveries, events))
}
