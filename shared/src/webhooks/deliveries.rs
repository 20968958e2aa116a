//! `GET /webhooks/{id}/deliveries` (admin): what was sent to an endpoint and how it went,
//! newest first, optionally one status only.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::query::{ApiPath, ApiQuery};
use crate::state::AppState;

/// One event's delivery to one endpoint.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Delivery {
    pub id: Uuid,
    pub event_id: Uuid,
    #[serde(rename = "type")]
    #[schema(example = "order.created")]
    pub event_type: String,
    /// `pending` → `delivered` | `failed`.
    #[schema(example = "pending")]
    pub status: String,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    /// When the next attempt is due; `null` once delivered or failed.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub const DELIVERY_COLUMNS: &str = "d.id, d.event_id, e.type AS event_type, d.status, d.attempts, \
     d.last_status_code, d.last_error, \
     CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at, d.created_at";

pub const STATUSES: [&str; 3] = ["pending", "delivered", "failed"];

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `delivered` or `failed`.
    pub status: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/webhooks/{id}/deliveries", get(list_deliveries))
}

#[utoipa::path(
    get, path = "/webhooks/{id}/deliveries", tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id"), DeliveryQuery),
    responses(
        (status = 200, description = "A page of deliveries, newest first", body = Page<Delivery>),
        (status = 400, description = "Malformed query string", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid status, limit or cursor", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_deliveries(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(endpoint): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<DeliveryQuery>,
) -> ApiResult<Json<Page<Delivery>>> {
    let mut errors = FieldErrors::new();
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) if STATUSES.contains(&raw) => Some(raw.to_owned()),
        Some(_) => {
            errors.add("status", "must be `pending`, `delivered` or `failed`");
            None
        }
    };
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::parse(&PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    });
    let page = errors.into_result_with(page)?;
    if super::find_endpoint(&state.db, endpoint).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let (after_time, after_id) = page.after.unzip();
    let rows: Vec<Delivery> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS}
         FROM webhooks.deliveries d JOIN webhooks.events e ON e.id = d.event_id
         WHERE d.endpoint_id = $1
           AND ($2::text IS NULL OR d.status = $2)
           AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3, $4))
         ORDER BY d.created_at DESC, d.id DESC LIMIT $5"
    )))
    .bind(endpoint)
    .bind(status)
    .bind(after_time)
    .bind(after_id)
    .bind(page.fetch_limit())
    .fetch_all(&state.db)
    .await?;
    Ok(Json(Page::from_rows(rows, page.limit, |delivery| {
        (delivery.created_at, delivery.id)
    })))
}
