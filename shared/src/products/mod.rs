//! The catalogue: products as the API shows them and the queries its routes share.

pub mod create;
pub mod delete;
pub mod demo;
pub mod export;
pub mod get;
pub mod import;
pub mod import_file;
pub mod list;
pub mod update;
pub mod validate;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A product as the API shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Product {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub price_cents: i64,
    pub stock: i64,
    pub low_stock_threshold: i64,
    /// `stock <= low_stock_threshold`.
    pub low_stock: bool,
    /// What staff usually order at once; 0 when not set.
    pub reorder_quantity: i64,
    /// Units on open purchase orders not yet received.
    pub incoming: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The columns of [`Product`], for queries that return one from `inventory.products`.
///
/// `incoming` is computed, not stored: a cached copy could drift from the purchase orders, and
/// the subquery runs only for the rows a query returns (an index on the lines' product).
pub const PRODUCT_COLUMNS: &str = "id, sku, name, description, price_cents, stock, low_stock_threshold, \
     low_stock, reorder_quantity, \
     (SELECT COALESCE(sum(l.quantity - l.received), 0)::bigint \
        FROM inventory.purchase_order_lines l \
        JOIN inventory.purchase_orders o ON o.id = l.purchase_order_id \
       WHERE l.product_id = inventory.products.id AND o.status = 'open') AS incoming, \
     created_at, updated_at";

/// An active (not archived) product.
pub async fn find_active(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<Product>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_COLUMNS} FROM inventory.products WHERE id = $1 AND archived_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A product known to exist, archived or not (e.g. right after writing it).
pub async fn fetch_existing(db: impl PgExecutor<'_>, id: Uuid) -> Result<Product, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_COLUMNS} FROM inventory.products WHERE id = $1"
    )))
    .bind(id)
    .fetch_one(db)
    .await
}

/// Whether a product exists at all, archived or not.
pub async fn exists(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM inventory.products WHERE id = $1)")
        .bind(id)
        .fetch_one(db)
        .await
}
