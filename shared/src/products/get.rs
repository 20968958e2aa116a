//! `GET /products/{id}`: one active product, public.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use uuid::Uuid;

use super::{Product, find_active};
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/{id}", get(get_product))
}

#[utoipa::path(
    get, path = "/products/{id}", tag = "products",
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product", body = Product),
        (status = 404, description = "Unknown or archived", body = crate::error::Problem),
    )
)]
pub async fn get_product(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Product>> {
    find_active(&state.db, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
