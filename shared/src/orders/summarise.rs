//! `POST /orders/{id}/summary` (admin): write the order's AI summary again, e.g. after it
//! `failed` or once the budget allows it. The order goes back to `pending` and a new outbox row
//! is written in the same transaction; the relay hands it to the summary queue, as it does for
//! any unsent row, so this function needs no queue of its own.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use uuid::Uuid;

use super::queue::OrderMessage;
use super::{Order, load_in, outbox};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders/{id}/summary", post(summarise_order))
}

#[utoipa::path(
    post, path = "/orders/{id}/summary", tag = "orders",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses(
        (status = 202, description = "The summary is pending and will be written again", body = Order),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown order", body = crate::error::Problem),
        (status = 409, description = "The summary is already pending", body = crate::error::Problem),
    )
)]
pub async fn summarise_order(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let mut tx = state.db.begin().await?;
    let current: Option<String> =
        sqlx::query_scalar("SELECT summary_status FROM orders.orders WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match current.as_deref() {
        None => return Err(ApiError::NotFound),
        // A second request would only queue a second message for the same work.
        Some("pending") => {
            return Err(ApiError::conflict(
                "summary-pending",
                "The summary is already being written.",
            ));
        }
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE orders.orders
         SET summary_status = 'pending', summary_text = NULL, summary_risk = NULL,
             summary_flags = '[]'::jsonb, summary_model = NULL
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let message = OrderMessage {
        order_id: id,
        correlation_id: Uuid::new_v4(),
    };
    outbox::enqueue(&mut tx, &message).await?;
    let order = load_in(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    tracing::info!(order_id = %id, correlation_id = %message.correlation_id, admin_id = %admin.id, "summary to be written again");
    Ok((StatusCode::ACCEPTED, Json(order)))
}
