//! `POST /purchase-orders/{id}/cancel` (admin): the supplier will not deliver the rest. What
//! was received stays in stock; what was not stops counting as incoming.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use uuid::Uuid;

use super::{PurchaseOrder, load, lock, require_open};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/purchase-orders/{id}/cancel", post(cancel_purchase_order))
}

#[utoipa::path(
    post, path = "/purchase-orders/{id}/cancel", tag = "restock",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Purchase order id")),
    responses(
        (status = 200, description = "The cancelled purchase order", body = PurchaseOrder),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown", body = crate::error::Problem),
        (status = 409, description = "Not open", body = crate::error::Problem),
    )
)]
pub async fn cancel_purchase_order(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<PurchaseOrder>> {
    let mut tx = state.db.begin().await?;
    require_open(lock(&mut tx, id).await?, "cancelled")?;
    sqlx::query(
        "UPDATE inventory.purchase_orders SET status = 'cancelled'
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let order = load(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(order))
}
