//! `GET /purchase-orders/{id}` (admin): one purchase order with its lines.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use uuid::Uuid;

use super::{PurchaseOrder, load};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/purchase-orders/{id}", get(get_purchase_order))
}

#[utoipa::path(
    get, path = "/purchase-orders/{id}", tag = "restock",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Purchase order id")),
    responses(
        (status = 200, description = "The purchase order", body = PurchaseOrder),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown", body = crate::error::Problem),
    )
)]
pub async fn get_purchase_order(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<PurchaseOrder>> {
    let mut db = state.db.acquire().await?;
    load(&mut db, id).await?.map(Json).ok_or(ApiError::NotFound)
}
