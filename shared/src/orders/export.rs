//! `GET /orders/export.csv?from=&to=` (admin): one row per order line placed in a period (at
//! most 366 days), newest first, as a spreadsheet-safe CSV file.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::query::ApiQuery;
use crate::spreadsheet::{attachment, guard};
use crate::state::AppState;

pub const MAX_DAYS: i64 = 366;
pub const DEFAULT_DAYS: i64 = 30;

pub const COLUMNS: [&str; 12] = [
    "order_id",
    "created_at",
    "status",
    "customer_email",
    "line_no",
    "product_id",
    "sku",
    "name",
    "unit_price_cents",
    "quantity",
    "line_total_cents",
    "order_total_cents",
];

#[derive(Debug, Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Line {
    order_id: Uuid,
    created_at: DateTime<Utc>,
    status: String,
    customer_email: String,
    line_no: i32,
    product_id: Uuid,
    sku: String,
    name: String,
    unit_price_cents: i64,
    quantity: i64,
    line_total_cents: i64,
    order_total_cents: i64,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders/export.csv", get(export_orders))
}

/// `[from, to)`: `to` defaults to now and `from` to 30 days before `to`; at most 366 days.
fn period(query: &Period, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let mut errors = FieldErrors::new();
    let mut bound = |field: &str, raw: Option<&str>| {
        raw.and_then(|raw| match DateTime::parse_from_rfc3339(raw.trim()) {
            Ok(at) => Some(at.with_timezone(&Utc)),
            Err(_) => {
                errors.add(field, "must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z");
                None
            }
        })
    };
    let from = bound("from", query.from.as_deref());
    let to = bound("to", query.to.as_deref());
    errors.into_result()?;
    let to = to.unwrap_or(now);
    let from = from.unwrap_or(to - Duration::days(DEFAULT_DAYS));
    if from >= to {
        return Err(FieldErrors::single("from", "must be before `to`"));
    }
    if to - from > Duration::days(MAX_DAYS) {
        return Err(FieldErrors::single(
            "from",
            format!("the period may span at most {MAX_DAYS} days"),
        ));
    }
    Ok((from, to))
}

#[utoipa::path(
    get, path = "/orders/export.csv", tag = "orders",
    security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "RFC 3339, inclusive; default 30 days before `to`"),
        ("to" = Option<String>, Query, description = "RFC 3339, exclusive; default now; at most 366 days after `from`"),
    ),
    responses(
        (status = 200, description = "One row per order line, newest order first", content_type = "text/csv", body = String),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "Bad bounds, or a period over 366 days", body = crate::error::Problem),
    )
)]
pub async fn export_orders(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiQuery(query): ApiQuery<Period>,
) -> ApiResult<Response> {
    let (from, to) = period(&query, Utc::now())?;
    let lines: Vec<Line> = sqlx::query_as(
        // The email through the auth domain's function: the orders role cannot read accounts.
        "SELECT o.id AS order_id, o.created_at, o.status,
                auth.account_email(o.user_id) AS customer_email, l.line_no,
                l.product_id, l.sku, l.name, l.unit_price_cents, l.quantity, l.line_total_cents,
                o.total_cents AS order_total_cents
         FROM orders.orders o
         JOIN orders.order_lines l ON l.order_id = o.id
         WHERE o.created_at >= $1 AND o.created_at < $2
         ORDER BY o.created_at DESC, o.id DESC, l.line_no",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&state.db)
    .await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(internal)?;
    for line in lines {
        writer
            .write_record([
                line.order_id.to_string(),
                line.created_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                line.status,
                guard(&line.customer_email),
                line.line_no.to_string(),
                line.product_id.to_string(),
                guard(&line.sku),
                guard(&line.name),
                line.unit_price_cents.to_string(),
                line.quantity.to_string(),
                line.line_total_cents.to_string(),
                line.order_total_cents.to_string(),
            ])
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| internal(error.into_error()))?;
    Ok(attachment(bytes, "orders.csv"))
}

fn internal(error: impl Into<anyhow::Error>) -> ApiError {
    ApiError::Internal(error.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
        let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        period(
            &Period {
                from: from.map(str::to_owned),
                to: to.map(str::to_owned),
            },
            now,
        )
    }

    #[test]
    fn periods_default_to_thirty_days_and_stay_within_366() {
        let (from, to) = parse(None, None).expect("default");
        assert_eq!(to - from, Duration::days(30));
        assert!(parse(Some("2025-12-01T00:00:00Z"), Some("2026-12-02T00:00:00Z")).is_ok());
        assert!(parse(Some("2025-12-01T00:00:00Z"), Some("2026-12-02T00:00:01Z")).is_err());
        assert!(parse(Some("2026-12-01T00:00:00Z"), Some("2026-12-01T00:00:00Z")).is_err());
        assert!(parse(Some("yesterday"), None).is_err());
        assert!(parse(None, Some("2026-12-01")).is_err());
    }
}
