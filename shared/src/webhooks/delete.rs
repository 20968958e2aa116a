//! `DELETE /webhooks/{id}` (admin): the endpoint goes, with its deliveries and their attempts;
//! a delivery already in flight finds no endpoint and stops.

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
    Router::new().route("/webhooks/{id}", delete(delete_endpoint))
}

#[utoipa::path(
    delete, path = "/webhooks/{id}", tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_endpoint(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    let deleted = sqlx::query("DELETE FROM webhooks.endpoints WHERE id = $1")
        .bind(id)
        .execute(&state.db)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
