//! The order's summary columns. Every write is conditional on the current status, so two
//! deliveries of one message — one after the other or at the same moment — store one summary:
//! the first conditional update wins and the second changes nothing.

use sqlx::PgPool;
use uuid::Uuid;

use super::answer::Answer;
use super::flags::Flag;
use super::spend;

/// Where an order's summary stands; the `text` column `orders.orders.summary_status` holds its
/// lowercase name.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
    sqlx::Type,
)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum SummaryStatus {
    Pending,
    Ready,
    Failed,
    Disabled,
    /// Not sent to the provider: the order was cancelled first, or the day's budget is spent.
    Skipped,
}

impl SummaryStatus {
    /// Still worth asking the provider: nothing stored yet, or an earlier run gave up and the
    /// message came back (an operator's redrive after an outage).
    pub fn wants_summary(self) -> bool {
        matches!(self, Self::Pending | Self::Failed)
    }
}

/// The order's summary status, or `None` when the order does not exist.
pub async fn status(db: &PgPool, order_id: Uuid) -> Result<Option<SummaryStatus>, sqlx::Error> {
    sqlx::query_scalar("SELECT summary_status FROM orders.orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(db)
        .await
}

/// Stores the answer and the flags unless a summary is already there, and records what the
/// answer cost either way (it was paid for). `false`: another delivery was first.
pub async fn store_ready(
    db: &PgPool,
    order_id: Uuid,
    answer: &Answer,
    flags: &[Flag],
) -> Result<bool, sqlx::Error> {
    let model = answer.model.as_deref().unwrap_or("unknown");
    let mut tx = db.begin().await?;
    spend::record(&mut *tx, order_id, model, &answer.usage).await?;
    let result = sqlx::query(
        "UPDATE orders.orders
         SET summary_status = 'ready', summary_text = $2, summary_risk = $3,
             summary_flags = $4, summary_model = $5
         WHERE id = $1 AND summary_status IN ('pending', 'failed')",
    )
    .bind(order_id)
    .bind(&answer.text)
    .bind(answer.risk.map(|risk| risk.as_str()))
    .bind(sqlx::types::Json(flags))
    .bind(model)
    .execute(&mut *tx)
    .await?;
    finish(tx, order_id, "ready", result.rows_affected() == 1).await
}

/// Not sent to the provider: the order was cancelled first, or the budget is spent. The flags
/// are still facts worth showing.
pub async fn mark_skipped(
    db: &PgPool,
    order_id: Uuid,
    flags: &[Flag],
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let result = sqlx::query(
        "UPDATE orders.orders
         SET summary_status = 'skipped', summary_flags = $2
         WHERE id = $1 AND summary_status = 'pending'",
    )
    .bind(order_id)
    .bind(sqlx::types::Json(flags))
    .execute(&mut *tx)
    .await?;
    finish(tx, order_id, "skipped", result.rows_affected() == 1).await
}

/// Retries are spent. Never overwrites a stored summary.
pub async fn mark_failed(db: &PgPool, order_id: Uuid) -> Result<bool, sqlx::Error> {
    set_from_pending(db, order_id, "failed").await
}

/// A redriven order is tried again from `pending`, so its retries run their normal course.
pub async fn reopen_failed(db: &PgPool, order_id: Uuid) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE orders.orders SET summary_status = 'pending'
         WHERE id = $1 AND summary_status = 'failed'",
    )
    .bind(order_id)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// No provider is configured.
pub async fn mark_disabled(db: &PgPool, order_id: Uuid) -> Result<bool, sqlx::Error> {
    set_from_pending(db, order_id, "disabled").await
}

async fn set_from_pending(
    db: &PgPool,
    order_id: Uuid,
    status: &'static str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let result = sqlx::query(
        "UPDATE orders.orders SET summary_status = $2
         WHERE id = $1 AND summary_status = 'pending'",
    )
    .bind(order_id)
    .bind(status)
    .execute(&mut *tx)
    .await?;
    finish(tx, order_id, status, result.rows_affected() == 1).await
}

/// Commits a summary write; a write that changed the order also lands on its timeline, in the
/// same transaction.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    order_id: Uuid,
    status: &str,
    changed: bool,
) -> Result<bool, sqlx::Error> {
    if changed {
        crate::orders::events::record_summary_outcome(&mut tx, order_id, status).await?;
    }
    tx.commit().await?;
    Ok(changed)
}
