//! What the summary is about: the order, what it did to stock, how fast each product sells,
//! and the customer's history — everything the flags are computed from.
//!
//! Nothing the customer wrote is loaded here (no email, shipping address or note), so it cannot
//! reach the prompt. Product names are staff-written and travel as quoted data.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

/// Sales over this many days before the order give a product's daily rate.
pub const SALES_WINDOW_DAYS: i64 = 28;

/// The customer's history is their latest this many orders before this one: what they do now,
/// read in bounded time (an index-only scan of at most this many entries of `orders_by_user`)
/// however many orders they have placed.
pub const HISTORY_ORDERS: i64 = 200;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderFacts {
    pub order_id: Uuid,
    pub status: String,
    pub total_cents: i64,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<LineFacts>,
    pub customer: CustomerHistory,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
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
    /// Units sold per day over the [`SALES_WINDOW_DAYS`] whole UTC days before the order's day
    /// (orders not cancelled, as the report rollups count them; this one not included).
    pub daily_sales: f64,
}

impl LineFacts {
    pub fn low_after_order(&self) -> bool {
        self.stock_after_order <= self.low_stock_threshold
    }

    /// This order is what pushed the product to or below its threshold.
    pub fn fell_to_low_stock(&self) -> bool {
        self.low_after_order() && self.stock_after_order + self.quantity > self.low_stock_threshold
    }

    /// Days the stock left after the order lasts at the recent rate; `None` without sales.
    pub fn days_of_cover(&self) -> Option<f64> {
        (self.daily_sales > 0.0).then(|| self.stock_after_order as f64 / self.daily_sales)
    }
}

/// The customer's latest orders placed before this one, at most [`HISTORY_ORDERS`].
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct CustomerHistory {
    pub previous_orders: i64,
    pub cancelled_orders: i64,
    /// Mean total of the previous orders that were not cancelled; `None` without any.
    pub average_total_cents: Option<i64>,
    pub kept_orders: i64,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    user_id: Uuid,
    status: String,
    total_cents: i64,
    created_at: DateTime<Utc>,
}

/// The order's facts, or `None` when no such order exists.
pub async fn load(db: &PgPool, order_id: Uuid) -> Result<Option<OrderFacts>, sqlx::Error> {
    let Some(order): Option<OrderRow> = sqlx::query_as(
        "SELECT user_id, status, total_cents, created_at FROM orders.orders WHERE id = $1",
    )
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
                p.archived_at IS NOT NULL AS archived,
                -- The whole UTC days before the order's day, from the report rollups (which
                -- leave cancelled orders out): one row per day, not one per line sold.
                (SELECT COALESCE(sum(d.units), 0)::float8 / $3
                 FROM reports.daily_product_sales d
                 WHERE d.product_id = l.product_id
                   AND d.day >= reports.day_of($2) - $3::int
                   AND d.day < reports.day_of($2)) AS daily_sales
         FROM orders.order_lines l
         JOIN inventory.products p ON p.id = l.product_id
         WHERE l.order_id = $1
         ORDER BY l.line_no",
    )
    .bind(order_id)
    .bind(order.created_at)
    .bind(SALES_WINDOW_DAYS as f64)
    .fetch_all(db)
    .await?;
    let customer: CustomerHistory = sqlx::query_as(
        "SELECT count(*) AS previous_orders,
                count(*) FILTER (WHERE status = 'cancelled') AS cancelled_orders,
                count(*) FILTER (WHERE status <> 'cancelled') AS kept_orders,
                round(avg(total_cents) FILTER (WHERE status <> 'cancelled'))::bigint
                    AS average_total_cents
         FROM (SELECT o.status, o.total_cents FROM orders.orders o
               WHERE o.user_id = $1 AND o.id <> $2 AND o.created_at < $3
               ORDER BY o.created_at DESC, o.id DESC
               LIMIT $4) latest",
    )
    .bind(order.user_id)
    .bind(order_id)
    .bind(order.created_at)
    .bind(HISTORY_ORDERS)
    .fetch_one(db)
    .await?;
    Ok(Some(OrderFacts {
        order_id,
        status: order.status,
        total_cents: order.total_cents,
        created_at: order.created_at,
        lines,
        customer,
    }))
}
