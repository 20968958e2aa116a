//! A whole SQS batch: its messages processed concurrently, each failure reported on its own
//! (`ReportBatchItemFailures`) so only that message comes back, after its back-off.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use tokio::task::JoinSet;
use tracing::Instrument;

use super::consumer::SummaryConsumer;
use super::settings::SummarySettings;
use crate::db;
use crate::db_role::DbRole;
use crate::orders::queue::OrderQueue;
use crate::secrets::SecretStore;

#[derive(Clone)]
pub struct SummaryFunction {
    consumer: Arc<SummaryConsumer>,
    queue: OrderQueue,
}

impl SummaryFunction {
    pub fn new(consumer: SummaryConsumer, queue: OrderQueue) -> Self {
        Self {
            consumer: Arc::new(consumer),
            queue,
        }
    }

    /// Start-up: settings from the environment, the provider key from the secret named by
    /// `OPENROUTER_API_KEY_SECRET_ARN` (this function alone reads it), the instance's pool and
    /// the queue client.
    pub async fn from_env() -> anyhow::Result<Self> {
        let secrets = SecretStore::from_env();
        let mut settings = SummarySettings::from_env()?;
        settings.provider = settings.provider.with_key_from(&secrets).await?;
        if settings.provider.api_key.is_none() {
            tracing::warn!(
                "OPENROUTER_API_KEY_SECRET_ARN is not set: order summaries will be disabled"
            );
        }
        let db = db::role_pool(DbRole::Summary, &secrets)
            .await
            .context("building the database pool")?;
        let queue = OrderQueue::from_env().await?;
        Ok(Self::new(SummaryConsumer::new(db, settings)?, queue))
    }

    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        let mut tasks = JoinSet::new();
        let mut ids_by_task = HashMap::new();
        for message in event.records {
            let Some(message_id) = message.message_id.clone() else {
                // Without an id it cannot be reported; the queue deletes it with the batch.
                tracing::error!("dropping a message without a messageId");
                continue;
            };
            let this = self.clone();
            let task_message_id = message_id.clone();
            // The per-message span is a child of the invocation's, so every line keeps the
            // request id as well as the order and correlation ids.
            let handle = tasks.spawn(
                async move {
                    let disposition = this.consumer.process(&message).await;
                    if let (Some(delay), Some(receipt)) =
                        (disposition.visibility(), &message.receipt_handle)
                    {
                        this.delay_redelivery(receipt, delay, &task_message_id)
                            .await;
                    }
                    (task_message_id, disposition.is_failure())
                }
                .in_current_span(),
            );
            ids_by_task.insert(handle.id(), message_id);
        }

        let mut response = SqsBatchResponse::default();
        while let Some(joined) = tasks.join_next_with_id().await {
            match joined {
                Ok((_, (message_id, true))) => response.add_failure(message_id),
                Ok((_, (_, false))) => {}
                Err(error) => {
                    // A panic in one message must not lose it: report it so it comes back.
                    tracing::error!(%error, "a message's task failed");
                    if let Some(message_id) = ids_by_task.get(&error.id()) {
                        response.add_failure(message_id.clone());
                    }
                }
            }
        }
        response
    }

    /// Sets the failed message's visibility timeout: its back-off before the next receive.
    /// If this fails the queue's own visibility timeout applies, which is only a coarser back-off.
    async fn delay_redelivery(&self, receipt_handle: &str, delay: Duration, message_id: &str) {
        let seconds = i32::try_from(delay.as_secs()).unwrap_or(i32::MAX);
        let result = self
            .queue
            .client()
            .change_message_visibility()
            .queue_url(self.queue.url())
            .receipt_handle(receipt_handle)
            .visibility_timeout(seconds)
            .send()
            .await;
        if let Err(error) = result {
            tracing::warn!(
                message_id,
                error = %aws_sdk_sqs::error::DisplayErrorContext(error),
                "could not set the message's back-off; the queue's visibility timeout applies"
            );
        }
    }
}
