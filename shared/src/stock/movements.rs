//! `GET /products/{id}/stock-movements` (admin): the ledger of one product, newest first.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::products::exists;
use crate::query::ApiPath;
use crate::query::ApiQuery;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StockMovement {
    pub id: Uuid,
    pub delta: i64,
    pub reason: String,
    pub order_id: Option<Uuid>,
    /// Set on receipts of a purchase order.
    pub purchase_order_id: Option<Uuid>,
    /// The account whose action moved the stock; null for the system.
    pub actor_id: Option<Uuid>,
    pub stock_after: i64,
    pub created_at: DateTime<Utc>,
}

type TimeKey = (DateTime<Utc>, Uuid);

pub fn routes() -> Router<AppState> {
    Router::new().route("/products/{id}/stock-movements", get(list_movements))
}

#[utoipa::path(
    get, path = "/products/{id}/stock-movements", tag = "products",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Product id"),
        ("limit" = Option<i64>, Query, description = "1 to 100, default 20"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of movements, newest first", body = Page<StockMovement>),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown product", body = crate::error::Problem),
    )
)]
pub async fn list_movements(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<StockMovement>>> {
    let page: PageRequest<TimeKey> = PageRequest::parse(&query)?;
    if !exists(&state.db, id).await? {
        return Err(ApiError::NotFound);
    }
    let (before_time, before_id) = page.after.unzip();
    let rows: Vec<StockMovement> = sqlx::query_as(
        "SELECT id, delta, reason, order_id, purchase_order_id, actor_id, stock_after, created_at
         FROM inventory.stock_movements
         WHERE product_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
         ORDER BY created_at DESC, id DESC
         LIMIT $4",
    )
    .bind(id)
    .bind(before_time)
    .bind(before_id)
    .bind(page.fetch_limit())
    .fetch_all(&state.db)
    .await?;
    Ok(Json(Page::from_rows(rows, page.limit, |movement| {
        (movement.created_at, movement.id)
    })))
}
