//! The AI restock note, written by the scheduled `restock-advice` function (daily in AWS, every
//! minute or so under `make dev`) and shown beside the suggestions.
//!
//! One run: the current suggestions (the same rule as `GET /restock/suggestions`) become a JSON
//! document; the provider writes a short prioritised note from it (strict JSON schema, the
//! order summary's client, model fallback, attribution and daily budget); the outcome is stored.
//! - nothing to order: a plain "nothing to restock" note, no provider call;
//! - the same facts as the latest good note: nothing is asked or stored again;
//! - no provider key (`OPENROUTER_API_KEY_SECRET_ARN` unset): `disabled`; the day's AI budget spent: `skipped` (no call);
//! - the provider fails or refuses, or its answer does not fit: `failed`, and staff keep
//!   seeing the last good note; the next run tries again.

pub mod note;
pub mod prompt;
pub mod store;

use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::config::ConfigError;
use crate::summary::provider::{ProviderClient, structured_request};
use crate::summary::settings::{ProviderSettings, daily_budget_from_env};
use crate::summary::spend;
use store::{AdviceStatus, Attempt};

/// The note of a run with nothing to order.
pub const NOTHING_TO_RESTOCK: &str =
    "Nothing to restock: every product's stock and incoming cover the next 14 days of sales.";

/// Sent as OpenRouter's `X-Title` for restock notes.
pub const APP_TITLE: &str = "Shop restock notes";

/// The `metric` field of the log line of a run skipped for the budget.
pub const BUDGET_SKIP_METRIC: &str = "restock_notes_skipped_for_budget";
/// The `metric` field of the log line of a failed run (the template counts and alarms on it).
pub const FAILED_METRIC: &str = "restock_notes_failed";

#[derive(Debug, Clone)]
pub struct AdviceSettings {
    pub provider: ProviderSettings,
    /// `AI_DAILY_BUDGET_USD`, shared with the order summaries.
    pub daily_budget_usd: Option<f64>,
}

impl AdviceSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            provider: ProviderSettings::from_env()?,
            daily_budget_usd: daily_budget_from_env()?,
        })
    }
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ready,
    Failed,
    Skipped,
    Disabled,
    /// The facts are those of the latest attempt, which needs no repeat: nothing stored.
    Unchanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AdviceReport {
    /// The stored attempt's id (also in the prompt's first line); none when unchanged.
    pub run_id: Option<Uuid>,
    pub outcome: Outcome,
    pub suggestions: usize,
}

pub struct RestockAdvisor {
    db: PgPool,
    provider: Option<ProviderClient>,
    settings: AdviceSettings,
}

impl RestockAdvisor {
    pub fn new(db: PgPool, settings: AdviceSettings) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            provider: ProviderClient::new(&settings.provider)?
                .map(|client| client.titled(APP_TITLE)),
            settings,
        })
    }

    pub async fn run(&self) -> anyhow::Result<AdviceReport> {
        let suggestions = super::current(&self.db).await?;
        let input = prompt::document(&suggestions);
        let latest = store::latest(&self.db).await?;
        let repeats = |status: AdviceStatus| {
            latest
                .as_ref()
                .is_some_and(|(was, facts)| *was == status && *facts == input)
        };
        let report = |run_id, outcome| AdviceReport {
            run_id,
            outcome,
            suggestions: suggestions.len(),
        };
        if repeats(AdviceStatus::Ready) {
            return Ok(report(None, Outcome::Unchanged));
        }
        let id = Uuid::now_v7();
        let mut attempt = Attempt {
            id,
            status: AdviceStatus::Ready,
            input: &input,
            suggestions: suggestions.len(),
            note: None,
            plain_text: None,
            error: None,
        };
        if suggestions.is_empty() {
            attempt.plain_text = Some(NOTHING_TO_RESTOCK);
            store::insert(&self.db, &attempt).await?;
            return Ok(report(Some(id), Outcome::Ready));
        }
        let Some(provider) = &self.provider else {
            if repeats(AdviceStatus::Disabled) {
                return Ok(report(None, Outcome::Unchanged));
            }
            attempt.status = AdviceStatus::Disabled;
            store::insert(&self.db, &attempt).await?;
            return Ok(report(Some(id), Outcome::Disabled));
        };
        if self.budget_spent().await? {
            if repeats(AdviceStatus::Skipped) {
                return Ok(report(None, Outcome::Unchanged));
            }
            tracing::warn!(
                metric = BUDGET_SKIP_METRIC,
                "AI daily budget spent; restock note skipped"
            );
            attempt.status = AdviceStatus::Skipped;
            store::insert(&self.db, &attempt).await?;
            return Ok(report(Some(id), Outcome::Skipped));
        }
        let skus: Vec<&str> = suggestions.iter().map(|s| s.sku.as_str()).collect();
        let request = structured_request(
            provider.models(),
            &prompt::build(id, &input),
            &prompt::schema(),
        );
        let answered = provider
            .complete(&request)
            .await
            .and_then(|body| note::parse(&body, &skus).map_err(Into::into));
        match answered {
            Ok(mut note) => {
                note.model = note.model.or_else(|| provider.models().first().cloned());
                tracing::info!(
                    run_id = %id,
                    model = note.model.as_deref().unwrap_or(""),
                    prompt_tokens = note.usage.prompt_tokens,
                    completion_tokens = note.usage.completion_tokens,
                    cost_usd = note.usage.cost,
                    "restock note written"
                );
                attempt.note = Some(&note);
                store::insert(&self.db, &attempt).await?;
                Ok(report(Some(id), Outcome::Ready))
            }
            Err(error) => {
                let message = error.to_string();
                tracing::error!(
                    metric = FAILED_METRIC,
                    run_id = %id,
                    error = %message,
                    "restock note failed; the last good note stays"
                );
                attempt.status = AdviceStatus::Failed;
                attempt.error = Some(&message);
                store::insert(&self.db, &attempt).await?;
                Ok(report(Some(id), Outcome::Failed))
            }
        }
    }

    /// With `AI_DAILY_BUDGET_USD` set: has the UTC day's cost (summaries and notes) reached it?
    async fn budget_spent(&self) -> Result<bool, sqlx::Error> {
        let Some(budget) = self.settings.daily_budget_usd else {
            return Ok(false);
        };
        Ok(spend::spent_today(&self.db).await?.cost_usd >= budget)
    }
}
