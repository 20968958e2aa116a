//! Restock: which products to order, how many, and a purchase order made of that.
//! The rule itself is in [`rule`]; this module gathers the facts it needs. [`advice`] is the
//! AI-written note on top of the suggestions.

pub mod advice;
pub mod purchase_orders;
pub mod rule;
pub mod suggestions;

use sqlx::PgExecutor;

use rule::{COVER_DAYS, ProductFacts, SALES_WINDOW_DAYS, Suggestion, suggest_all};

/// The current suggestions, most urgent first.
///
/// SQL narrows the catalogue to the products the rule can pick (the same two conditions), so
/// only those rows reach the rule; the rule still decides.
pub async fn current(db: impl PgExecutor<'_>) -> Result<Vec<Suggestion>, sqlx::Error> {
    let facts: Vec<ProductFacts> = sqlx::query_as(
        // Sales are the orders domain's: asked through its function (migration 0080).
        "WITH sold AS (
             SELECT product_id, units FROM orders.units_sold_since($1::int)
         ), incoming AS (
             SELECT l.product_id, sum(l.quantity - l.received)::bigint AS units
             FROM inventory.purchase_order_lines l
             JOIN inventory.purchase_orders o ON o.id = l.purchase_order_id
             WHERE o.status = 'open'
             GROUP BY l.product_id
         )
         SELECT p.id AS product_id, p.sku, p.name, p.stock, p.low_stock_threshold,
                p.reorder_quantity, COALESCE(i.units, 0) AS incoming, COALESCE(s.units, 0) AS units_sold
         FROM inventory.products p
         LEFT JOIN sold s ON s.product_id = p.id
         LEFT JOIN incoming i ON i.product_id = p.id
         WHERE p.archived_at IS NULL
           AND (p.stock <= p.low_stock_threshold
                OR (p.stock + COALESCE(i.units, 0)) * $1 < $2 * COALESCE(s.units, 0))",
    )
    .bind(SALES_WINDOW_DAYS as i32)
    .bind(COVER_DAYS)
    .fetch_all(db)
    .await?;
    Ok(suggest_all(&facts))
}
