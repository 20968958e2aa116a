//! `POST /orders/{id}/fulfil` (admin): the order has shipped.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use uuid::Uuid;

use serde_json::json;

use super::events::{self, EventType};
use super::transition::lock_confirmed;
use super::{Order, OrderStatus, load_in};
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
    lock_confirmed(&mut tx, id, &admin, OrderStatus::Fulfilled)
        .await?
        .move_to(&mut tx, OrderStatus::Fulfilled)
        .await?;
    events::record(&mut tx, id, EventType::Fulfilled, Some(admin.id), json!({})).await?;
    let order = load_in(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    webhook_events::record(&mut tx, WebhookEvent::OrderFulfilled, &order).await?;
    tx.commit().await?;
    tracing::info!(order_id = %id, "order fulfilled");
    Ok(Json(order))
}
