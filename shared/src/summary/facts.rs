//! What the summary is about: the order, its lines, and what the order did to stock.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    pub order_id: Uuid,
    pub status: String,
    pub total_cents: i64,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<LineFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LineFacts {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub line_total_cents: i64,
    /// Stock right after this order took its units (from the order's stock movement), or the
    /// current stock when no movement names the order.
    pub stock_after_order: i64,
    pub stock_now: i64,
    pub low_stock_threshold: i64,
    pub archived: bool,
}

impl LineFacts {
    pub fn low_after_order(&self) -> bool {
        self.stock_after_order <= self.low_stock_threshold
    }

    /// This order is what pushed the product to or below its threshold.
    pub fn fell_to_low_stock(&self) -> bool {
        self.low_after_order() && self.stock_after_order + self.quantity > self.low_stock_threshold
    }
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    status: String,
    total_cents: i64,
    created_at: DateTime<Utc>,
}

/// The order's facts, or `None` when no such order exists.
pub async fn load(db: &PgPool, order_id: Uuid) -> Result<Option<OrderFacts>, sqlx::Error> {
    let Some(order): Option<OrderRow> =
        sqlx::query_as("SELECT status, total_cents, created_at FROM orders.orders WHERE id = $1")
            .bind(order_id)
            .fetch_optional(db)
            .await?
    else {
        return Ok(None);
    };
    let lines: Vec<LineFacts> = sqlx::query_as(
        "SELECT l.sku, l.name, l.quantity, l.unit_price_cents, l.line_total_cents,
                COALESCE(
                    (SELECT m.stock_after FROM inventory.stock_movements m
                     WHERE m.order_id = l.order_id AND m.product_id = l.product_id AND m.delta < 0
                     ORDER BY m.created_at LIMIT 1),
                    p.stock) AS stock_after_order,
                p.stock AS stock_now,
                p.low_stock_threshold,
                p.archived_at IS NOT NULL AS archived
         FROM orders.order_lines l
         JOIN inventory.products p ON p.id = l.product_id
         WHERE l.order_id = $1
         ORDER BY l.line_no",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    Ok(Some(OrderFacts {
        order_id,
        status: order.status,
        total_cents: order.total_cents,
        created_at: order.created_at,
        lines,
    }))
}
