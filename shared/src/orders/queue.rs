//! The orders queue: where committed orders are announced to the summary function.

use std::time::Duration;

use anyhow::Context;
use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{self, ConfigError};

/// The message body on the orders queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderMessage {
    pub order_id: Uuid,
    /// Ties the log lines of the request that created the order to those of its summary.
    pub correlation_id: Uuid,
}

/// A send must not hold an order's answer for long: when SQS is slow the outbox keeps the
/// message and the relay sends it later.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(2);
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

#[derive(Clone, Debug)]
pub struct OrderQueue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl OrderQueue {
    pub fn new(client: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    /// `ORDERS_QUEUE_URL`, with a function's AWS settings (`aws_env`; `AWS_ENDPOINT_URL_SQS` for
    /// a local SQS API).
    pub async fn from_env() -> Result<Self, ConfigError> {
        let url = config::required("ORDERS_QUEUE_URL")?;
        let settings = crate::aws_env::sdk_config(Self::timeouts())?;
        Ok(Self::connect(&settings, url))
    }

    /// `ORDERS_QUEUE_URL` with the given AWS settings (an operator tool's own credential chain).
    pub fn with_settings(settings: &SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self::connect(
            settings,
            config::required("ORDERS_QUEUE_URL")?,
        ))
    }

    fn connect(settings: &SdkConfig, url: String) -> Self {
        Self::new(crate::aws_env::sqs_client(settings), url)
    }

    /// A send gives up quickly (see [`SEND_TIMEOUT`]).
    pub fn timeouts() -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .operation_timeout(SEND_TIMEOUT)
            .build()
    }

    pub fn client(&self) -> &aws_sdk_sqs::Client {
        &self.client
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn send(&self, message: &OrderMessage) -> anyhow::Result<()> {
        let body = serde_json::to_string(message).context("encoding an order message")?;
        tokio::time::timeout(
            SEND_TIMEOUT,
            self.client
                .send_message()
                .queue_url(&self.url)
                .message_body(body)
                .send(),
        )
        .await
        .context("sending to the orders queue timed out")?
        .map_err(|error| anyhow::anyhow!(aws_sdk_sqs::error::DisplayErrorContext(error)))
        .context("sending to the orders queue failed")?;
        Ok(())
    }
}
