//! `GET /orders`: the caller's orders, or everyone's for an admin with `scope=all`;
//! newest first, keyset-paged, filtered by status, creation time and a search term.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::{CUSTOMER_COLUMNS, ORDER_COLUMNS, Order, OrderRow, assemble};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::products::list::escape_like;
use crate::query::ApiQuery;
use crate::state::AppState;

pub const MAX_SEARCH_CHARS: usize = 254;
/// The app shows an order by the last 8 characters of its id (the first ones of a time-ordered
/// id are alike for orders of the same minute); a search that long also matches an id's end.
pub const SHORT_ID_CHARS: usize = 8;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// `all`: every customer's orders (admin only). Default: the caller's own.
    pub scope: Option<String>,
    /// `confirmed`, `cancelled` or `fulfilled`.
    pub status: Option<String>,
    /// RFC 3339; orders created at or after this time.
    pub from: Option<String>,
    /// RFC 3339; orders created before this time.
    pub to: Option<String>,
    /// An order id prefix, the short id the app shows (the id's last 8 or more characters), or
    /// part of the customer's email; case-insensitive.
    pub q: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

type TimeKey = (DateTime<Utc>, Uuid);

/// The filters of one request, checked.
struct Filters {
    status: Option<&'static str>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    search: Option<String>,
}

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
        (status = 422, description = "Invalid scope, status, time bound, search, limit or cursor", body = crate::error::Problem),
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
    let mut errors = FieldErrors::new();
    let filters = parse_filters(&query, &mut errors);
    let page = PageRequest::<TimeKey>::parse(&PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    });
    // Filter and paging problems are reported together.
    let page = match page {
        Ok(page) => page,
        Err(ApiError::Validation(paging)) => {
            for error in paging.as_slice() {
                errors.add(error.field.clone(), error.message.clone());
            }
            return Err(ApiError::Validation(errors));
        }
        Err(other) => return Err(other),
    };
    errors.into_result()?;

    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {ORDER_COLUMNS}, {CUSTOMER_COLUMNS} FROM orders.orders WHERE true"
    ));
    if !everyone {
        sql.push(" AND user_id = ").push_bind(user.id);
    }
    if let Some(status) = filters.status {
        sql.push(" AND status = ").push_bind(status);
    }
    if let Some(from) = filters.from {
        sql.push(" AND created_at >= ").push_bind(from);
    }
    if let Some(to) = filters.to {
        sql.push(" AND created_at < ").push_bind(to);
    }
    if let Some(search) = &filters.search {
        let pattern = escape_like(&search.to_lowercase());
        sql.push(" AND (id::text LIKE ")
            .push_bind(format!("{pattern}%"));
        if search.chars().count() >= SHORT_ID_CHARS {
            sql.push(" OR id::text LIKE ")
                .push_bind(format!("%{pattern}"));
        }
        // Accounts are the auth domain's: the orders role asks its function, not the table.
        sql.push(" OR user_id IN (SELECT auth.accounts_with_email_like(")
            .push_bind(format!("%{pattern}%"))
            .push(")))");
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
    let orders: Vec<Order> = assemble(&state.db, rows)
        .await?
        .into_iter()
        .map(|order| order.seen_by(&user))
        .collect();
    Ok(Json(Page::from_rows(orders, page.limit, |order| {
        (order.created_at, order.id)
    })))
}

fn parse_filters(query: &OrderQuery, errors: &mut FieldErrors) -> Filters {
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("confirmed") => Some("confirmed"),
        Some("cancelled") => Some("cancelled"),
        Some("fulfilled") => Some("fulfilled"),
        Some(_) => {
            errors.add("status", "must be confirmed, cancelled or fulfilled");
            None
        }
    };
    let from = parse_time("from", query.from.as_deref(), errors);
    let to = parse_time("to", query.to.as_deref(), errors);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add("to", "must not be before `from`");
    }
    let search = query
        .q
        .as_deref()
        .map(|q| {
            q.trim()
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
        })
        .filter(|q| !q.is_empty());
    if search
        .as_deref()
        .is_some_and(|q| q.chars().count() > MAX_SEARCH_CHARS)
    {
        errors.add(
            "q",
            format!("must be at most {MAX_SEARCH_CHARS} characters"),
        );
    }
    Filters {
        status,
        from,
        to,
        search,
    }
}

fn parse_time(field: &str, raw: Option<&str>, errors: &mut FieldErrors) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|raw| !raw.is_empty())?;
    match DateTime::parse_from_rfc3339(raw) {
        Ok(time) => Some(time.with_timezone(&Utc)),
        Err(_) => {
            errors.add(
                field,
                "must be an RFC 3339 time such as 2026-12-01T00:00:00Z",
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(status: &str, from: &str, to: &str, q: &str) -> OrderQuery {
        let some = |value: &str| Some(value.to_owned());
        OrderQuery {
            status: some(status),
            from: some(from),
            to: some(to),
            q: some(q),
            ..OrderQuery::default()
        }
    }

    #[test]
    fn every_bad_filter_is_named() {
        let mut errors = FieldErrors::new();
        parse_filters(
            &query("shipped", "yesterday", "2026-13-01", ""),
            &mut errors,
        );
        let fields: Vec<&str> = errors.as_slice().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["status", "from", "to"]);
    }

    #[test]
    fn bounds_out_of_order_are_refused_and_offsets_understood() {
        let mut errors = FieldErrors::new();
        let filters = parse_filters(
            &query(
                "",
                "2026-12-01T02:00:00+02:00",
                "2026-12-01T00:00:00Z",
                " 0192 ",
            ),
            &mut errors,
        );
        assert!(errors.is_empty(), "equal instants are in order: {errors:?}");
        assert_eq!(filters.from, filters.to);
        assert_eq!(filters.search.as_deref(), Some("0192"));
        parse_filters(
            &query("", "2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z", ""),
            &mut errors,
        );
        assert_eq!(errors.as_slice().len(), 1);
    }
}
