//! `GET /purchase-orders?status=&limit=&cursor=` (admin): purchase orders, newest first.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{HEADER_COLUMNS, HeaderRow, PurchaseOrder, PurchaseOrderStatus, assemble};
use crate::auth::AdminUser;
use crate::error::{ApiResult, FieldErrors};
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::query::ApiQuery;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseOrderQuery {
    /// `open`, `received` or `cancelled`; all when left out.
    pub status: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

type TimeKey = (DateTime<Utc>, Uuid);

pub fn routes() -> Router<AppState> {
    Router::new().route("/purchase-orders", get(list_purchase_orders))
}

#[utoipa::path(
    get, path = "/purchase-orders", tag = "restock",
    security(("bearer" = [])),
    params(PurchaseOrderQuery),
    responses(
        (status = 200, description = "A page of purchase orders, newest first", body = Page<PurchaseOrder>),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "Invalid status, limit or cursor", body = crate::error::Problem),
    )
)]
pub async fn list_purchase_orders(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiQuery(query): ApiQuery<PurchaseOrderQuery>,
) -> ApiResult<Json<Page<PurchaseOrder>>> {
    let status =
        match query.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(PurchaseOrderStatus::parse(text).ok_or_else(|| {
                FieldErrors::single("status", "must be open, received or cancelled")
            })?),
        };
    let page: PageRequest<TimeKey> = PageRequest::parse(&PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    })?;
    let (before_time, before_id) = page.after.unzip();
    let headers: Vec<HeaderRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {HEADER_COLUMNS} FROM inventory.purchase_orders
         WHERE ($1::text IS NULL OR status = $1)
           AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
         ORDER BY created_at DESC, id DESC
         LIMIT $4"
    )))
    .bind(status.map(PurchaseOrderStatus::as_str))
    .bind(before_time)
    .bind(before_id)
    .bind(page.fetch_limit())
    .fetch_all(&state.db)
    .await?;
    let orders = assemble(headers, &state.db).await?;
    Ok(Json(Page::from_rows(orders, page.limit, |order| {
        (order.created_at, order.id)
    })))
}
