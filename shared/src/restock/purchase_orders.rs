//! `POST /restock/purchase-orders` (admin): one purchase order made of the chosen products'
//! current suggestions.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::{ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::purchase_orders::create::{NewPurchaseOrderLine, insert};
use crate::purchase_orders::{MAX_LINES, PurchaseOrder, validate_supplier};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestedPurchaseOrder {
    #[schema(example = "Acme Ceramics", min_length = 1, max_length = 200)]
    pub supplier: String,
    /// Products to order, each in its suggested quantity.
    #[schema(min_items = 1, max_items = 200)]
    pub product_ids: Vec<Uuid>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/restock/purchase-orders", post(order_suggestions))
}

#[utoipa::path(
    post, path = "/restock/purchase-orders", tag = "restock",
    security(("bearer" = [])),
    request_body = SuggestedPurchaseOrder,
    responses(
        (status = 201, description = "The purchase order", body = PurchaseOrder),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, or a product with nothing to order", body = crate::error::Problem),
    )
)]
pub async fn order_suggestions(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(body): ApiJson<SuggestedPurchaseOrder>,
) -> ApiResult<impl IntoResponse> {
    let mut errors = FieldErrors::new();
    validate_supplier(&mut errors, &body.supplier);
    if body.product_ids.is_empty() || body.product_ids.len() > MAX_LINES {
        errors.add(
            "product_ids",
            format!("must hold 1 to {MAX_LINES} products"),
        );
    }
    for (index, id) in body.product_ids.iter().enumerate() {
        if body.product_ids[..index].contains(id) {
            errors.add(format!("product_ids[{index}]"), "is named twice");
        }
    }
    errors.into_result()?;

    // Suggestions read and the order written in one transaction: what is ordered is what the
    // rule said at that moment.
    let mut tx = state.db.begin().await?;
    let suggestions = super::current(&mut *tx).await?;
    let mut errors = FieldErrors::new();
    let mut lines = Vec::with_capacity(body.product_ids.len());
    for (index, id) in body.product_ids.iter().enumerate() {
        match suggestions.iter().find(|s| s.product_id == *id) {
            Some(suggestion) if suggestion.suggested_quantity > 0 => {
                lines.push(NewPurchaseOrderLine {
                    product_id: *id,
                    quantity: suggestion
                        .suggested_quantity
                        .min(crate::purchase_orders::MAX_QUANTITY),
                    unit_cost_cents: None,
                })
            }
            _ => errors.add(
                format!("product_ids[{index}]"),
                "has nothing to order: it is not among the current suggestions",
            ),
        }
    }
    errors.into_result()?;
    let order: PurchaseOrder = insert(&mut tx, body.supplier.trim(), admin.id, &lines).await?;
    tx.commit().await?;
    let location = format!("/purchase-orders/{}", order.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(order),
    ))
}
