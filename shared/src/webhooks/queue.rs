//! The deliveries queue: each message names one delivery (`{"delivery_id"}`); `webhook-deliver`
//! consumes it. Messages carry no payload or secret: the database is the record, so a message
//! received twice, late or after a staff retry does only what the delivery's row still asks.

use std::time::Duration;

use anyhow::Context;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{self, ConfigError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryMessage {
    pub delivery_id: Uuid,
}

/// SQS delays a message at most this long; later attempts wait out the rest in the consumer.
pub const MAX_SEND_DELAY: Duration = Duration::from_secs(900);
/// SQS refuses visibility timeouts above 12 hours.
pub const MAX_VISIBILITY: Duration = Duration::from_secs(12 * 3600);

#[derive(Clone, Debug)]
pub struct DeliveryQueue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl DeliveryQueue {
    pub fn new(client: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    /// `WEBHOOK_DELIVERIES_QUEUE_URL`, with a function's AWS settings (`aws_env`;
    /// `AWS_ENDPOINT_URL_SQS` for a local SQS API).
    pub async fn from_env() -> Result<Self, ConfigError> {
        let url = config::required("WEBHOOK_DELIVERIES_QUEUE_URL")?;
        let shared = crate::aws_env::sdk_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(500))
                .operation_timeout(Duration::from_secs(5))
                .build(),
        )?;
        Ok(Self::new(crate::aws_env::sqs_client(&shared), url))
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn client(&self) -> &aws_sdk_sqs::Client {
        &self.client
    }

    /// Sends up to 10 deliveries in one call, each delayed until it is due (at most 15 min);
    /// returns the ids SQS did not take.
    pub async fn send(&self, due: &[(Uuid, Duration)]) -> anyhow::Result<Vec<Uuid>> {
        let mut entries = Vec::with_capacity(due.len());
        for (index, (delivery_id, delay)) in due.iter().enumerate() {
            let body = serde_json::to_string(&DeliveryMessage {
                delivery_id: *delivery_id,
            })
            .context("encoding a delivery message")?;
            let seconds = delay.min(&MAX_SEND_DELAY).as_secs() as i32;
            entries.push(
                SendMessageBatchRequestEntry::builder()
                    .id(index.to_string())
                    .message_body(body)
                    .delay_seconds(seconds)
                    .build()
                    .context("a delivery message")?,
            );
        }
        let answer = self
            .client
            .send_message_batch()
            .queue_url(&self.url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|error| anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(error)))
            .context("sending to the webhook deliveries queue failed")?;
        Ok(answer
            .failed
            .iter()
            .filter_map(|failure| failure.id.parse::<usize>().ok())
            .filter_map(|index| due.get(index).map(|(id, _)| *id))
            .collect())
    }

    /// The message comes back after `delay`: its back-off until the delivery is next due.
    pub async fn delay(&self, receipt_handle: &str, delay: Duration) -> anyhow::Result<()> {
        let seconds = delay.min(MAX_VISIBILITY).as_secs() as i32;
        self.client
            .change_message_visibility()
            .queue_url(&self.url)
            .receipt_handle(receipt_handle)
            .visibility_timeout(seconds)
            .send()
            .await
            .map_err(|error| anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(error)))
            .context("changing a delivery message's visibility")?;
        Ok(())
    }
}
