//! Webhooks: staff subscribe endpoints to the shop's events; each event reaches each subscribed
//! endpoint as a signed POST, retried with back-off until a `2xx` or the schedule is spent.
//!
//! The routes (`/webhooks...`, admin) are one function each; [`events::record`] is how the
//! other domains announce a change inside its transaction; [`fanout`] (the scheduled
//! `webhook-relay`) turns events into deliveries and queues them; [`deliver`] (the SQS consumer
//! `webhook-deliver`) makes the POSTs.

mod attempts;
pub mod consumer;
pub mod create;
pub mod delete;
pub mod deliver;
pub mod deliveries;
pub mod events;
pub mod fanout;
pub mod list;
pub mod queue;
pub mod retry;
pub mod schedule;
pub mod secrets;
pub mod signature;
pub mod target;
pub mod update;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::config::ConfigError;
use crate::error::{ApiError, FieldErrors};
use crate::secrets::{Secret, SecretStore};
use secrets::SecretsKey;
use target::TargetPolicy;

/// What the functions that handle secrets and receivers' addresses start with.
#[derive(Clone, Debug)]
pub struct WebhookParts {
    pub key: Arc<SecretsKey>,
    pub policy: TargetPolicy,
}

impl WebhookParts {
    /// The key from the secret named by `WEBHOOK_SECRETS_KEY_SECRET_ARN`, and
    /// `WEBHOOKS_ALLOW_LOOPBACK` from the environment.
    pub async fn from_secrets(secrets: &SecretStore) -> Result<Self, ConfigError> {
        let key = SecretsKey::from_secret_text(&secrets.read(Secret::WebhookSecretsKey).await?)?;
        Ok(Self {
            key: Arc::new(key),
            policy: TargetPolicy::from_env()?,
        })
    }
}

/// The parts of a function that must hold them: a function started without them cannot
/// create endpoints, by construction of [`crate::state::Needs`].
pub fn parts_of(state: &crate::state::AppState) -> Result<&WebhookParts, ApiError> {
    state.webhooks.as_ref().ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "this function was started without the webhook secrets key"
        ))
    })
}

/// The events an endpoint can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum EventType {
    #[serde(rename = "order.created")]
    OrderCreated,
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    #[serde(rename = "order.fulfilled")]
    OrderFulfilled,
    /// A stock change brought a product's stock to or below its threshold.
    #[serde(rename = "product.low_stock")]
    ProductLowStock,
    /// Goods arrived on a purchase order (each receipt).
    #[serde(rename = "purchase_order.received")]
    PurchaseOrderReceived,
}

impl EventType {
    pub const ALL: [EventType; 5] = [
        EventType::OrderCreated,
        EventType::OrderCancelled,
        EventType::OrderFulfilled,
        EventType::ProductLowStock,
        EventType::PurchaseOrderReceived,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OrderCreated => "order.created",
            Self::OrderCancelled => "order.cancelled",
            Self::OrderFulfilled => "order.fulfilled",
            Self::ProductLowStock => "product.low_stock",
            Self::PurchaseOrderReceived => "purchase_order.received",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Checks a subscription list: 1 or more known event types, each once (repeats are dropped).
/// Invalid entries are added to `errors` under `field[index]`.
pub fn parse_events(raw: &[String], field: &str, errors: &mut FieldErrors) -> Vec<String> {
    if raw.is_empty() {
        errors.add(field, "must name at least one event");
    }
    let mut events: Vec<String> = Vec::new();
    for (index, name) in raw.iter().enumerate() {
        match EventType::parse(name.trim()) {
            Some(kind) => {
                if !events.iter().any(|known| known == kind.as_str()) {
                    events.push(kind.as_str().to_owned());
                }
            }
            None => errors.add(
                format!("{field}[{index}]"),
                format!(
                    "must be one of {}",
                    EventType::ALL.map(EventType::as_str).join(", ")
                ),
            ),
        }
    }
    events
}

/// An endpoint as staff see it: never its secret (shown once, by `POST /webhooks`).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Endpoint {
    pub id: Uuid,
    #[schema(example = "https://hooks.example.com/shop")]
    pub url: String,
    #[schema(example = json!(["order.created", "product.low_stock"]))]
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

pub const ENDPOINT_COLUMNS: &str = "id, url, events, active, created_at";

pub async fn find_endpoint(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<Endpoint>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhooks.endpoints WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_checked_one_by_one_and_repeats_dropped() {
        let mut errors = FieldErrors::new();
        let raw = ["order.created", "order.shipped", "order.created"].map(str::to_owned);
        let events = parse_events(&raw, "events", &mut errors);
        assert_eq!(events, vec!["order.created".to_owned()]);
        assert_eq!(errors.as_slice().len(), 1);
        assert_eq!(errors.as_slice()[0].field, "events[1]");

        let mut errors = FieldErrors::new();
        assert!(parse_events(&[], "events", &mut errors).is_empty());
        assert_eq!(errors.as_slice()[0].field, "events");
    }

    #[test]
    fn every_type_round_trips() {
        for kind in EventType::ALL {
            assert_eq!(EventType::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).expect("serialises"),
                kind.as_str()
            );
        }
    }
}
