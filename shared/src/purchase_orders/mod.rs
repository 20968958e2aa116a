//! Purchase orders: what staff ordered from a supplier, what has arrived, what is still
//! incoming. Receiving adds stock through the ledger (`crate::stock::ledger`).

pub mod cancel;
pub mod create;
pub mod get;
pub mod list;
pub mod receive;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::error::{ApiError, FieldErrors};

pub const MAX_SUPPLIER_CHARS: usize = 200;
pub const MAX_LINES: usize = 200;
pub const MAX_QUANTITY: i64 = 1_000_000;
pub const MAX_UNIT_COST_CENTS: i64 = 100_000_000;

/// `open` → `received` (every line fully received) | `cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PurchaseOrderStatus {
    Open,
    Received,
    Cancelled,
}

impl PurchaseOrderStatus {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(Self::Open),
            "received" => Some(Self::Received),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Received => "received",
            Self::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PurchaseOrderLine {
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    /// Units received so far, at most `quantity`.
    pub received: i64,
    pub unit_cost_cents: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PurchaseOrder {
    pub id: Uuid,
    pub supplier: String,
    pub status: PurchaseOrderStatus,
    pub lines: Vec<PurchaseOrderLine>,
    /// The admin who placed it.
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct HeaderRow {
    id: Uuid,
    supplier: String,
    status: String,
    created_by: Uuid,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    purchase_order_id: Uuid,
    #[sqlx(flatten)]
    line: PurchaseOrderLine,
}

const HEADER_COLUMNS: &str = "id, supplier, status, created_by, created_at, updated_at";

/// One purchase order with its lines.
pub async fn load(db: &mut PgConnection, id: Uuid) -> Result<Option<PurchaseOrder>, ApiError> {
    let header: Option<HeaderRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {HEADER_COLUMNS} FROM inventory.purchase_orders WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    let Some(header) = header else {
        return Ok(None);
    };
    Ok(assemble(vec![header], &mut *db).await?.pop())
}

/// Headers joined with their lines (one query for all of them), in the headers' order.
async fn assemble(
    headers: Vec<HeaderRow>,
    db: impl PgExecutor<'_>,
) -> Result<Vec<PurchaseOrder>, ApiError> {
    let ids: Vec<Uuid> = headers.iter().map(|header| header.id).collect();
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.purchase_order_id, l.product_id, p.sku, p.name, l.quantity, l.received, l.unit_cost_cents
         FROM inventory.purchase_order_lines l
         JOIN inventory.products p ON p.id = l.product_id
         WHERE l.purchase_order_id = ANY($1)
         ORDER BY l.purchase_order_id, l.line_no",
    )
    .bind(&ids)
    .fetch_all(db)
    .await?;
    let mut lines: HashMap<Uuid, Vec<PurchaseOrderLine>> = HashMap::new();
    for row in rows {
        lines
            .entry(row.purchase_order_id)
            .or_default()
            .push(row.line);
    }
    headers
        .into_iter()
        .map(|header| {
            let status = PurchaseOrderStatus::parse(&header.status).ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!(
                    "purchase order {} has unknown status {}",
                    header.id,
                    header.status
                ))
            })?;
            Ok(PurchaseOrder {
                lines: lines.remove(&header.id).unwrap_or_default(),
                id: header.id,
                supplier: header.supplier,
                status,
                created_by: header.created_by,
                created_at: header.created_at,
                updated_at: header.updated_at,
            })
        })
        .collect()
}

/// Locks an existing purchase order for a change of state and returns its status.
///
/// Every write to an order's receipts or status takes this lock first, so concurrent receipts
/// and cancellations of one order take turns and each sees what the previous one left.
async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<PurchaseOrderStatus, ApiError> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM inventory.purchase_orders WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let status = status.ok_or(ApiError::NotFound)?;
    PurchaseOrderStatus::parse(&status).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "purchase order {id} has unknown status {status}"
        ))
    })
}

/// `409` unless the order is still open.
fn require_open(status: PurchaseOrderStatus, action: &str) -> Result<(), ApiError> {
    if status == PurchaseOrderStatus::Open {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "purchase-order-not-open",
            format!(
                "The purchase order is {}; only an open one can be {action}.",
                status.as_str()
            ),
        ))
    }
}

/// The supplier's name, trimmed, or a field error.
pub fn validate_supplier(errors: &mut FieldErrors, supplier: &str) {
    let trimmed = supplier.trim();
    if trimmed.is_empty()
        || trimmed.chars().count() > MAX_SUPPLIER_CHARS
        || trimmed.chars().any(char::is_control)
    {
        errors.add(
            "supplier",
            format!("must be 1 to {MAX_SUPPLIER_CHARS} characters, without control characters"),
        );
    }
}
