//! One attempt at one delivery: take the delivery's lease, check the receiver's address again,
//! make one signed POST to the address that was checked, and record what happened.
//!
//! The lease (`leased_until`) is taken by a conditional update, so of two receipts of the same
//! message (SQS delivers at least once) only one POSTs; the other sees the lease or the settled
//! row and stops. A function killed mid-POST leaves a lease that simply runs out.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use super::attempts::{Answer, record};
use super::schedule::DeliverySettings;
use super::target;
use super::{WebhookParts, secrets, signature};

pub use super::attempts::Outcome;

/// What is kept of a receiver's answer.
pub const MAX_RESPONSE_BYTES: usize = 1024;

#[derive(sqlx::FromRow)]
pub(super) struct Leased {
    endpoint_id: Uuid,
    event_id: Uuid,
    pub(super) round_attempts: i32,
    pub(super) attempts: i32,
}

#[derive(sqlx::FromRow)]
struct Target {
    url: String,
    secret_sealed: Vec<u8>,
    event_type: String,
    data: Value,
    event_created_at: DateTime<Utc>,
}

pub async fn attempt(
    db: &PgPool,
    parts: &WebhookParts,
    settings: &DeliverySettings,
    delivery_id: Uuid,
) -> anyhow::Result<Outcome> {
    let leased: Option<Leased> = sqlx::query_as(
        "UPDATE webhooks.deliveries SET leased_until = clock_timestamp() + make_interval(secs => $2)
         WHERE id = $1 AND status = 'pending' AND next_attempt_at <= clock_timestamp()
           AND (leased_until IS NULL OR leased_until < clock_timestamp())
         RETURNING endpoint_id, event_id, round_attempts, attempts",
    )
    .bind(delivery_id)
    .bind(settings.lease.as_secs_f64())
    .fetch_optional(db)
    .await
    .context("leasing a delivery")?;
    let Some(leased) = leased else {
        return why_not(db, delivery_id).await;
    };
    let target: Option<Target> = sqlx::query_as(
        "SELECT e.url, e.secret_sealed, ev.type AS event_type, ev.data,
                ev.created_at AS event_created_at
         FROM webhooks.endpoints e, webhooks.events ev
         WHERE e.id = $1 AND ev.id = $2",
    )
    .bind(leased.endpoint_id)
    .bind(leased.event_id)
    .fetch_optional(db)
    .await
    .context("loading a delivery's endpoint and event")?;
    let Some(target) = target else {
        return Ok(Outcome::Settled);
    };

    let started_at = Utc::now();
    let clock = Instant::now();
    let answer = post(
        parts,
        settings,
        delivery_id,
        leased.event_id,
        &leased,
        &target,
    )
    .await;
    let duration = clock.elapsed();
    record(
        db,
        settings,
        delivery_id,
        &leased,
        &answer,
        started_at,
        duration,
    )
    .await
}

/// Why a delivery could not be leased.
async fn why_not(db: &PgPool, delivery_id: Uuid) -> anyhow::Result<Outcome> {
    let row: Option<(String, f64, bool)> = sqlx::query_as(
        "SELECT status,
                GREATEST(extract(epoch FROM next_attempt_at - clock_timestamp()), 0)::float8,
                leased_until IS NOT NULL AND leased_until >= clock_timestamp()
         FROM webhooks.deliveries WHERE id = $1",
    )
    .bind(delivery_id)
    .fetch_optional(db)
    .await
    .context("reading a delivery")?;
    Ok(match row {
        Some((status, wait, _)) if status == "pending" && wait > 0.0 => {
            Outcome::NotDue(Duration::from_secs_f64(wait).max(Duration::from_secs(1)))
        }
        Some((status, _, true)) if status == "pending" => Outcome::Busy,
        _ => Outcome::Settled,
    })
}

async fn post(
    parts: &WebhookParts,
    settings: &DeliverySettings,
    delivery_id: Uuid,
    event_id: Uuid,
    leased: &Leased,
    target: &Target,
) -> Answer {
    let url = match target::parse_url(&target.url, parts.policy) {
        Ok(url) => url,
        Err(error) => return Answer::refused(format!("refused: the url {error}")),
    };
    // Checked again now: what a name resolves to can change after the endpoint was made.
    let addresses = match target::resolve(&url, parts.policy).await {
        Ok(addresses) => addresses,
        Err(error) => return Answer::refused(format!("refused: {error}")),
    };
    let body = json!({
        "id": event_id,
        "type": target.event_type,
        "created_at": target.event_created_at,
        "data": target.data,
    })
    .to_string();
    let secret = match parts.key.open(leased.endpoint_id, &target.secret_sealed) {
        Ok(secret) => secret,
        Err(error) => {
            tracing::error!(%delivery_id, error = %format!("{error:#}"), "a webhook secret does not open");
            return Answer::refused("the endpoint's secret could not be read".to_owned());
        }
    };
    let webhook_id = delivery_id.to_string();
    let timestamp = Utc::now().timestamp();
    let signed = secrets::signing_key(&secret)
        .and_then(|key| signature::sign(&key, &webhook_id, timestamp, body.as_bytes()));
    let signature = match signed {
        Ok(signature) => signature,
        Err(error) => return Answer::refused(format!("could not sign: {error:#}")),
    };
    let client = match client_for(&url, &addresses, settings.timeout) {
        Ok(client) => client,
        Err(error) => return Answer::refused(format!("{error:#}")),
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "shop-webhooks/1")
        .header("webhook-id", &webhook_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = read_head(response).await;
            let error = (!(200..300).contains(&status)).then(|| describe_status(status));
            Answer {
                status: Some(status),
                error,
                body,
            }
        }
        Err(error) => Answer::refused(describe_error(&error, settings.timeout)),
    }
}

/// A client that connects only to `addresses` (those just checked) for the URL's host, follows
/// no redirect (a 3xx is an answer, and not a 2xx) and gives up after `timeout`.
fn client_for(
    url: &Url,
    addresses: &[SocketAddr],
    timeout: Duration,
) -> anyhow::Result<reqwest::Client> {
    let mut builder = crate::http_client::builder()
        .redirect(Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .no_proxy();
    if let Some(host) = url.domain() {
        builder = builder.resolve_to_addrs(host, addresses);
    }
    builder.build().context("building the webhook client")
}

/// The first KB of the answer, as text.
async fn read_head(mut response: reqwest::Response) -> Option<String> {
    let mut head: Vec<u8> = Vec::new();
    while head.len() < MAX_RESPONSE_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => head.extend_from_slice(&chunk),
            _ => break,
        }
    }
    if head.is_empty() {
        return None;
    }
    head.truncate(MAX_RESPONSE_BYTES);
    Some(String::from_utf8_lossy(&head).into_owned())
}

fn describe_status(status: u16) -> String {
    if (300..400).contains(&status) {
        format!("the receiver answered {status} (redirects are not followed)")
    } else {
        format!("the receiver answered {status}")
    }
}

fn describe_error(error: &reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        format!("timed out after {} s", timeout.as_secs())
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        format!("the request failed: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_2xx_is_delivered() {
        let answer = |status| Answer {
            status: Some(status),
            error: None,
            body: None,
        };
        assert!(answer(200).delivered());
        assert!(answer(204).delivered());
        assert!(!answer(301).delivered());
        assert!(!answer(500).delivered());
        assert!(!Answer::refused("timed out".into()).delivered());
        assert!(describe_status(302).contains("redirects"));
    }
}
