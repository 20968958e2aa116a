//! Orders: checkout in one transaction, idempotent repeats, and the lifecycle after it.

pub mod cancel;
mod countries;
pub mod create;
pub mod events;
pub mod export;
pub mod fulfil;
pub mod get;
mod idempotency;
pub mod list;
pub mod outbox;
mod place;
pub mod queue;
pub mod shipping;
pub mod summarise;
pub mod throttle;
pub(crate) mod transition;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgExecutor;
use uuid::Uuid;

pub use shipping::Shipping;

use crate::auth::AuthUser;
use crate::summary::flags::Flag;
use crate::summary::store::SummaryStatus;

/// Where an order stands; the `text` column `orders.orders.status` holds its lowercase name.
/// An order leaves `confirmed` only through [`transition::lock_confirmed`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum OrderStatus {
    Confirmed,
    Cancelled,
    Fulfilled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Fulfilled => "fulfilled",
        }
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderLine {
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub line_total_cents: i64,
}

/// The AI summary of an order: staff information, `null` for the customer who owns the order.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Summary {
    pub status: SummaryStatus,
    pub text: Option<String>,
    /// `low`, `medium` or `high`; `null` until ready, and when the model gave none.
    #[schema(example = "medium")]
    pub risk: Option<String>,
    /// Computed from the order, the stock ledger and the customer's history, not by the model.
    pub flags: Vec<Flag>,
    /// The model that wrote the text.
    pub model: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Order {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: OrderStatus,
    pub items: Vec<OrderLine>,
    pub total_cents: i64,
    // Who ordered and where it goes: what staff need to ship it.
    #[schema(example = "ada@example.com")]
    pub customer_email: String,
    pub shipping: Option<Shipping>,
    /// The customer's note (at most 500 characters); shown to staff, never sent to the AI.
    pub note: Option<String>,
    /// Only admins see it; `null` for the owning customer.
    pub summary: Option<Summary>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Order {
    /// The order as `viewer` may see it: the summary is staff information, so a customer
    /// (who only ever sees their own orders) gets `summary: null`.
    pub fn seen_by(mut self, viewer: &AuthUser) -> Self {
        if !viewer.is_admin() {
            self.summary = None;
        }
        self
    }
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: Uuid,
    user_id: Uuid,
    status: OrderStatus,
    total_cents: i64,
    summary_status: SummaryStatus,
    summary_text: Option<String>,
    summary_risk: Option<String>,
    summary_flags: sqlx::types::Json<Vec<Flag>>,
    summary_model: Option<String>,
    summary_updated_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    customer_email: String,
    shipping: Option<sqlx::types::Json<Shipping>>,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    order_id: Uuid,
    product_id: Uuid,
    sku: String,
    name: String,
    unit_price_cents: i64,
    quantity: i64,
    line_total_cents: i64,
}

const ORDER_COLUMNS: &str = "id, user_id, status, total_cents, summary_status, summary_text, \
     summary_risk, summary_flags, summary_model, summary_updated_at, created_at, updated_at";

/// Who ordered and where it goes, selected beside [`ORDER_COLUMNS`] from `orders.orders`.
/// The email comes through the auth domain's function: the orders role cannot read accounts.
const CUSTOMER_COLUMNS: &str =
    "auth.account_email(orders.user_id) AS customer_email, shipping, note";

/// Attaches lines to order rows (one query for all of them, in line order).
async fn assemble(
    db: impl PgExecutor<'_>,
    rows: Vec<OrderRow>,
) -> Result<Vec<Order>, crate::ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let lines: Vec<LineRow> = sqlx::query_as(
        "SELECT order_id, product_id, sku, name, unit_price_cents, quantity, line_total_cents
         FROM orders.order_lines WHERE order_id = ANY($1) ORDER BY order_id, line_no",
    )
    .bind(&ids)
    .fetch_all(db)
    .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        let items = lines
            .iter()
            .filter(|line| line.order_id == row.id)
            .map(|line| OrderLine {
                product_id: line.product_id,
                sku: line.sku.clone(),
                name: line.name.clone(),
                unit_price_cents: line.unit_price_cents,
                quantity: line.quantity,
                line_total_cents: line.line_total_cents,
            })
            .collect();
        orders.push(Order {
            id: row.id,
            user_id: row.user_id,
            status: row.status,
            items,
            total_cents: row.total_cents,
            customer_email: row.customer_email,
            shipping: row.shipping.map(|shipping| shipping.0),
            note: row.note,
            summary: Some(Summary {
                status: row.summary_status,
                text: row.summary_text,
                risk: row.summary_risk,
                flags: row.summary_flags.0,
                model: row.summary_model,
                updated_at: row.summary_updated_at,
            }),
            created_at: row.created_at,
            updated_at: row.updated_at,
        });
    }
    Ok(orders)
}

/// One order with its lines, whoever owns it.
pub async fn load(db: &sqlx::PgPool, id: Uuid) -> Result<Option<Order>, crate::ApiError> {
    load_in(&mut *db.acquire().await?, id).await
}

/// Like [`load`], on a connection or inside a transaction.
pub async fn load_in(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
) -> Result<Option<Order>, crate::ApiError> {
    let row: Option<OrderRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS}, {CUSTOMER_COLUMNS} FROM orders.orders WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(assemble(&mut *conn, vec![row]).await?.pop())
}
