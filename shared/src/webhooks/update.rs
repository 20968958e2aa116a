//! `PATCH /webhooks/{id}` (admin): change what an endpoint hears, or pause it. A paused
//! endpoint gets no deliveries for events recorded meanwhile; pending ones still go out.

use axum::extract::State;
use axum::routing::patch;
use axum::{Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::{ENDPOINT_COLUMNS, Endpoint, parse_events};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::query::ApiPath;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointPatch {
    #[schema(example = json!(["order.created", "order.cancelled"]))]
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/webhooks/{id}", patch(update_endpoint))
}

#[utoipa::path(
    patch, path = "/webhooks/{id}", tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    request_body = EndpointPatch,
    responses(
        (status = 200, description = "The endpoint after the change", body = Endpoint),
        (status = 400, description = "Malformed JSON or not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown field or event", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_endpoint(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(patch): ApiJson<EndpointPatch>,
) -> ApiResult<Json<Endpoint>> {
    let mut errors = FieldErrors::new();
    let events = patch
        .events
        .as_deref()
        .map(|raw| parse_events(raw, "events", &mut errors));
    errors.into_result()?;
    let endpoint: Option<Endpoint> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE webhooks.endpoints
         SET events = COALESCE($2, events), active = COALESCE($3, active),
             updated_at = clock_timestamp()
         WHERE id = $1 RETURNING {ENDPOINT_COLUMNS}"
    )))
    .bind(id)
    .bind(events)
    .bind(patch.active)
    .fetch_optional(&state.db)
    .await?;
    endpoint.map(Json).ok_or(ApiError::NotFound)
}
