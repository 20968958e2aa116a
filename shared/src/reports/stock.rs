//! `GET /reports/stock` (admin): how much is on the shelf and on its way, where the order
//! summaries stand, and the day's AI spend.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::auth::AdminUser;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SummaryCounts {
    pub pending: i64,
    pub ready: i64,
    pub failed: i64,
    pub skipped: i64,
    pub disabled: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StockReport {
    /// Active (not archived) products.
    pub products: i64,
    /// Active products at or below their low-stock threshold (out-of-stock ones included).
    pub low_stock: i64,
    /// Active products with no stock at all.
    pub out_of_stock: i64,
    /// Σ stock × price over active products.
    pub stock_value_cents: i64,
    /// Units on open purchase orders not yet received.
    pub incoming_units: i64,
    /// Orders by summary status.
    pub summaries: SummaryCounts,
    /// The UTC day's AI spend against its budget.
    pub ai: AiSpend,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AiSpend {
    /// Provider-reported cost of the UTC day so far, US dollars: order summaries and restock
    /// notes together.
    pub spent_today_usd: f64,
    /// `AI_DAILY_BUDGET_USD`; null when no budget is set.
    pub daily_budget_usd: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct Shelf {
    products: i64,
    low_stock: i64,
    out_of_stock: i64,
    stock_value_cents: i64,
    incoming_units: i64,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/reports/stock", get(stock_report))
}

#[utoipa::path(
    get, path = "/reports/stock", tag = "reports",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stock and summary pipeline figures", body = StockReport),
        (status = 401, description = "No valid token", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
    )
)]
pub async fn stock_report(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
) -> ApiResult<Json<StockReport>> {
    let mut tx = state.db.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let shelf: Shelf = sqlx::query_as(
        "SELECT count(*) AS products,
                count(*) FILTER (WHERE low_stock) AS low_stock,
                count(*) FILTER (WHERE stock = 0) AS out_of_stock,
                coalesce(sum(stock * price_cents), 0)::bigint AS stock_value_cents,
                (SELECT coalesce(sum(l.quantity - l.received), 0)::bigint
                 FROM inventory.purchase_order_lines l
                 JOIN inventory.purchase_orders po ON po.id = l.purchase_order_id
                 WHERE po.status = 'open') AS incoming_units
         FROM inventory.products WHERE archived_at IS NULL",
    )
    .fetch_one(&mut *tx)
    .await?;
    let summaries: SummaryCounts = sqlx::query_as(
        "SELECT coalesce(sum(orders) FILTER (WHERE status = 'pending'), 0)::bigint AS pending,
                coalesce(sum(orders) FILTER (WHERE status = 'ready'), 0)::bigint AS ready,
                coalesce(sum(orders) FILTER (WHERE status = 'failed'), 0)::bigint AS failed,
                coalesce(sum(orders) FILTER (WHERE status = 'skipped'), 0)::bigint AS skipped,
                coalesce(sum(orders) FILTER (WHERE status = 'disabled'), 0)::bigint AS disabled
         FROM reports.summary_counts",
    )
    .fetch_one(&mut *tx)
    .await?;
    let spent = crate::summary::spend::spent_today(&mut *tx).await?;
    tx.commit().await?;
    Ok(Json(StockReport {
        products: shelf.products,
        low_stock: shelf.low_stock,
        out_of_stock: shelf.out_of_stock,
        stock_value_cents: shelf.stock_value_cents,
        incoming_units: shelf.incoming_units,
        summaries,
        ai: AiSpend {
            spent_today_usd: spent.cost_usd,
            daily_budget_usd: state.ai_daily_budget_usd,
        },
    }))
}
