//! `GET /reports/sales?days=` (admin): orders, units, revenue and cancellations per UTC day
//! (oldest first, today last) and the products that sold best over those days.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::top_products::TopProduct;
use crate::auth::AdminUser;
use crate::error::{ApiResult, FieldErrors};
use crate::query::ApiQuery;
use crate::state::AppState;

pub const DEFAULT_DAYS: i32 = 30;
pub const MAX_DAYS: i32 = 366;

#[derive(Debug, Deserialize)]
pub struct SalesQuery {
    days: Option<String>,
}

#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SalesDay {
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub date: NaiveDate,
    /// Orders placed that day, cancelled ones included.
    pub orders: i64,
    /// Units sold in the day's orders that were not cancelled.
    pub units: i64,
    /// Revenue of the day's orders that were not cancelled.
    pub revenue_cents: i64,
    /// The day's orders that have been cancelled since.
    pub cancelled: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SalesReport {
    pub days: Vec<SalesDay>,
    /// At most 10, by revenue then units; cancelled orders left out.
    pub top_products: Vec<TopProduct>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/reports/sales", get(sales_report))
}

fn parse_days(raw: Option<&str>) -> Result<i32, crate::ApiError> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_DAYS);
    };
    match raw.trim().parse::<i32>() {
        Ok(days) if (1..=MAX_DAYS).contains(&days) => Ok(days),
        _ => Err(FieldErrors::single(
            "days",
            format!("must be an integer from 1 to {MAX_DAYS}"),
        )),
    }
}

#[utoipa::path(
    get, path = "/reports/sales", tag = "reports",
    security(("bearer" = [])),
    params(("days" = Option<i32>, Query, minimum = 1, maximum = 366, description = "UTC days up to today, 1 to 366, default 30")),
    responses(
        (status = 200, description = "Sales per day and the top products", body = SalesReport),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "`days` out of range", body = crate::error::Problem),
    )
)]
pub async fn sales_report(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    ApiQuery(query): ApiQuery<SalesQuery>,
) -> ApiResult<Json<SalesReport>> {
    let days = parse_days(query.days.as_deref())?;
    // One snapshot for both queries, so the chart and the top list agree.
    let mut tx = state.db.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let series: Vec<SalesDay> = sqlx::query_as(
        "WITH span AS (
             SELECT reports.day_of(now()) - ($1 - 1) AS first, reports.day_of(now()) AS last),
         totals AS (
             SELECT s.day, sum(s.orders) AS orders, sum(s.units) AS units,
                    sum(s.revenue_cents) AS revenue_cents, sum(s.cancelled) AS cancelled
             FROM reports.daily_sales s, span
             WHERE s.day BETWEEN span.first AND span.last
             GROUP BY s.day)
         SELECT d::date AS date, coalesce(t.orders, 0)::bigint AS orders,
                coalesce(t.units, 0)::bigint AS units,
                coalesce(t.revenue_cents, 0)::bigint AS revenue_cents,
                coalesce(t.cancelled, 0)::bigint AS cancelled
         FROM span, generate_series(span.first, span.last, interval '1 day') AS d
         LEFT JOIN totals t ON t.day = d::date
         ORDER BY d",
    )
    .bind(days)
    .fetch_all(&mut *tx)
    .await?;
    let (top_products, _) = super::top_products::top_products(&mut tx, days).await?;
    tx.commit().await?;
    Ok(Json(SalesReport {
        days: series,
        top_products,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_default_to_thirty_and_stay_within_a_year() {
        assert_eq!(parse_days(None).ok(), Some(30));
        assert_eq!(parse_days(Some("1")).ok(), Some(1));
        assert_eq!(parse_days(Some("366")).ok(), Some(366));
        for bad in ["0", "367", "-1", "ten", "", "1.5"] {
            assert!(parse_days(Some(bad)).is_err(), "{bad:?} is refused");
        }
    }
}
