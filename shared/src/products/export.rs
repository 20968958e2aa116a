//! `GET /products/export.csv` (admin): the active catalogue as a spreadsheet-safe CSV file,
//! in the shape `POST /products/import` reads back.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::spreadsheet::{attachment, guard};
use crate::state::AppState;

/// The columns of the file, in order; the import reads the same header.
pub const COLUMNS: [&str; 7] = [
    "sku",
    "name",
    "description",
    "price_cents",
    "stock",
    "low_stock_threshold",
    "reorder_quantity",
];

type Row = (String, String, Option<String>, i64, i64, i64, i64);

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/export.csv", get(export_products))
}

#[utoipa::path(
    get, path = "/products/export.csv", tag = "products",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One row per active product, by sku", content_type = "text/csv", body = String),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
    )
)]
pub async fn export_products(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
) -> ApiResult<Response> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(internal)?;
    // 100 000 short rows are a few MB: read them at once, one snapshot, one round trip.
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT sku, name, description, price_cents, stock, low_stock_threshold, reorder_quantity
         FROM inventory.products WHERE archived_at IS NULL ORDER BY sku",
    )
    .fetch_all(&state.db)
    .await?;
    for (sku, name, description, price, stock, threshold, reorder) in rows {
        writer
            .write_record([
                guard(&sku),
                guard(&name),
                guard(description.as_deref().unwrap_or("")),
                price.to_string(),
                stock.to_string(),
                threshold.to_string(),
                reorder.to_string(),
            ])
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| internal(error.into_error()))?;
    Ok(attachment(bytes, "products.csv"))
}

fn internal(error: impl Into<anyhow::Error>) -> ApiError {
    ApiError::Internal(error.into())
}
