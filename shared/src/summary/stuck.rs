//! The last word on summaries nobody will finish.
//!
//! A summary is settled by the consumer, but not always: the database can be down on a
//! message's last receive (the verdict `failed` cannot be written while the queue moves the
//! message on), or the function can be killed on it. Such an order would show `pending` for
//! ever. Past the retry horizon no delivery of its message can still be on its way, so the
//! scheduled relay settles it as `failed`; a redrive of the dead-lettered message reopens it.

use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;

use crate::orders::events::EventType;

/// Marks `failed` every summary `pending` for longer than `horizon`, each with its
/// `summary_failed` event on the order's timeline in the same statement; returns how many.
pub async fn settle(db: &PgPool, horizon: Duration) -> anyhow::Result<u64> {
    let settled = sqlx::query(
        "WITH settled AS (
             UPDATE orders.orders SET summary_status = 'failed'
             WHERE summary_status = 'pending'
               AND summary_updated_at < now() - make_interval(secs => $1)
             RETURNING id)
         INSERT INTO orders.order_events (id, order_id, type, data)
         SELECT gen_random_uuid(), id, $2, jsonb_build_object('reason', 'retry horizon passed')
         FROM settled",
    )
    .bind(horizon.as_secs_f64())
    .bind(EventType::SummaryFailed.as_str())
    .execute(db)
    .await
    .context("settling summaries left pending")?;
    let count = settled.rows_affected();
    if count > 0 {
        tracing::warn!(
            metric = "summaries_settled_as_failed",
            count,
            "summaries left pending past the retry horizon were settled as failed"
        );
    }
    Ok(count)
}
