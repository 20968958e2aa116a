//! `POST /orders/{id}/fulfil` (admin): the order has shipped.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use uuid::Uuid;

use serde_json::json;

use super::events::{self, EventType};
use super::{Order, load_in, lock_order, set_status};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;
use crate::webhooks::EventType as WebhookEvent;
use crate::webhooks::events as webhook_events;

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders/{id}/fulfil", post(fulfil_order))
}

#[utoipa::path(
    post, path = "/orders/{id}/fulfil", tag = "orders",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "Fulfilled", body = Order),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown order", body = crate::error::Problem),
        (status = 409, description = "Not confirmed any more", body = crate::error::Problem),
    )
)]
pub async fn fulfil_order(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Order>> {
    let mut tx = state.db.begin().await?;
    match lock_order(&mut tx, id).await? {
        None => return Err(ApiError::NotFound),
        Some((_, status)) if status != "confirmed" => {
            return Err(ApiError::conflict(
                "order-not-confirmed",
                format!("The order is {status}; only confirmed orders can be fulfilled."),
            ));
        }
        Some(_) => {}
    }
    set_status(&mut tx, id, "fulfilled").await?;
    events::record(&mut tx, id, EventType::Fulfilled, Some(admin.id), json!({})).await?;
    let order = load_in(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    webhook_events::record(&mut tx, WebhookEvent::OrderFulfilled, &order).await?;
    tx.commit().await?;
    tracing::info!(order_id = %id, "order fulfilled");
    Ok(Json(order))
}
