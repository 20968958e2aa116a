//! `GET /orders/{id}`: the owner's or an admin's view of one order.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use uuid::Uuid;

use super::{Order, load};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders/{id}", get(get_order))
}

#[utoipa::path(
    get, path = "/orders/{id}", tag = "orders",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 404, description = "Unknown, or someone else's", body = crate::error::Problem),
    )
)]
pub async fn get_order(
    State(state): State<AppState>,
    // The path first: a segment that is no id (`export.csv`) names no order here, so this
    // function answers 404 for it before asking for a token.
    ApiPath(id): ApiPath<Uuid>,
    user: AuthUser,
) -> ApiResult<Json<Order>> {
    let order = load(&state.db, id).await?;
    match order {
        // Someone else's order is indistinguishable from a missing one.
        Some(order) if order.user_id == user.id || user.is_admin() => {
            Ok(Json(order.seen_by(&user)))
        }
        _ => Err(ApiError::NotFound),
    }
}
