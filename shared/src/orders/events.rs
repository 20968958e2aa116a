//! An order's timeline: who did what to it and when. Each event is written in the transaction
//! of the change it records, so the timeline never tells of a change that rolled back.
//! `GET /orders/{id}/events` (admin) reads it, oldest first.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult};
use crate::query::ApiPath;
use crate::state::AppState;

/// The kinds of event an order's timeline holds. The column is plain text, so a new kind
/// needs a variant here and nothing in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Created,
    Cancelled,
    Fulfilled,
    SummaryReady,
    SummaryFailed,
    SummarySkipped,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Cancelled => "cancelled",
            Self::Fulfilled => "fulfilled",
            Self::SummaryReady => "summary_ready",
            Self::SummaryFailed => "summary_failed",
            Self::SummarySkipped => "summary_skipped",
        }
    }

    /// The event a summary outcome is told by; `None` for states that are not an outcome
    /// (`pending`) or say nothing about this order (`disabled`: no provider configured).
    pub fn for_summary_status(status: &str) -> Option<Self> {
        match status {
            "ready" => Some(Self::SummaryReady),
            "failed" => Some(Self::SummaryFailed),
            "skipped" => Some(Self::SummarySkipped),
            _ => None,
        }
    }
}

/// Appends one event to an order's timeline, inside the caller's transaction.
/// `actor` is the account that acted; `None` for the system (the summary pipeline).
pub async fn record(
    tx: &mut PgConnection,
    order_id: Uuid,
    kind: EventType,
    actor: Option<Uuid>,
    data: Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO orders.order_events (id, order_id, type, actor_id, data)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(order_id)
    .bind(kind.as_str())
    .bind(actor)
    .bind(data)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Records the outcome a summary status stands for, if it is one (see
/// [`EventType::for_summary_status`]); the summary pipeline acts, so there is no actor.
pub async fn record_summary_outcome(
    tx: &mut PgConnection,
    order_id: Uuid,
    status: &str,
) -> Result<(), sqlx::Error> {
    match EventType::for_summary_status(status) {
        Some(kind) => record(tx, order_id, kind, None, Value::Object(Default::default())).await,
        None => Ok(()),
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrderEvent {
    /// `created`, `cancelled`, `fulfilled`, `summary_ready`, `summary_failed`, `summary_skipped`.
    #[serde(rename = "type")]
    #[sqlx(rename = "type")]
    #[schema(example = "cancelled")]
    pub kind: String,
    /// The account that acted; null for the system.
    pub actor_id: Option<Uuid>,
    /// Details of the event, e.g. `{"by": "customer"}` or `{"by": "staff"}` on `cancelled`.
    #[schema(value_type = Object)]
    pub data: Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrderEvents {
    pub items: Vec<OrderEvent>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders/{id}/events", get(list_events))
}

#[utoipa::path(
    get, path = "/orders/{id}/events", tag = "orders",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order's timeline, oldest first", body = OrderEvents),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "Unknown order", body = crate::error::Problem),
    )
)]
pub async fn list_events(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<OrderEvents>> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM orders.orders WHERE id = $1)")
            .bind(id)
            .fetch_one(&state.db)
            .await?;
    if !exists {
        return Err(ApiError::NotFound);
    }
    let items: Vec<OrderEvent> = sqlx::query_as(
        "SELECT type, actor_id, data, created_at FROM orders.order_events
         WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(OrderEvents { items }))
}
