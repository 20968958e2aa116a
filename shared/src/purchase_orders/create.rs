//! `POST /purchase-orders` (admin): record what was ordered from a supplier. Its lines count as
//! `incoming` on their products at once.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{MAX_LINES, MAX_QUANTITY, MAX_UNIT_COST_CENTS, PurchaseOrder, load, validate_supplier};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPurchaseOrder {
    #[schema(example = "Acme Ceramics", min_length = 1, max_length = 200)]
    pub supplier: String,
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<NewPurchaseOrderLine>,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPurchaseOrderLine {
    pub product_id: Uuid,
    #[schema(example = 48, minimum = 1, maximum = 1000000)]
    pub quantity: i64,
    /// What the supplier charges per unit, if known.
    #[schema(minimum = 0, maximum = 100000000)]
    pub unit_cost_cents: Option<i64>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/purchase-orders", post(create_purchase_order))
}

#[utoipa::path(
    post, path = "/purchase-orders", tag = "restock",
    security(("bearer" = [])),
    request_body = NewPurchaseOrder,
    responses(
        (status = 201, description = "Created", body = PurchaseOrder),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, or an unknown or archived product", body = crate::error::Problem),
    )
)]
pub async fn create_purchase_order(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(body): ApiJson<NewPurchaseOrder>,
) -> ApiResult<impl IntoResponse> {
    validate(&body)?;
    let mut tx = state.db.begin().await?;
    let order = insert(&mut tx, body.supplier.trim(), admin.id, &body.lines).await?;
    tx.commit().await?;
    let location = format!("/purchase-orders/{}", order.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(order),
    ))
}

fn validate(body: &NewPurchaseOrder) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    validate_supplier(&mut errors, &body.supplier);
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
        if line
            .unit_cost_cents
            .is_some_and(|cost| !(0..=MAX_UNIT_COST_CENTS).contains(&cost))
        {
            errors.add(
                format!("lines[{index}].unit_cost_cents"),
                format!("must be from 0 to {MAX_UNIT_COST_CENTS}"),
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

/// Writes a purchase order of valid lines in the caller's transaction; `422` naming each line
/// whose product is unknown or archived.
pub async fn insert(
    tx: &mut PgConnection,
    supplier: &str,
    created_by: Uuid,
    lines: &[NewPurchaseOrderLine],
) -> Result<PurchaseOrder, ApiError> {
    let product_ids: Vec<Uuid> = lines.iter().map(|line| line.product_id).collect();
    let active: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM inventory.products WHERE id = ANY($1) AND archived_at IS NULL",
    )
    .bind(&product_ids)
    .fetch_all(&mut *tx)
    .await?;
    let mut errors = FieldErrors::new();
    for (index, line) in lines.iter().enumerate() {
        if !active.contains(&line.product_id) {
            errors.add(
                format!("lines[{index}].product_id"),
                "is not a product of the catalogue",
            );
        }
    }
    errors.into_result()?;

    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO inventory.purchase_orders (id, supplier, created_by) VALUES ($1, $2, $3)",
    )
    .bind(id)
    .bind(supplier)
    .bind(created_by)
    .execute(&mut *tx)
    .await?;
    let quantities: Vec<i64> = lines.iter().map(|line| line.quantity).collect();
    let costs: Vec<Option<i64>> = lines.iter().map(|line| line.unit_cost_cents).collect();
    sqlx::query(
        "INSERT INTO inventory.purchase_order_lines
             (purchase_order_id, line_no, product_id, quantity, unit_cost_cents)
         SELECT $1, line_no::int, product_id, quantity, unit_cost_cents
         FROM UNNEST($2::uuid[], $3::bigint[], $4::bigint[])
              WITH ORDINALITY AS l(product_id, quantity, unit_cost_cents, line_no)",
    )
    .bind(id)
    .bind(&product_ids)
    .bind(&quantities)
    .bind(&costs)
    .execute(&mut *tx)
    .await?;
    load(tx, id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("purchase order {id} vanished")))
}
