//! One message, from receipt to a disposition: what happened and what the queue should do.

use std::time::Duration;

use aws_lambda_events::event::sqs::SqsMessage;
use sqlx::PgPool;
use tracing::Instrument;

use super::breaker::{CircuitBreaker, Permit};
use super::provider::{ProviderClient, ProviderError};
use super::settings::SummarySettings;
use super::store::{self, SummaryStatus};
use super::{facts, prompt, retry, rules, spend};
use crate::orders::queue::OrderMessage;

/// The outcome of one message. Those with a [`Disposition::visibility`] are reported as batch
/// item failures and come back (or move on to the dead-letter queue); the rest are done and the
/// message is deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// The body is not an order message: retrying cannot fix it, so it is passed on to the
    /// dead-letter queue for an operator to read, and counted (see [`UNPROCESSABLE_METRIC`]).
    Unreadable,
    /// The order does not exist (its transaction never committed, or it was removed): counted
    /// and passed on to the dead-letter queue like an unreadable message.
    UnknownOrder,
    /// A summary was stored or settled by an earlier delivery.
    AlreadySettled,
    Stored,
    /// Another delivery of the same order stored its summary first.
    LostRace,
    /// No provider is configured.
    Disabled,
    /// Not sent to the provider: the order was cancelled first, or the day's budget is spent.
    Skipped,
    /// The provider refused the request (a 4xx other than 408/429): sending it again would get
    /// the same answer, so the summary is `failed` at once and the message is passed on to the
    /// dead-letter queue without further calls — after the key, model or credits are fixed, an
    /// operator's redrive brings it back.
    Rejected,
    /// The order's summary already failed on an earlier receive of this message: no call, the
    /// message only finishes its way to the dead-letter queue.
    PassedOn,
    /// Try again after `delay` (the message's new visibility timeout).
    RetryLater {
        delay: Duration,
    },
    /// The last allowed receive failed: the summary is `failed` and the message goes on to the
    /// dead-letter queue, from which an operator can redrive it.
    GaveUp,
}

impl Disposition {
    pub fn is_failure(&self) -> bool {
        self.visibility().is_some()
    }

    /// The visibility timeout to give a failed message: its back-off, or none at all for one
    /// that is done trying, so the queue moves it on at its next receives.
    pub fn visibility(&self) -> Option<Duration> {
        match self {
            Self::RetryLater { delay } => Some(*delay),
            Self::GaveUp
            | Self::Rejected
            | Self::PassedOn
            | Self::Unreadable
            | Self::UnknownOrder => Some(Duration::ZERO),
            _ => None,
        }
    }
}

/// The `metric` field of the log line written for each receive of an unreadable or unknown-order
/// message; the template's metric filter counts these lines and alarms on them.
pub const UNPROCESSABLE_METRIC: &str = "unprocessable_order_messages";

/// The `metric` field of the log line written for each summary skipped for the budget.
pub const BUDGET_SKIP_METRIC: &str = "summaries_skipped_for_budget";

#[derive(Debug, thiserror::Error)]
enum AttemptError {
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error("the provider circuit breaker is open")]
    BreakerOpen { remaining: Duration },
    #[error("database: {0:#}")]
    Database(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AttemptError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error.into())
    }
}

pub struct SummaryConsumer {
    db: PgPool,
    provider: Option<ProviderClient>,
    breaker: CircuitBreaker,
    settings: SummarySettings,
}

impl SummaryConsumer {
    pub fn new(db: PgPool, settings: SummarySettings) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            provider: ProviderClient::new(&settings.provider)?,
            breaker: CircuitBreaker::new(settings.breaker.clone()),
            settings,
        })
    }

    pub fn breaker(&self) -> &CircuitBreaker {
        &self.breaker
    }

    pub async fn process(&self, message: &SqsMessage) -> Disposition {
        let message_id = message.message_id.as_deref().unwrap_or("");
        let receive_count = receive_count(message);
        let parsed = message
            .body
            .as_deref()
            .ok_or_else(|| "no body".to_owned())
            .and_then(|body| serde_json::from_str::<OrderMessage>(body).map_err(|e| e.to_string()));
        let order = match parsed {
            Ok(order) => order,
            Err(error) => {
                tracing::error!(
                    metric = UNPROCESSABLE_METRIC,
                    reason = "unreadable",
                    message_id,
                    receive_count,
                    %error,
                    "not an order message; passed on to the dead-letter queue"
                );
                return Disposition::Unreadable;
            }
        };
        let span = tracing::info_span!(
            "summary",
            order_id = %order.order_id,
            correlation_id = %order.correlation_id,
            message_id,
            receive_count,
        );
        async move {
            let disposition = match self.attempt(&order, receive_count).await {
                Ok(disposition) => disposition,
                Err(error) => self.after_failure(&order, receive_count, error).await,
            };
            if disposition == Disposition::UnknownOrder {
                tracing::error!(
                    metric = UNPROCESSABLE_METRIC,
                    reason = "unknown_order",
                    "no such order; message passed on to the dead-letter queue"
                );
            }
            tracing::info!(?disposition, "message processed");
            disposition
        }
        .instrument(span)
        .await
    }

    async fn attempt(
        &self,
        order: &OrderMessage,
        receive_count: u32,
    ) -> Result<Disposition, AttemptError> {
        let Some(status) = store::status(&self.db, order.order_id).await? else {
            return Ok(Disposition::UnknownOrder);
        };
        // Only a refusal or the last receive marks `failed`, so a message seen again after that
        // is on its way to the dead-letter queue. A redriven message is a new message, received
        // for the first time: its order goes back to `pending` and gets a full set of retries.
        if status == SummaryStatus::Failed {
            if receive_count > 1 {
                return Ok(Disposition::PassedOn);
            }
            store::reopen_failed(&self.db, order.order_id).await?;
            tracing::info!("summarising an order that had failed before (redriven message)");
        }
        if !status.wants_summary() {
            tracing::info!(
                ?status,
                "summary already settled; duplicate delivery ignored"
            );
            return Ok(Disposition::AlreadySettled);
        }
        let Some(facts) = facts::load(&self.db, order.order_id).await? else {
            return Ok(Disposition::UnknownOrder);
        };
        let flags = rules::flags(&facts);
        if facts.status == "cancelled" {
            store::mark_skipped(&self.db, order.order_id, &flags).await?;
            tracing::info!(
                reason = "cancelled",
                "order cancelled before its summary was written; not sent to the provider"
            );
            return Ok(Disposition::Skipped);
        }
        let Some(provider) = &self.provider else {
            store::mark_disabled(&self.db, order.order_id).await?;
            return Ok(Disposition::Disabled);
        };
        if self.budget_spent().await? {
            store::mark_skipped(&self.db, order.order_id, &flags).await?;
            return Ok(Disposition::Skipped);
        }
        if let Permit::Refuse { remaining } = self.breaker.permit() {
            return Err(AttemptError::BreakerOpen { remaining });
        }
        let answer = match provider.summarise(&prompt::build(&facts, &flags)).await {
            Ok(answer) => {
                self.breaker.record_success();
                answer
            }
            Err(error) => {
                if error.is_transient() {
                    self.breaker.record_failure();
                } else {
                    // The provider answered; it is up, even if it refused this request.
                    self.breaker.record_success();
                }
                return Err(error.into());
            }
        };
        tracing::info!(
            model = answer.model.as_deref().unwrap_or(""),
            prompt_tokens = answer.usage.prompt_tokens,
            completion_tokens = answer.usage.completion_tokens,
            cost_usd = answer.usage.cost,
            structured = answer.risk.is_some(),
            "provider answered"
        );
        if store::store_ready(&self.db, order.order_id, &answer, &flags).await? {
            Ok(Disposition::Stored)
        } else {
            tracing::info!("another delivery stored this order's summary first");
            Ok(Disposition::LostRace)
        }
    }

    /// With `AI_DAILY_BUDGET_USD` set: has the UTC day's reported cost reached it? Checked
    /// before each call, so calls already under way when it is reached still finish.
    async fn budget_spent(&self) -> Result<bool, AttemptError> {
        let Some(budget) = self.settings.daily_budget_usd else {
            return Ok(false);
        };
        let spent = spend::spent_today(&self.db).await?;
        if spent.cost_usd < budget {
            return Ok(false);
        }
        // `metric` is what the template's metric filter counts.
        tracing::warn!(
            metric = BUDGET_SKIP_METRIC,
            budget_usd = budget,
            spent_usd = spent.cost_usd,
            "AI daily budget spent; summary skipped"
        );
        Ok(true)
    }

    async fn after_failure(
        &self,
        order: &OrderMessage,
        receive_count: u32,
        error: AttemptError,
    ) -> Disposition {
        if let AttemptError::Provider(error @ ProviderError::Rejected { .. }) = &error {
            tracing::error!(error = %error, "provider refused the request; summary failed without retry");
            return match store::mark_failed(&self.db, order.order_id).await {
                Ok(_) => Disposition::Rejected,
                // Not recorded: let the queue bring it back rather than lose the verdict.
                Err(db_error) => {
                    tracing::error!(error = %db_error, "could not mark the summary failed");
                    self.retry_later(receive_count, None)
                }
            };
        }
        if retry::is_last_receive(&self.settings.retry, receive_count) {
            tracing::error!(error = %error, "last receive failed; summary failed, message goes to the dead-letter queue");
            if let Err(db_error) = store::mark_failed(&self.db, order.order_id).await {
                tracing::error!(error = %db_error, "could not mark the summary failed");
            }
            return Disposition::GaveUp;
        }
        let asked = match &error {
            AttemptError::Provider(error) => error.retry_after(),
            AttemptError::BreakerOpen { remaining } => Some(*remaining),
            AttemptError::Database(_) => None,
        };
        let disposition = self.retry_later(receive_count, asked);
        tracing::warn!(error = %error, ?disposition, "summary attempt failed; retrying through the queue");
        disposition
    }

    fn retry_later(&self, receive_count: u32, asked: Option<Duration>) -> Disposition {
        Disposition::RetryLater {
            delay: retry::delay(&self.settings.retry, receive_count, asked),
        }
    }
}

/// `ApproximateReceiveCount`, 1 when absent (a hand-made event).
pub fn receive_count(message: &SqsMessage) -> u32 {
    message
        .attributes
        .get("ApproximateReceiveCount")
        .and_then(|count| count.parse().ok())
        .unwrap_or(1)
}
