//! `POST /products/{id}/stock-adjustments` (admin): count stock in or out, with a reason.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::ledger as stock;
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::products::{Product, fetch_existing};
use crate::query::ApiPath;
use crate::state::AppState;

pub const MAX_REASON_CHARS: usize = 200;
pub const MAX_DELTA: i64 = 1_000_000_000;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StockAdjustment {
    /// Units to add (positive) or remove (negative); never zero.
    #[schema(example = 25, minimum = -1000000000, maximum = 1000000000)]
    pub delta: i64,
    #[schema(example = "delivery from supplier", min_length = 1, max_length = 200)]
    pub reason: String,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/{id}/stock-adjustments", post(adjust_stock))
}

#[utoipa::path(
    post, path = "/products/{id}/stock-adjustments", tag = "products",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = StockAdjustment,
    responses(
        (status = 200, description = "The product after the adjustment", body = Product),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown or archived product", body = crate::error::Problem),
        (status = 409, description = "Stock would go below zero", body = crate::error::Problem),
        (status = 422, description = "Invalid fields", body = crate::error::Problem),
    )
)]
pub async fn adjust_stock(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<StockAdjustment>,
) -> ApiResult<Json<Product>> {
    let reason = body.reason.trim();
    let mut errors = FieldErrors::new();
    if body.delta == 0 || !(-MAX_DELTA..=MAX_DELTA).contains(&body.delta) {
        errors.add(
            "delta",
            format!("must be a non-zero integer from -{MAX_DELTA} to {MAX_DELTA}"),
        );
    }
    if reason.is_empty()
        || reason.chars().count() > MAX_REASON_CHARS
        || reason.chars().any(char::is_control)
    {
        errors.add(
            "reason",
            format!("must be 1 to {MAX_REASON_CHARS} characters, without control characters"),
        );
    }
    errors.into_result()?;

    let mut tx = state.db.begin().await?;
    // Lock the row first: it tells "archived/unknown" (404) from "would go negative" (409)
    // without a race, and the conditional update below stays the guard of the invariant.
    let current: Option<i64> = sqlx::query_scalar(
        "SELECT stock FROM inventory.products WHERE id = $1 AND archived_at IS NULL FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(current) = current else {
        return Err(ApiError::NotFound);
    };
    if stock::adjust(&mut tx, id, body.delta, reason, Some(admin.id))
        .await?
        .is_none()
    {
        return Err(ApiError::conflict(
            "insufficient-stock",
            format!("Only {current} in stock; cannot remove {}.", -body.delta),
        )
        .with_member("available", json!(current)));
    }
    let product = fetch_existing(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(Json(product))
}
