//! `POST /orders/{id}/cancel`: the owner or an admin calls off a confirmed order; its stock
//! goes back on the shelf in the same transaction.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use uuid::Uuid;

use serde_json::json;

use super::events::{self, EventType};
use super::transition::lock_confirmed;
use super::{Order, OrderStatus, load_in};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;
use crate::stock::ledger::{self, StockLine};
use crate::webhooks::EventType as WebhookEvent;
use crate::webhooks::events as webhook_events;

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders/{id}/cancel", post(cancel_order))
}

#[utoipa::path(
    post, path = "/orders/{id}/cancel", tag = "orders",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "Cancelled; stock given back", body = Order),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 404, description = "Unknown, or someone else's", body = crate::error::Problem),
        (status = 409, description = "Not confirmed any more", body = crate::error::Problem),
    )
)]
pub async fn cancel_order(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Order>> {
    let mut tx = state.db.begin().await?;
    let order = lock_confirmed(&mut tx, id, &user, OrderStatus::Cancelled).await?;
    let owner = order.owner;
    let lines: Vec<(Uuid, i64)> =
        sqlx::query_as("SELECT product_id, quantity FROM orders.order_lines WHERE order_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    let lines: Vec<StockLine> = lines
        .into_iter()
        .map(|(product_id, quantity)| StockLine {
            product_id,
            quantity,
        })
        .collect();
    // The report corrections of the status change run at commit (migration 0210), after the
    // stock is given back: checkout also locks the products before the report rows.
    ledger::give_back_for_order(&mut tx, id, &lines, user.id).await?;
    order.move_to(&mut tx, OrderStatus::Cancelled).await?;
    let by = if owner == user.id {
        "customer"
    } else {
        "staff"
    };
    events::record(
        &mut tx,
        id,
        EventType::Cancelled,
        Some(user.id),
        json!({ "by": by }),
    )
    .await?;
    let order = load_in(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    webhook_events::record(&mut tx, WebhookEvent::OrderCancelled, &order).await?;
    tx.commit().await?;
    tracing::info!(order_id = %id, "order cancelled");
    Ok(Json(order.seen_by(&user)))
}
