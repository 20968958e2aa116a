//! The restock rule, deterministic and free of I/O so that each clause is tested on its own.
//!
//! - Daily sales: units of the last [`SALES_WINDOW_DAYS`] days' confirmed and fulfilled orders,
//!   divided by that many days.
//! - Available: stock plus incoming (open purchase orders, not yet received).
//! - Days of cover: available / daily sales; `None` without sales.
//! - A product is suggested when available covers less than [`COVER_DAYS`] days of sales, or its
//!   stock is at or below its low-stock threshold.
//! - Suggested quantity: what lifts available to [`ORDER_FOR_DAYS`] days of sales and above the
//!   threshold, at least the product's reorder quantity; 0 when incoming already covers that.
//! - Most urgent first: fewest days of cover (no sales last), then least available, then sku.

use std::cmp::Ordering;

use serde::Serialize;
use uuid::Uuid;

pub const SALES_WINDOW_DAYS: i64 = 28;
pub const COVER_DAYS: i64 = 14;
pub const ORDER_FOR_DAYS: i64 = 28;

/// What the rule needs to know about one product.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProductFacts {
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub stock: i64,
    pub incoming: i64,
    pub low_stock_threshold: i64,
    pub reorder_quantity: i64,
    /// Units of confirmed and fulfilled orders in the sales window.
    pub units_sold: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub stock: i64,
    pub incoming: i64,
    /// Units a day over the last 28 days.
    pub daily_sales: f64,
    /// (stock + incoming) / daily_sales; null without sales.
    pub days_of_cover: Option<f64>,
    pub suggested_quantity: i64,
    /// Why the product is on the list, in words.
    pub reason: String,
}

/// The suggestion for one product, or `None` when it needs nothing.
pub fn suggest(facts: &ProductFacts) -> Option<Suggestion> {
    let available = facts.stock + facts.incoming;
    // Compared in whole units (available < 14/28 × sold) so no rounding decides a boundary.
    let short_of_cover =
        facts.units_sold > 0 && available * SALES_WINDOW_DAYS < COVER_DAYS * facts.units_sold;
    let at_threshold = facts.stock <= facts.low_stock_threshold;
    if !short_of_cover && !at_threshold {
        return None;
    }
    let daily_sales = facts.units_sold as f64 / SALES_WINDOW_DAYS as f64;
    let days_of_cover = (facts.units_sold > 0).then(|| available as f64 / daily_sales);
    // Sales of ORDER_FOR_DAYS days, rounded up to whole units.
    let period_sales =
        (facts.units_sold * ORDER_FOR_DAYS + SALES_WINDOW_DAYS - 1) / SALES_WINDOW_DAYS;
    let target = period_sales.max(facts.low_stock_threshold + 1);
    let shortfall = (target - available).max(0);
    let suggested_quantity = if shortfall > 0 {
        shortfall.max(facts.reorder_quantity)
    } else {
        0
    };

    let mut reasons = Vec::new();
    if short_of_cover {
        reasons.push(match days_of_cover {
            Some(days) if available > 0 => {
                format!("{days:.1} days of cover, under {COVER_DAYS} days of sales")
            }
            _ => format!("none available while selling {daily_sales:.2} a day"),
        });
    }
    if at_threshold {
        reasons.push(format!(
            "stock {} at or below its threshold of {}",
            facts.stock, facts.low_stock_threshold
        ));
    }
    if suggested_quantity == 0 {
        reasons.push(format!("covered by {} incoming", facts.incoming));
    }
    Some(Suggestion {
        product_id: facts.product_id,
        sku: facts.sku.clone(),
        name: facts.name.clone(),
        stock: facts.stock,
        incoming: facts.incoming,
        daily_sales,
        days_of_cover,
        suggested_quantity,
        reason: reasons.join("; "),
    })
}

/// Every product's suggestion, most urgent first.
pub fn suggest_all(facts: &[ProductFacts]) -> Vec<Suggestion> {
    let mut suggestions: Vec<Suggestion> = facts.iter().filter_map(suggest).collect();
    suggestions.sort_by(most_urgent_first);
    suggestions
}

fn most_urgent_first(a: &Suggestion, b: &Suggestion) -> Ordering {
    let cover = |s: &Suggestion| s.days_of_cover.unwrap_or(f64::INFINITY);
    cover(a)
        .total_cmp(&cover(b))
        .then((a.stock + a.incoming).cmp(&(b.stock + b.incoming)))
        .then_with(|| a.sku.cmp(&b.sku))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(sku: &str, stock: i64, incoming: i64, threshold: i64, sold: i64) -> ProductFacts {
        ProductFacts {
            product_id: Uuid::nil(),
            sku: sku.into(),
            name: sku.into(),
            stock,
            incoming,
            low_stock_threshold: threshold,
            reorder_quantity: 0,
            units_sold: sold,
        }
    }

    #[test]
    fn fourteen_days_of_cover_is_the_boundary() {
        // 56 sold in 28 days: 2 a day; 14 days are 28 units.
        assert!(suggest(&facts("A", 28, 0, 0, 56)).is_none());
        let short = suggest(&facts("A", 27, 0, 0, 56)).expect("suggested");
        assert_eq!(short.days_of_cover, Some(13.5));
        assert_eq!(short.daily_sales, 2.0);
        assert_eq!(short.suggested_quantity, 56 - 27);
    }

    #[test]
    fn incoming_counts_as_cover() {
        assert!(suggest(&facts("A", 10, 18, 0, 56)).is_none());
        let short = suggest(&facts("A", 10, 17, 0, 56)).expect("suggested");
        assert_eq!(short.suggested_quantity, 56 - 27);
    }

    #[test]
    fn at_threshold_without_sales_is_lifted_above_it() {
        let low = suggest(&facts("A", 5, 0, 5, 0)).expect("suggested");
        assert_eq!(low.days_of_cover, None);
        assert_eq!(low.suggested_quantity, 1);
        assert!(low.reason.contains("threshold"), "{}", low.reason);
        assert!(suggest(&facts("A", 6, 0, 5, 0)).is_none());
    }

    #[test]
    fn reorder_quantity_is_the_least_suggested() {
        let mut product = facts("A", 0, 0, 5, 28);
        product.reorder_quantity = 100;
        assert_eq!(suggest(&product).expect("s").suggested_quantity, 100);
        product.reorder_quantity = 3;
        assert_eq!(suggest(&product).expect("s").suggested_quantity, 28);
    }

    #[test]
    fn covered_by_incoming_suggests_nothing_more() {
        let mut product = facts("A", 2, 50, 5, 0);
        product.reorder_quantity = 100;
        let covered = suggest(&product).expect("still at threshold");
        assert_eq!(covered.suggested_quantity, 0);
        assert!(covered.reason.contains("covered by 50 incoming"));
    }

    #[test]
    fn most_urgent_first() {
        let list = suggest_all(&[
            facts("NO-SALES", 0, 0, 5, 0),
            facts("TEN-DAYS", 20, 0, 0, 56),
            facts("ONE-DAY", 2, 0, 0, 56),
            facts("NO-SALES-LOW", 3, 0, 5, 0),
            facts("FINE", 100, 0, 5, 56),
        ]);
        let order: Vec<&str> = list.iter().map(|s| s.sku.as_str()).collect();
        assert_eq!(order, ["ONE-DAY", "TEN-DAYS", "NO-SALES", "NO-SALES-LOW"]);
    }
}
