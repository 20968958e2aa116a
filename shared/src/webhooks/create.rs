//! `POST /webhooks` (admin): subscribe an endpoint to events. The answer carries the signing
//! secret, the only time it is shown; the row keeps it sealed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::target::{self, TargetError, TargetPolicy};
use super::{ENDPOINT_COLUMNS, Endpoint, parse_events, parts_of, secrets};
use crate::auth::AdminUser;
use crate::error::{ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    /// `https://` (the local stack also allows `http://127.0.0.1` and `http://localhost`).
    #[schema(example = "https://hooks.example.com/shop", max_length = 2048)]
    pub url: String,
    /// One or more of `order.created`, `order.cancelled`, `order.fulfilled`,
    /// `product.low_stock`, `purchase_order.received`.
    #[schema(example = json!(["order.created"]))]
    pub events: Vec<String>,
}

/// The endpoint with its secret: `whsec_` + base64, for verifying signatures.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedEndpoint {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwC2o9gG6vBzE=")]
    pub secret: String,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/webhooks", post(create_endpoint))
}

#[utoipa::path(
    post, path = "/webhooks", tag = "webhooks",
    security(("bearer" = [])),
    request_body = NewEndpoint,
    responses(
        (status = 201, description = "The endpoint and its signing secret, shown only here", body = CreatedEndpoint),
        (status = 400, description = "Malformed JSON or not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not https, an address in a private, loopback, link-local or metadata range, or unknown events", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_endpoint(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(body): ApiJson<NewEndpoint>,
) -> ApiResult<(StatusCode, Json<CreatedEndpoint>)> {
    let parts = parts_of(&state)?;
    let mut errors = FieldErrors::new();
    let events = parse_events(&body.events, "events", &mut errors);
    let url = checked_url(&body.url, parts.policy).await;
    if let Err(error) = &url {
        errors.add("url", error.to_string());
    }
    errors.into_result()?;
    let url = url.map_err(|error| FieldErrors::single("url", error.to_string()))?;

    let id = Uuid::now_v7();
    let secret = secrets::generate()?;
    let sealed = parts.key.seal(id, &secret)?;
    let endpoint: Endpoint = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO webhooks.endpoints (id, url, events, secret_sealed, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING {ENDPOINT_COLUMNS}"
    )))
    .bind(id)
    .bind(url.as_str())
    .bind(&events)
    .bind(&sealed)
    .bind(admin.id)
    .fetch_one(&state.db)
    .await?;
    tracing::info!(endpoint_id = %id, events = ?events, "webhook endpoint created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedEndpoint { endpoint, secret }),
    ))
}

/// The URL's syntax, then every address its host resolves to.
async fn checked_url(raw: &str, policy: TargetPolicy) -> Result<reqwest::Url, TargetError> {
    let url = target::parse_url(raw, policy)?;
    target::resolve(&url, policy).await?;
    Ok(url)
}
