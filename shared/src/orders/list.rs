//! `GET /orders`: the caller's orders, or everyone's for an admin with `scope=all`;
//! newest first, keyset-paged.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::{ORDER_COLUMNS, Order, OrderRow, assemble};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::query::ApiQuery;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// `all`: every customer's orders (admin only). Default: the caller's own.
    pub scope: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

type TimeKey = (DateTime<Utc>, Uuid);

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders", get(list_orders))
}

#[utoipa::path(
    get, path = "/orders", tag = "orders",
    security(("bearer" = [])),
    params(OrderQuery),
    responses(
        (status = 200, description = "A page of orders, newest first", body = Page<Order>),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "`scope=all` for a customer", body = crate::error::Problem),
        (status = 422, description = "Invalid scope, limit or cursor", body = crate::error::Problem),
    )
)]
pub async fn list_orders(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(query): ApiQuery<OrderQuery>,
) -> ApiResult<Json<Page<Order>>> {
    let everyone = match query.scope.as_deref() {
        None | Some("") | Some("mine") => false,
        Some("all") if user.is_admin() => true,
        Some("all") => return Err(ApiError::Forbidden("Only admins can list every order.")),
        Some(_) => return Err(FieldErrors::single("scope", "must be `all` or left out")),
    };
    let page: PageRequest<TimeKey> = PageRequest::parse(&PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    })?;

    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {ORDER_COLUMNS} FROM orders.orders WHERE true"
    ));
    if !everyone {
        sql.push(" AND user_id = ").push_bind(user.id);
    }
    if let Some((created_at, id)) = page.after {
        sql.push(" AND (created_at, id) < (")
            .push_bind(created_at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    sql.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(page.fetch_limit());
    let rows: Vec<OrderRow> = sql.build_query_as().fetch_all(&state.db).await?;
    let orders = assemble(&state.db, rows).await?;
    Ok(Json(Page::from_rows(orders, page.limit, |order| {
        (order.created_at, order.id)
    })))
}
