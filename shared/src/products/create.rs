//! `POST /products` (admin): add a product to the catalogue.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::{Product, fetch_existing, validate};
use crate::auth::AdminUser;
use crate::db;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::stock::ledger as stock;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewProduct {
    // The limits in `schema(...)` repeat `super::validate`; a test holds the numbers equal.
    #[schema(
        example = "MUG-BLUE",
        min_length = 1,
        max_length = 64,
        pattern = "^[A-Za-z0-9_-]+$"
    )]
    pub sku: String,
    #[schema(example = "Blue mug", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[schema(example = 1299, minimum = 0, maximum = 100000000)]
    pub price_cents: i64,
    /// Defaults to 0.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub stock: Option<i64>,
    /// Defaults to 5.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub low_stock_threshold: Option<i64>,
    /// What staff usually order at once; defaults to 0 (not set).
    #[schema(minimum = 0, maximum = 1000000000)]
    pub reorder_quantity: Option<i64>,
}

pub const DEFAULT_LOW_STOCK_THRESHOLD: i64 = 5;
/// The unique constraint on `inventory.products.sku` (migration 0002).
const SKU_UNIQUE_CONSTRAINT: &str = "products_sku_key";

pub fn routes() -> Router<AppState> {
    Router::new().route("/products", post(create_product))
}

#[utoipa::path(
    post, path = "/products", tag = "products",
    security(("bearer" = [])),
    request_body = NewProduct,
    responses(
        (status = 201, description = "Created", body = Product),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 409, description = "The sku is taken", body = crate::error::Problem),
        (status = 422, description = "Invalid fields", body = crate::error::Problem),
    )
)]
pub async fn create_product(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(body): ApiJson<NewProduct>,
) -> ApiResult<(StatusCode, Json<Product>)> {
    let initial_stock = body.stock.unwrap_or(0);
    let threshold = body
        .low_stock_threshold
        .unwrap_or(DEFAULT_LOW_STOCK_THRESHOLD);
    let reorder_quantity = body.reorder_quantity.unwrap_or(0);
    let mut errors = FieldErrors::new();
    validate::sku(&mut errors, &body.sku);
    validate::name(&mut errors, &body.name);
    validate::description(&mut errors, body.description.as_deref());
    validate::price(&mut errors, body.price_cents);
    validate::stock(&mut errors, initial_stock);
    validate::threshold(&mut errors, threshold);
    validate::reorder_quantity(&mut errors, reorder_quantity);
    errors.into_result()?;

    let mut tx = state.db.begin().await?;
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO inventory.products (id, sku, name, description, price_cents, stock, low_stock_threshold, reorder_quantity)
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
    )
    .bind(id)
    .bind(&body.sku)
    .bind(body.name.trim())
    .bind(body.description.as_deref())
    .bind(body.price_cents)
    .bind(threshold)
    .bind(reorder_quantity)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(error) if db::violates(&error, SKU_UNIQUE_CONSTRAINT) => {
            return Err(ApiError::conflict(
                "sku-taken",
                format!("A product with sku {} already exists.", body.sku),
            ));
        }
        other => other?,
    };
    // Initial stock goes through the ledger like any other change, so stock = Σ movements.
    if initial_stock > 0 {
        stock::adjust(&mut tx, id, initial_stock, "initial stock", Some(admin.id)).await?;
    }
    let product = fetch_existing(&mut *tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(product)))
}
