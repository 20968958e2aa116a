//! `PATCH /products/{id}` (admin): change a product's name, description, price, threshold or
//! reorder quantity.
//! Stock changes only through adjustments and orders, and a sku names a product for good.

use axum::extract::State;
use axum::routing::patch;
use axum::{Json, Router};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{PRODUCT_COLUMNS, Product, validate};
use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::json::ApiJson;
use crate::query::ApiPath;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// `null` clears the description.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description: Option<Option<String>>,
    #[schema(minimum = 0, maximum = 100000000)]
    pub price_cents: Option<i64>,
    #[schema(minimum = 0, maximum = 1000000000)]
    pub low_stock_threshold: Option<i64>,
    #[schema(minimum = 0, maximum = 1000000000)]
    pub reorder_quantity: Option<i64>,
}

/// Tells `"description": null` (clear it) from a missing `description` (leave it).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/{id}", patch(update_product))
}

#[utoipa::path(
    patch, path = "/products/{id}", tag = "products",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Product id")),
    request_body = ProductPatch,
    responses(
        (status = 200, description = "The updated product", body = Product),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown or archived", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, or stock/sku given", body = crate::error::Problem),
    )
)]
pub async fn update_product(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> ApiResult<Json<Product>> {
    let patch = parse_patch(body)?;
    let product: Option<Product> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE inventory.products SET
             name = COALESCE($2, name),
             description = CASE WHEN $3 THEN $4 ELSE description END,
             price_cents = COALESCE($5, price_cents),
             low_stock_threshold = COALESCE($6, low_stock_threshold),
             reorder_quantity = COALESCE($7, reorder_quantity)
         WHERE id = $1 AND archived_at IS NULL
         RETURNING {PRODUCT_COLUMNS}"
    )))
    .bind(id)
    .bind(patch.name.as_deref().map(str::trim))
    .bind(patch.description.is_some())
    .bind(patch.description.flatten())
    .bind(patch.price_cents)
    .bind(patch.low_stock_threshold)
    .bind(patch.reorder_quantity)
    .fetch_optional(&state.db)
    .await?;
    product.map(Json).ok_or(ApiError::NotFound)
}

fn parse_patch(body: Map<String, Value>) -> Result<ProductPatch, ApiError> {
    let mut errors = FieldErrors::new();
    for fixed in ["stock", "sku"] {
        if body.contains_key(fixed) {
            let hint = if fixed == "stock" {
                "cannot be patched; use POST /products/{id}/stock-adjustments"
            } else {
                "cannot be changed once a product exists"
            };
            errors.add(fixed, hint);
        }
    }
    for key in body.keys() {
        if ![
            "stock",
            "sku",
            "name",
            "description",
            "price_cents",
            "low_stock_threshold",
            "reorder_quantity",
        ]
        .contains(&key.as_str())
        {
            errors.add(key.clone(), "is not a field of a product");
        }
    }
    errors.into_result()?;
    let bytes = serde_json::to_vec(&body).map_err(|error| ApiError::Internal(error.into()))?;
    let patch: ProductPatch = crate::json::parse(&bytes)?;

    let mut errors = FieldErrors::new();
    if let Some(name) = &patch.name {
        validate::name(&mut errors, name);
    }
    if let Some(description) = &patch.description {
        validate::description(&mut errors, description.as_deref());
    }
    if let Some(price) = patch.price_cents {
        validate::price(&mut errors, price);
    }
    if let Some(threshold) = patch.low_stock_threshold {
        validate::threshold(&mut errors, threshold);
    }
    if let Some(quantity) = patch.reorder_quantity {
        validate::reorder_quantity(&mut errors, quantity);
    }
    errors.into_result()?;
    Ok(patch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("object")
    }

    #[test]
    fn stock_and_sku_are_refused_by_name() {
        match parse_patch(map(json!({"stock": 5, "sku": "X", "name": "ok"}))) {
            Err(ApiError::Validation(errors)) => {
                let fields: Vec<_> = errors.as_slice().iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, vec!["stock", "sku"]);
            }
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn null_description_clears_and_absent_leaves() {
        let cleared = parse_patch(map(json!({"description": null}))).expect("valid");
        assert_eq!(cleared.description, Some(None));
        let untouched = parse_patch(map(json!({"name": "New"}))).expect("valid");
        assert_eq!(untouched.description, None);
    }

    #[test]
    fn values_are_validated() {
        assert!(parse_patch(map(json!({"price_cents": -1}))).is_err());
        assert!(parse_patch(map(json!({"name": ""}))).is_err());
        assert!(parse_patch(map(json!({"colour": "red"}))).is_err());
    }
}
