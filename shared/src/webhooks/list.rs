//! `GET /webhooks` (admin): the endpoints, newest first, without their secrets.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{ENDPOINT_COLUMNS, Endpoint};
use crate::auth::AdminUser;
use crate::error::ApiResult;
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::query::ApiQuery;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EndpointQuery {
    /// 1 to 100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/webhooks", get(list_endpoints))
}

#[utoipa::path(
    get, path = "/webhooks", tag = "webhooks",
    security(("bearer" = [])),
    params(EndpointQuery),
    responses(
        (status = 200, description = "A page of endpoints, newest first", body = Page<Endpoint>),
        (status = 400, description = "Malformed query string", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_endpoints(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiQuery(query): ApiQuery<EndpointQuery>,
) -> ApiResult<Json<Page<Endpoint>>> {
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::parse(&PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    })?;
    let (after_time, after_id) = page.after.unzip();
    let rows: Vec<Endpoint> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhooks.endpoints
         WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1, $2)
         ORDER BY created_at DESC, id DESC LIMIT $3"
    )))
    .bind(after_time)
    .bind(after_id)
    .bind(page.fetch_limit())
    .fetch_all(&state.db)
    .await?;
    Ok(Json(Page::from_rows(rows, page.limit, |endpoint| {
        (endpoint.created_at, endpoint.id)
    })))
}
