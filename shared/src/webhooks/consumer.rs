//! `webhook-deliver`: the consumer of the deliveries queue. Each message is one attempt at one
//! delivery (see [`super::deliver`]); a message whose delivery must wait (a failed attempt's
//! back-off, or one received early) is reported failed with its visibility set to the wait, so
//! SQS brings it back when the delivery is due (`ReportBatchItemFailures`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use sqlx::PgPool;
use tokio::task::JoinSet;
use tracing::Instrument;

use super::WebhookParts;
use super::deliver::{self, Outcome};
use super::queue::{DeliveryMessage, DeliveryQueue};
use super::schedule::DeliverySettings;
use crate::db;
use crate::db_role::DbRole;
use crate::secrets::SecretStore;

#[derive(Clone)]
pub struct DeliverFunction {
    inner: Arc<Inner>,
}

struct Inner {
    db: PgPool,
    parts: WebhookParts,
    settings: DeliverySettings,
    queue: DeliveryQueue,
}

/// What the queue should do with one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Done,
    /// Report it failed; with `Some(wait)` it comes back after that wait.
    Again(Option<Duration>),
}

impl DeliverFunction {
    pub fn new(
        db: PgPool,
        parts: WebhookParts,
        settings: DeliverySettings,
        queue: DeliveryQueue,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                parts,
                settings,
                queue,
            }),
        }
    }

    /// Start-up: the pool (as `shop_webhooks`), the secrets key (from the secret named by
    /// `WEBHOOK_SECRETS_KEY_SECRET_ARN`), the schedule and the queue.
    pub async fn from_env() -> anyhow::Result<Self> {
        let secrets = SecretStore::from_env();
        let db = db::role_pool(DbRole::Webhooks, &secrets)
            .await
            .context("building the database pool")?;
        Ok(Self::new(
            db,
            WebhookParts::from_secrets(&secrets).await?,
            DeliverySettings::from_env()?,
            DeliveryQueue::from_env().await?,
        ))
    }

    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        let mut tasks = JoinSet::new();
        let mut ids = HashMap::new();
        for message in event.records {
            let Some(message_id) = message.message_id.clone() else {
                tracing::error!("dropping a message without a messageId");
                continue;
            };
            let this = self.clone();
            let id = message_id.clone();
            let handle = tasks.spawn(
                async move {
                    let disposition = this.process(&message).await;
                    if let (Disposition::Again(Some(wait)), Some(receipt)) =
                        (disposition, &message.receipt_handle)
                        && let Err(error) = this.inner.queue.delay(receipt, wait).await
                    {
                        tracing::warn!(error = %format!("{error:#}"), "the queue's visibility timeout applies instead");
                    }
                    (id, disposition != Disposition::Done)
                }
                .in_current_span(),
            );
            ids.insert(handle.id(), message_id);
        }
        let mut response = SqsBatchResponse::default();
        while let Some(joined) = tasks.join_next_with_id().await {
            match joined {
                Ok((_, (id, true))) => response.add_failure(id),
                Ok((_, (_, false))) => {}
                Err(error) => {
                    tracing::error!(%error, "a delivery's task failed");
                    if let Some(id) = ids.get(&error.id()) {
                        response.add_failure(id.clone());
                    }
                }
            }
        }
        response
    }

    pub async fn process(&self, message: &SqsMessage) -> Disposition {
        let parsed = message
            .body
            .as_deref()
            .and_then(|body| serde_json::from_str::<DeliveryMessage>(body).ok());
        let Some(DeliveryMessage { delivery_id }) = parsed else {
            // Retrying cannot fix it: it goes on to the dead-letter queue for a look.
            tracing::error!(body = ?message.body, "unreadable webhook delivery message");
            return Disposition::Again(Some(Duration::ZERO));
        };
        let inner = &self.inner;
        let span = tracing::info_span!("delivery", %delivery_id);
        match deliver::attempt(&inner.db, &inner.parts, &inner.settings, delivery_id)
            .instrument(span)
            .await
        {
            Ok(Outcome::RetryIn(wait) | Outcome::NotDue(wait)) => Disposition::Again(Some(wait)),
            Ok(Outcome::Delivered | Outcome::Failed | Outcome::Busy | Outcome::Settled) => {
                Disposition::Done
            }
            Err(error) => {
                // The database is likely down: the queue's visibility timeout brings it back.
                tracing::error!(%delivery_id, error = %format!("{error:#}"), "webhook attempt could not run");
                Disposition::Again(None)
            }
        }
    }
}
