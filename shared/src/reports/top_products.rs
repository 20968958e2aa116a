//! The top products of `GET /reports/sales`: the 10 products with the most revenue over the
//! last `days` UTC days (cancelled orders left out), exactly, without summing a big
//! catalogue's day rows on every request.
//!
//! For the usual periods ([`SPANS`]) `reports.product_sales_spans` holds each product's totals
//! as of its last refresh (migration 0101). A report adds what the refresh could not hold (the
//! days since the day before it, less the days that left the period since, plus the changes to
//! older days it did not see), which gives every product's exact total as
//! `held + correction`. Only two kinds of product can then be in the top 10: the [`LEADERS`]
//! best held totals, and products with a positive correction big enough to pass the 10th best
//! leader. When the 10th best answer is above the last leader's held total, no other product
//! can be; otherwise (or for any other period) the day rows are summed as before.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// The periods, in days, that have held totals.
pub const SPANS: [i32; 5] = [7, 30, 90, 180, 366];
/// Held leaders read per report: a few index pages, and far more than 10 so that the bound
/// holds even when many products tie.
pub const LEADERS: i64 = 1000;
pub const TOP: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct TopProduct {
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub units: i64,
    pub revenue_cents: i64,
}

/// How an answer was found (for tests and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Spans,
    DayRows,
}

#[derive(sqlx::FromRow)]
struct Ranked {
    #[sqlx(flatten)]
    product: TopProduct,
    leaders: i64,
    floor: Option<i64>,
}

/// The top products over the last `days` days, most revenue first (then units, then id).
pub async fn top_products(
    db: &mut PgConnection,
    days: i32,
) -> Result<(Vec<TopProduct>, Read), sqlx::Error> {
    if SPANS.contains(&days) {
        let ranked: Vec<Ranked> = sqlx::query_as(FROM_SPANS)
            .bind(days)
            .bind(LEADERS)
            .bind(TOP)
            .fetch_all(&mut *db)
            .await?;
        if bound_holds(&ranked) {
            return Ok((ranked.into_iter().map(|r| r.product).collect(), Read::Spans));
        }
    }
    Ok((from_day_rows(db, days).await?, Read::DayRows))
}

/// Whether no product outside the answer can beat it: every held product was read, or the
/// 10th answer has more revenue than any product that was not (the last leader's held total,
/// which only a positive correction, always read, could raise).
fn bound_holds(ranked: &[Ranked]) -> bool {
    let Some(last) = ranked.last() else {
        // Nothing held, or nothing sold: the day rows say which.
        return false;
    };
    if last.leaders < LEADERS {
        return true;
    }
    ranked.len() as i64 == TOP
        && last
            .floor
            .is_some_and(|floor| last.product.revenue_cents > floor)
}

/// The sum over the period's day rows: every period, and the answer the spans must equal.
pub async fn from_day_rows(
    db: &mut PgConnection,
    days: i32,
) -> Result<Vec<TopProduct>, sqlx::Error> {
    // Summing a year of a big catalogue's product rows needs more than the default 4 MB of
    // hash table; without it the aggregate spills to disk.
    sqlx::query("SET LOCAL work_mem = '32MB'")
        .execute(&mut *db)
        .await?;
    sqlx::query_as(
        "WITH sold AS (
             SELECT product_id, sum(units)::bigint AS units, sum(revenue_cents)::bigint AS revenue_cents
             FROM reports.daily_product_sales
             WHERE day >= reports.day_of(now()) - ($1 - 1)
             GROUP BY product_id
             HAVING sum(units) > 0
             ORDER BY revenue_cents DESC, units DESC, product_id
             LIMIT $2)
         SELECT sold.product_id, p.sku, p.name, sold.units, sold.revenue_cents
         FROM sold JOIN inventory.products p ON p.id = sold.product_id
         ORDER BY sold.revenue_cents DESC, sold.units DESC, sold.product_id",
    )
    .bind(days)
    .bind(TOP)
    .fetch_all(db)
    .await
}

/// `$1` the span, `$2` [`LEADERS`], `$3` [`TOP`]. A span holds the days
/// `as_of - ($1 - 1) .. as_of - 2`; the period is `today - ($1 - 1) .. today`.
const FROM_SPANS: &str = "
WITH state AS (
    SELECT as_of, seen FROM reports.product_sales_span_state WHERE span = $1),
today AS (SELECT reports.day_of(now()) AS day),
corrections AS (
    -- The days after those held, up to today.
    SELECT d.product_id, d.units, d.revenue_cents
    FROM reports.daily_product_sales d, state, today
    WHERE d.day >= greatest(state.as_of - 1, today.day - ($1 - 1))
    UNION ALL
    -- Held days that have left the period since the refresh.
    SELECT d.product_id, -d.units, -d.revenue_cents
    FROM reports.daily_product_sales d, state, today
    WHERE d.day BETWEEN state.as_of - ($1 - 1) AND least(state.as_of - 2, today.day - $1)
    UNION ALL
    -- Changes to held days that the refresh did not see.
    SELECT c.product_id, c.units, c.revenue_cents
    FROM reports.product_sales_changes c, state
    WHERE c.day BETWEEN state.as_of - ($1 - 1) AND state.as_of - 2
      AND NOT pg_visible_in_snapshot(c.xid, state.seen)),
delta AS (
    SELECT product_id, sum(units)::bigint AS units, sum(revenue_cents)::bigint AS revenue_cents
    FROM corrections GROUP BY product_id),
leaders AS (
    SELECT product_id, units, revenue_cents FROM reports.product_sales_spans
    WHERE span = $1 ORDER BY revenue_cents DESC, units DESC, product_id LIMIT $2),
floor AS (SELECT count(*) AS leaders, min(revenue_cents) AS revenue_cents FROM leaders),
leaders_now AS (
    SELECT l.product_id, l.units + coalesce(d.units, 0) AS units,
           l.revenue_cents + coalesce(d.revenue_cents, 0) AS revenue_cents
    FROM leaders l LEFT JOIN delta d ON d.product_id = l.product_id),
bar AS (
    SELECT revenue_cents FROM leaders_now WHERE units > 0
    ORDER BY revenue_cents DESC, units DESC, product_id OFFSET $3 - 1 LIMIT 1),
-- Any other product holds at most the floor: only a correction that lifts it past the bar
-- could bring it in.
risers AS (
    SELECT d.product_id, coalesce(s.units, 0) + d.units AS units,
           coalesce(s.revenue_cents, 0) + d.revenue_cents AS revenue_cents
    FROM delta d
    LEFT JOIN reports.product_sales_spans s ON s.span = $1 AND s.product_id = d.product_id
    WHERE (d.units > 0 OR d.revenue_cents > 0)
      AND NOT EXISTS (SELECT 1 FROM leaders l WHERE l.product_id = d.product_id)
      AND (NOT EXISTS (SELECT 1 FROM bar)
           OR coalesce((SELECT revenue_cents FROM floor), 0) + d.revenue_cents
              >= (SELECT revenue_cents FROM bar))),
top AS (
    SELECT product_id, units, revenue_cents
    FROM (SELECT * FROM leaders_now UNION ALL SELECT * FROM risers) exact
    WHERE units > 0
    ORDER BY revenue_cents DESC, units DESC, product_id LIMIT $3)
SELECT top.product_id, p.sku, p.name, top.units, top.revenue_cents,
       (SELECT leaders FROM floor) AS leaders, (SELECT revenue_cents FROM floor) AS floor
FROM top JOIN inventory.products p ON p.id = top.product_id
ORDER BY top.revenue_cents DESC, top.units DESC, top.product_id";

/// Refreshes the spans when the UTC day has changed since the last refresh (outbox-relay, every
/// run; `reports.rebuild()` does it too). One refresh at a time: a run that finds another one
/// under way leaves it to that one. Returns whether it refreshed.
pub async fn refresh_if_stale(db: &sqlx::PgPool) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let locked: bool = sqlx::query_scalar(
        "SELECT pg_try_advisory_xact_lock(hashtext('reports.product_sales_spans'))",
    )
    .fetch_one(&mut *tx)
    .await?;
    if !locked {
        return Ok(false);
    }
    let stale: bool = sqlx::query_scalar(
        "SELECT count(*) < $1 OR coalesce(min(as_of) < reports.day_of(now()), true)
         FROM reports.product_sales_span_state",
    )
    .bind(SPANS.len() as i64)
    .fetch_one(&mut *tx)
    .await?;
    if !stale {
        return Ok(false);
    }
    // A separate statement from the lock: the refresh's one snapshot is taken after it.
    sqlx::query("SELECT reports.refresh_product_spans()")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(revenue: &[i64], leaders: i64, floor: i64) -> Vec<Ranked> {
        revenue
            .iter()
            .map(|&revenue_cents| Ranked {
                product: TopProduct {
                    product_id: Uuid::nil(),
                    sku: String::new(),
                    name: String::new(),
                    units: 1,
                    revenue_cents,
                },
                leaders,
                floor: Some(floor),
            })
            .collect()
    }

    #[test]
    fn the_bound_holds_only_above_the_last_leader() {
        let ten: Vec<i64> = (0..10).map(|i| 1000 - i).collect();
        assert!(bound_holds(&ranked(&ten, LEADERS, 990)));
        assert!(
            !bound_holds(&ranked(&ten, LEADERS, 991)),
            "a tie may hide one"
        );
        assert!(
            !bound_holds(&ranked(&ten[..9], LEADERS, 5)),
            "fewer than 10"
        );
        assert!(
            bound_holds(&ranked(&ten[..3], 40, 5)),
            "every held product read"
        );
        assert!(!bound_holds(&[]), "nothing held");
    }
}
