//! What came of one attempt: the receiver's answer, the outcome it leads to, and recording both
//! (the attempt row and the delivery's next state) in one transaction.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::deliver::Leased;
use super::schedule::DeliverySettings;

/// What one receipt of a delivery's message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered 2xx.
    Delivered,
    /// This attempt failed and so did the schedule: the delivery is `failed`.
    Failed,
    /// This attempt failed; the next is due after the wait.
    RetryIn(Duration),
    /// The delivery is not due yet (an early or duplicate message): wait this long.
    NotDue(Duration),
    /// Another receipt holds the lease; it will settle or reschedule the delivery.
    Busy,
    /// Nothing to do: delivered, failed or deleted meanwhile.
    Settled,
}

/// What a receiver answered, or why there was no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Answer {
    pub(super) status: Option<u16>,
    pub(super) error: Option<String>,
    pub(super) body: Option<String>,
}

impl Answer {
    pub(super) fn refused(error: String) -> Self {
        Self {
            status: None,
            error: Some(error),
            body: None,
        }
    }

    pub(super) fn delivered(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }
}

/// Stores the attempt and the delivery's next state in one transaction, and lets the lease go.
pub(super) async fn record(
    db: &PgPool,
    settings: &DeliverySettings,
    delivery_id: Uuid,
    leased: &Leased,
    answer: &Answer,
    started_at: DateTime<Utc>,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let round = usize::try_from(leased.round_attempts).unwrap_or(0) + 1;
    let (status, outcome, wait) = if answer.delivered() {
        ("delivered", Outcome::Delivered, Duration::ZERO)
    } else {
        match settings.wait_after(round) {
            Some(wait) => ("pending", Outcome::RetryIn(wait), wait),
            None => ("failed", Outcome::Failed, Duration::ZERO),
        }
    };
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO webhooks.attempts
             (id, delivery_id, attempt, status_code, error, response_body, started_at, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7())
    .bind(delivery_id)
    .bind(leased.attempts + 1)
    .bind(answer.status.map(i32::from))
    .bind(answer.error.as_deref())
    .bind(answer.body.as_deref())
    .bind(started_at)
    .bind(i32::try_from(duration.as_millis()).unwrap_or(i32::MAX))
    .execute(&mut *tx)
    .await
    .context("recording an attempt")?;
    sqlx::query(
        "UPDATE webhooks.deliveries
         SET status = $2, attempts = attempts + 1, round_attempts = round_attempts + 1,
             last_status_code = $3, last_error = $4,
             next_attempt_at = clock_timestamp() + make_interval(secs => $5),
             leased_until = NULL, queued_at = clock_timestamp(), updated_at = clock_timestamp()
         WHERE id = $1",
    )
    .bind(delivery_id)
    .bind(status)
    .bind(answer.status.map(i32::from))
    .bind(answer.error.as_deref())
    .bind(wait.as_secs_f64())
    .execute(&mut *tx)
    .await
    .context("recording a delivery's state")?;
    tx.commit().await?;
    match &outcome {
        Outcome::Delivered => tracing::info!(%delivery_id, "webhook delivered"),
        Outcome::Failed => {
            tracing::warn!(%delivery_id, error = ?answer.error, "webhook delivery failed for good")
        }
        _ => tracing::info!(%delivery_id, error = ?answer.error, ?wait, "webhook attempt failed"),
    }
    Ok(outcome)
}
