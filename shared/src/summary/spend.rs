//! What the AI costs: one usage row per paid summary answer, and the UTC day's total that the
//! budget is checked against and staff reports show. The day's total also counts the restock
//! notes' cost (kept on each note, `inventory.restock_advice`): one budget for every AI feature.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::answer::Usage;

/// Records one answer's tokens and reported cost.
pub async fn record(
    db: impl PgExecutor<'_>,
    order_id: Uuid,
    model: &str,
    usage: &Usage,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO orders.ai_usage (id, order_id, model, prompt_tokens, completion_tokens, cost_usd)
         VALUES ($1, $2, $3, $4, $5, $6::float8::numeric)",
    )
    .bind(Uuid::now_v7())
    .bind(order_id)
    .bind(model)
    .bind(usage.prompt_tokens.max(0))
    .bind(usage.completion_tokens.max(0))
    // A provider reporting a negative or non-finite cost reports nothing usable.
    .bind(if usage.cost.is_finite() { usage.cost.max(0.0) } else { 0.0 })
    .execute(db)
    .await?;
    Ok(())
}

/// The day's AI spend in US dollars, as the provider reported it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct DaySpend {
    pub date: NaiveDate,
    pub cost_usd: f64,
    /// Paid summary answers.
    pub summaries: i64,
    /// Restock notes the provider wrote.
    pub restock_notes: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
}

/// The spend of one UTC day (for the staff reports).
pub async fn spent_on(db: impl PgExecutor<'_>, date: NaiveDate) -> Result<DaySpend, sqlx::Error> {
    let start: DateTime<Utc> = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let (cost_usd, summaries, restock_notes, prompt_tokens, completion_tokens): (
        f64,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        // Summaries: the day's totals (at most 16 shard rows, migration 0200), not every
        // answer of the day. Restock notes are a few a day.
        "WITH paid AS (
             SELECT cost_usd, answers AS summaries, 0::bigint AS notes, prompt_tokens,
                    completion_tokens
             FROM orders.ai_spend_days
             WHERE day = $2
             UNION ALL
             -- A note with a model is one the provider wrote (and charged for).
             SELECT cost_usd, 0, 1, prompt_tokens, completion_tokens
             FROM inventory.restock_advice
             WHERE generated_at >= $1 AND generated_at < $1 + interval '1 day'
               AND model IS NOT NULL)
         SELECT COALESCE(sum(cost_usd), 0)::float8, COALESCE(sum(summaries), 0)::bigint,
                COALESCE(sum(notes), 0)::bigint,
                COALESCE(sum(prompt_tokens), 0)::bigint, COALESCE(sum(completion_tokens), 0)::bigint
         FROM paid",
    )
    .bind(start)
    .bind(date)
    .fetch_one(db)
    .await?;
    Ok(DaySpend {
        date,
        cost_usd,
        summaries,
        restock_notes,
        prompt_tokens,
        completion_tokens,
    })
}

/// The current UTC day's spend.
pub async fn spent_today(db: impl PgExecutor<'_>) -> Result<DaySpend, sqlx::Error> {
    spent_on(db, Utc::now().date_naive()).await
}
