//! The notes table (`inventory.restock_advice`, migration 0100): one row per attempt that
//! decided something, and the advice staff are shown.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::note::Note;

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AdviceStatus {
    Ready,
    Failed,
    Skipped,
    Disabled,
}

impl AdviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Disabled => "disabled",
        }
    }
}

/// One attempt to store.
pub struct Attempt<'a> {
    pub id: Uuid,
    pub status: AdviceStatus,
    pub input: &'a Value,
    pub suggestions: usize,
    /// Only for `ready`.
    pub note: Option<&'a Note>,
    /// The plain note of a run with nothing to order (no provider call).
    pub plain_text: Option<&'a str>,
    pub error: Option<&'a str>,
}

pub async fn insert(db: impl PgExecutor<'_>, attempt: &Attempt<'_>) -> Result<(), sqlx::Error> {
    let note = attempt.note;
    let usage = note.map(|note| note.usage).unwrap_or_default();
    let cost = if usage.cost.is_finite() {
        usage.cost.max(0.0)
    } else {
        0.0
    };
    sqlx::query(
        "INSERT INTO inventory.restock_advice
             (id, status, text, priorities, input, suggestions, model, prompt_tokens,
              completion_tokens, cost_usd, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::float8::numeric, $11)",
    )
    .bind(attempt.id)
    .bind(attempt.status.as_str())
    .bind(note.map(|note| note.text.as_str()).or(attempt.plain_text))
    .bind(note.map(|note| note.priorities.clone()).unwrap_or_default())
    .bind(attempt.input)
    .bind(i32::try_from(attempt.suggestions).unwrap_or(i32::MAX))
    .bind(note.and_then(|note| note.model.as_deref()))
    .bind(usage.prompt_tokens.max(0))
    .bind(usage.completion_tokens.max(0))
    .bind(cost)
    .bind(
        attempt
            .error
            .map(|error| error.chars().take(300).collect::<String>()),
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The latest attempt's status and the facts it was made from.
pub async fn latest(db: impl PgExecutor<'_>) -> Result<Option<(AdviceStatus, Value)>, sqlx::Error> {
    let row: Option<(String, Value)> = sqlx::query_as(
        "SELECT status, input FROM inventory.restock_advice
         ORDER BY generated_at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(status, input)| {
        let status = match status.as_str() {
            "ready" => AdviceStatus::Ready,
            "skipped" => AdviceStatus::Skipped,
            "disabled" => AdviceStatus::Disabled,
            _ => AdviceStatus::Failed,
        };
        (status, input)
    }))
}

/// What `GET /restock/suggestions` shows as `advice`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Advice {
    /// How the latest attempt ended: `ready`, `failed` (the provider failed; the last good
    /// note stays), `skipped` (the day's AI budget is spent) or `disabled` (no provider).
    #[schema(example = "ready")]
    pub status: String,
    /// The last good note, also after a later attempt failed; null when there never was one.
    pub text: Option<String>,
    /// When `text` was written; without a text, when the latest attempt was made.
    pub generated_at: DateTime<Utc>,
}

/// The latest attempt's status with the last good note; `None` before the first attempt.
pub async fn shown(db: impl PgExecutor<'_>) -> Result<Option<Advice>, sqlx::Error> {
    sqlx::query_as(
        "WITH latest AS (
             SELECT status, generated_at FROM inventory.restock_advice
             ORDER BY generated_at DESC, id DESC LIMIT 1),
         good AS (
             SELECT text, generated_at FROM inventory.restock_advice WHERE status = 'ready'
             ORDER BY generated_at DESC, id DESC LIMIT 1)
         SELECT latest.status, good.text,
                coalesce(good.generated_at, latest.generated_at) AS generated_at
         FROM latest LEFT JOIN good ON true",
    )
    .fetch_optional(db)
    .await
}
