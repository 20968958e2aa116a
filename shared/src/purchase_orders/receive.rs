//! `POST /purchase-orders/{id}/receive` (admin): goods arrived. Each received quantity adds
//! stock through one ledger movement (reason `received`, with the purchase order's id) in the
//! same transaction as the receipt; the order is `received` once every line is complete.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::{MAX_LINES, MAX_QUANTITY, PurchaseOrder, load, lock, require_open};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::query::ApiPath;
use crate::state::AppState;
use crate::stock::ledger::{self, StockLine};
use crate::webhooks::EventType as WebhookEvent;
use crate::webhooks::events as webhook_events;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<ReceiptLine>,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptLine {
    pub product_id: Uuid,
    #[schema(example = 12, minimum = 1, maximum = 1000000)]
    pub quantity: i64,
}

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/purchase-orders/{id}/receive",
        post(receive_purchase_order),
    )
}

#[utoipa::path(
    post, path = "/purchase-orders/{id}/receive", tag = "restock",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Purchase order id")),
    request_body = Receipt,
    responses(
        (status = 200, description = "The purchase order after the receipt", body = PurchaseOrder),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown", body = crate::error::Problem),
        (status = 409, description = "Not open, or more than ordered", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, or a product not on the order", body = crate::error::Problem),
    )
)]
pub async fn receive_purchase_order(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<Receipt>,
) -> ApiResult<Json<PurchaseOrder>> {
    validate(&body)?;
    let mut tx = state.db.begin().await?;
    // The lock makes concurrent receipts of one order take turns: each checks what is still
    // open against the receipts committed before it.
    require_open(lock(&mut tx, id).await?, "received")?;
    let outstanding: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT product_id, quantity - received FROM inventory.purchase_order_lines
         WHERE purchase_order_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    check_against(&body, &outstanding)?;

    let product_ids: Vec<Uuid> = body.lines.iter().map(|line| line.product_id).collect();
    let quantities: Vec<i64> = body.lines.iter().map(|line| line.quantity).collect();
    // Guarded again in SQL (and by the table's CHECK): never more than ordered.
    let updated = sqlx::query(
        "UPDATE inventory.purchase_order_lines l SET received = l.received + r.quantity
         FROM UNNEST($2::uuid[], $3::bigint[]) AS r(product_id, quantity)
         WHERE l.purchase_order_id = $1 AND l.product_id = r.product_id
           AND l.received + r.quantity <= l.quantity",
    )
    .bind(id)
    .bind(&product_ids)
    .bind(&quantities)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != body.lines.len() as u64 {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "receipt of purchase order {id} updated {updated} of {} lines",
            body.lines.len()
        )));
    }
    let stock_lines: Vec<StockLine> = body
        .lines
        .iter()
        .map(|line| StockLine {
            product_id: line.product_id,
            quantity: line.quantity,
        })
        .collect();
    ledger::receive_for_purchase_order(&mut tx, id, &stock_lines, admin.id).await?;
    sqlx::query(
        "UPDATE inventory.purchase_orders o SET status = CASE WHEN NOT EXISTS (
                 SELECT 1 FROM inventory.purchase_order_lines l
                 WHERE l.purchase_order_id = o.id AND l.received < l.quantity)
             THEN 'received' ELSE o.status END
         WHERE o.id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let order = load(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    webhook_events::record(&mut tx, WebhookEvent::PurchaseOrderReceived, &order).await?;
    tx.commit().await?;
    Ok(Json(order))
}

fn validate(body: &Receipt) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    if body.lines.is_empty() || body.lines.len() > MAX_LINES {
        errors.add("lines", format!("must hold 1 to {MAX_LINES} lines"));
    }
    for (index, line) in body.lines.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            errors.add(
                format!("lines[{index}].quantity"),
                format!("must be from 1 to {MAX_QUANTITY}"),
            );
        }
        if body.lines[..index]
            .iter()
            .any(|earlier| earlier.product_id == line.product_id)
        {
            errors.add(
                format!("lines[{index}].product_id"),
                "names a product an earlier line already has",
            );
        }
    }
    errors.into_result()
}

/// `422` for products not on the order; `409` listing every line that would exceed what was
/// ordered, with what is still outstanding.
fn check_against(body: &Receipt, outstanding: &[(Uuid, i64)]) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    let mut over = Vec::new();
    for (index, line) in body.lines.iter().enumerate() {
        match outstanding
            .iter()
            .find(|(product, _)| *product == line.product_id)
        {
            None => errors.add(
                format!("lines[{index}].product_id"),
                "is not on this purchase order",
            ),
            Some((_, left)) if line.quantity > *left => over.push(json!({
                "product_id": line.product_id,
                "requested": line.quantity,
                "outstanding": left,
            })),
            Some(_) => {}
        }
    }
    errors.into_result()?;
    if over.is_empty() {
        return Ok(());
    }
    Err(ApiError::conflict(
        "more-than-ordered",
        "The receipt is more than is still outstanding on the purchase order; nothing was received.",
    )
    .with_member("lines", json!(over)))
}
