//! `DELETE /products/{id}` (admin): archive a product. It leaves the catalogue but stays
//! inside the orders that bought it.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::delete;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/{id}", delete(archive_product))
}

#[utoipa::path(
    delete, path = "/products/{id}", tag = "products",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses(
        (status = 204, description = "Archived"),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown or already archived", body = crate::error::Problem),
    )
)]
pub async fn archive_product(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    let archived = sqlx::query(
        "UPDATE inventory.products SET archived_at = now()
         WHERE id = $1 AND archived_at IS NULL",
    )
    .bind(id)
    .execute(&state.db)
    .await?;
    if archived.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
