//! `POST /webhooks/{id}/deliveries/{delivery_id}/retry` (admin): a `failed` delivery goes back
//! to `pending` with a fresh retry schedule. The relay queues it on its next run, so this
//! function needs no queue of its own.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use uuid::Uuid;

use super::deliveries::{DELIVERY_COLUMNS, Delivery};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/webhooks/{id}/deliveries/{delivery_id}/retry",
        post(retry_delivery),
    )
}

#[utoipa::path(
    post, path = "/webhooks/{id}/deliveries/{delivery_id}/retry", tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Endpoint id"),
        ("delivery_id" = uuid::Uuid, Path, description = "Delivery id"),
    ),
    responses(
        (status = 202, description = "The delivery, pending again; it is tried within the relay's next run", body = Delivery),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint or delivery", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Only a failed delivery can be retried", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn retry_delivery(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath((endpoint, delivery)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<(StatusCode, Json<Delivery>)> {
    let mut tx = state.db.begin().await?;
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM webhooks.deliveries WHERE id = $1 AND endpoint_id = $2 FOR UPDATE",
    )
    .bind(delivery)
    .bind(endpoint)
    .fetch_optional(&mut *tx)
    .await?;
    match status.as_deref() {
        None => return Err(ApiError::NotFound),
        Some("failed") => {}
        Some(other) => {
            return Err(ApiError::conflict(
                "delivery-not-failed",
                format!("The delivery is {other}; only a failed delivery can be retried."),
            ));
        }
    }
    sqlx::query(
        "UPDATE webhooks.deliveries
         SET status = 'pending', round_attempts = 0, next_attempt_at = clock_timestamp(),
             queued_at = NULL, leased_until = NULL, updated_at = clock_timestamp()
         WHERE id = $1",
    )
    .bind(delivery)
    .execute(&mut *tx)
    .await?;
    let row: Delivery = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS}
         FROM webhooks.deliveries d JOIN webhooks.events e ON e.id = d.event_id
         WHERE d.id = $1"
    )))
    .bind(delivery)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(delivery_id = %delivery, "webhook delivery retried by staff");
    Ok((StatusCode::ACCEPTED, Json(row)))
}
