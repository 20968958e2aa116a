//! `POST /products/import?dry_run=` (admin): create and update products from a CSV file, all
//! rows or none. A row's `stock` for an existing product is set through one ledger movement
//! (reason `import`), so stock still equals the sum of its movements.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::import_file::{self, ImportError, ImportRow, problem};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiQuery;
use crate::state::AppState;
use crate::stock::ledger;

pub const IMPORT_REASON: &str = "import";

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    dry_run: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Products the file creates (or would create, in a dry run); 0 when it has errors.
    pub created: u64,
    /// Existing products the file changes (or would change); rows that change nothing are
    /// not counted. 0 when it has errors.
    pub updated: u64,
    /// Every problem found; when there is any, nothing is written.
    pub errors: Vec<ImportError>,
}

/// An existing product as the import sees it, locked for the transaction.
#[derive(sqlx::FromRow)]
struct Existing {
    id: Uuid,
    sku: String,
    name: String,
    description: Option<String>,
    price_cents: i64,
    stock: i64,
    low_stock_threshold: i64,
    reorder_quantity: i64,
    archived: bool,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/import", post(import_products))
}

#[utoipa::path(
    post, path = "/products/import", tag = "products",
    security(("bearer" = [])),
    params(("dry_run" = Option<bool>, Query, description = "`true`: check the file and write nothing")),
    request_body(content = String, content_type = "text/csv",
        description = "Header `sku,name,description,price_cents,stock,low_stock_threshold,reorder_quantity` (description, stock, threshold and reorder quantity optional); at most 10000 rows"),
    responses(
        (status = 200, description = "What the file did (or would do), or its problems", body = ImportOutcome),
        (status = 400, description = "Not text/csv, or a bad dry_run", body = crate::error::Problem),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 413, description = "More than 10000 rows, or over 1 MiB", body = crate::error::Problem),
    )
)]
pub async fn import_products(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiQuery(query): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ImportOutcome>> {
    let dry_run = match query.dry_run.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "dry_run must be true or false.".into(),
            ));
        }
    };
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("text/csv"));
    if !is_csv {
        return Err(ApiError::BadRequest(
            "The body must be a CSV file (Content-Type: text/csv).".into(),
        ));
    }
    let rows = match import_file::read(&body)? {
        Ok(rows) => rows,
        Err(errors) => return Ok(Json(refused(errors))),
    };

    let mut tx = state.db.begin().await?;
    let existing = lock_existing(&mut tx, &rows).await?;
    let archived: Vec<ImportError> = rows
        .iter()
        .filter(|row| {
            existing
                .get(&row.sku)
                .is_some_and(|product| product.archived)
        })
        .map(|row| {
            problem(
                row.line,
                "sku",
                format!("{} belongs to an archived product", row.sku),
            )
        })
        .collect();
    if !archived.is_empty() {
        return Ok(Json(refused(archived)));
    }
    let mut outcome = ImportOutcome {
        created: 0,
        updated: 0,
        errors: Vec::new(),
    };
    for row in &rows {
        match existing.get(&row.sku) {
            None => {
                create(&mut tx, row, admin.id).await?;
                outcome.created += 1;
            }
            Some(product) => {
                if update(&mut tx, product, row, admin.id).await? {
                    outcome.updated += 1;
                }
            }
        }
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
        tracing::info!(
            created = outcome.created,
            updated = outcome.updated,
            "products imported"
        );
    }
    Ok(Json(outcome))
}

fn refused(errors: Vec<ImportError>) -> ImportOutcome {
    ImportOutcome {
        created: 0,
        updated: 0,
        errors,
    }
}

/// The file's existing products by sku, locked in id order (as checkout locks them), so a
/// concurrent order or adjustment waits instead of deadlocking.
async fn lock_existing(
    tx: &mut PgConnection,
    rows: &[ImportRow],
) -> Result<HashMap<String, Existing>, sqlx::Error> {
    let skus: Vec<&str> = rows.iter().map(|row| row.sku.as_str()).collect();
    let found: Vec<Existing> = sqlx::query_as(
        "SELECT id, sku, name, description, price_cents, stock, low_stock_threshold,
                reorder_quantity, archived_at IS NOT NULL AS archived
         FROM inventory.products WHERE sku = ANY($1) ORDER BY id FOR UPDATE",
    )
    .bind(&skus)
    .fetch_all(&mut *tx)
    .await?;
    Ok(found
        .into_iter()
        .map(|product| (product.sku.clone(), product))
        .collect())
}

async fn create(tx: &mut PgConnection, row: &ImportRow, actor: Uuid) -> Result<(), ApiError> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO inventory.products
             (id, sku, name, description, price_cents, low_stock_threshold, reorder_quantity)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(&row.sku)
    .bind(&row.name)
    .bind(row.description.clone().flatten())
    .bind(row.price_cents)
    .bind(row.threshold_or_default())
    .bind(row.reorder_quantity.unwrap_or(0))
    .execute(&mut *tx)
    .await
    .map_err(|error| sku_race(error, &row.sku))?;
    let stock = row.stock.unwrap_or(0);
    if stock > 0 {
        ledger::adjust(tx, id, stock, IMPORT_REASON, Some(actor)).await?;
    }
    Ok(())
}

/// Applies a row to an existing product; `false` when it changes nothing.
async fn update(
    tx: &mut PgConnection,
    product: &Existing,
    row: &ImportRow,
    actor: Uuid,
) -> Result<bool, ApiError> {
    let description = row
        .description
        .clone()
        .unwrap_or_else(|| product.description.clone());
    let threshold = row
        .low_stock_threshold
        .unwrap_or(product.low_stock_threshold);
    let reorder = row.reorder_quantity.unwrap_or(product.reorder_quantity);
    let fields_change = row.name != product.name
        || description != product.description
        || row.price_cents != product.price_cents
        || threshold != product.low_stock_threshold
        || reorder != product.reorder_quantity;
    if fields_change {
        sqlx::query(
            "UPDATE inventory.products
             SET name = $2, description = $3, price_cents = $4, low_stock_threshold = $5,
                 reorder_quantity = $6
             WHERE id = $1",
        )
        .bind(product.id)
        .bind(&row.name)
        .bind(&description)
        .bind(row.price_cents)
        .bind(threshold)
        .bind(reorder)
        .execute(&mut *tx)
        .await?;
    }
    let delta = row.stock.map_or(0, |stock| stock - product.stock);
    if delta != 0 {
        // The row is locked and the target is at least 0, so the ledger's guard cannot refuse.
        ledger::adjust(tx, product.id, delta, IMPORT_REASON, Some(actor)).await?;
    }
    Ok(fields_change || delta != 0)
}

/// Another request created the sku between our lock and our insert.
fn sku_race(error: sqlx::Error, sku: &str) -> ApiError {
    if crate::db::violates(&error, "products_sku_key") {
        ApiError::conflict(
            "sku-taken",
            format!("A product with sku {sku} was created meanwhile; import the file again."),
        )
    } else {
        error.into()
    }
}
