//! The flag rules: plain code over [`OrderFacts`], so every flag can be explained and tested,
//! and the model only ever words what these rules found. The README's AI section lists them.

use super::facts::{HISTORY_ORDERS, OrderFacts};
use super::flags::Flag;

/// A line of at least this many units of one product is a bulk order worth a look.
pub const LARGE_QUANTITY: i64 = 20;
/// A total this many times the customer's usual (mean of kept orders) is unusual...
pub const UNUSUAL_TOTAL_FACTOR: i64 = 3;
/// ...once there are this many kept orders to compare with.
pub const UNUSUAL_TOTAL_MIN_HISTORY: i64 = 2;
/// Without such a history, a total from this amount up is unusual (1,000.00).
pub const UNUSUAL_TOTAL_WITHOUT_HISTORY_CENTS: i64 = 100_000;
/// Earlier cancellations from this many on.
pub const REPEAT_CANCELLATIONS: i64 = 2;
/// Stock left that lasts fewer days than this at the recent rate (and is not yet low or out).
pub const LOW_COVER_DAYS: f64 = 7.0;

/// Every code a flag can carry, in the order flags are listed.
pub const CODES: &[&str] = &[
    "stock_out",
    "low_stock",
    "low_cover",
    "large_quantity",
    "archived_product",
    "first_order",
    "unusual_total",
    "repeat_cancellations",
];

/// The flags of an order, in [`CODES`] order, one per code at most; each detail names the
/// lines and figures behind it.
pub fn flags(facts: &OrderFacts) -> Vec<Flag> {
    let mut flags = Vec::new();
    let skus = |keep: &dyn Fn(&super::facts::LineFacts) -> bool| -> Vec<String> {
        facts
            .lines
            .iter()
            .filter(|line| keep(line))
            .map(|line| line.sku.clone())
            .collect()
    };
    let out = skus(&|line| line.stock_after_order <= 0);
    if !out.is_empty() {
        flags.push(Flag::new(
            "stock_out",
            format!("No stock left after this order: {}.", out.join(", ")),
        ));
    }
    let low: Vec<String> = facts
        .lines
        .iter()
        .filter(|line| line.stock_after_order > 0 && line.low_after_order())
        .map(|line| {
            format!(
                "{} ({} left, threshold {})",
                line.sku, line.stock_after_order, line.low_stock_threshold
            )
        })
        .collect();
    if !low.is_empty() {
        flags.push(Flag::new(
            "low_stock",
            format!("At or below the low-stock threshold: {}.", low.join(", ")),
        ));
    }
    let short: Vec<String> = facts
        .lines
        .iter()
        .filter(|line| line.stock_after_order > 0 && !line.low_after_order())
        .filter_map(|line| {
            let days = line.days_of_cover()?;
            (days < LOW_COVER_DAYS).then(|| format!("{} ({days:.1} days)", line.sku))
        })
        .collect();
    if !short.is_empty() {
        flags.push(Flag::new(
            "low_cover",
            format!(
                "Stock lasts under {LOW_COVER_DAYS} days at recent sales: {}.",
                short.join(", ")
            ),
        ));
    }
    let large: Vec<String> = facts
        .lines
        .iter()
        .filter(|line| line.quantity >= LARGE_QUANTITY)
        .map(|line| format!("{} x {}", line.quantity, line.sku))
        .collect();
    if !large.is_empty() {
        flags.push(Flag::new(
            "large_quantity",
            format!(
                "{LARGE_QUANTITY} or more units of one product: {}.",
                large.join(", ")
            ),
        ));
    }
    let archived = skus(&|line| line.archived);
    if !archived.is_empty() {
        flags.push(Flag::new(
            "archived_product",
            format!("Archived since: {}.", archived.join(", ")),
        ));
    }
    let history = &facts.customer;
    if history.previous_orders == 0 {
        flags.push(Flag::new("first_order", "The customer's first order."));
    }
    if let Some(detail) = unusual_total(facts) {
        flags.push(Flag::new("unusual_total", detail));
    }
    if history.cancelled_orders >= REPEAT_CANCELLATIONS {
        flags.push(Flag::new(
            "repeat_cancellations",
            if history.previous_orders >= HISTORY_ORDERS {
                format!(
                    "{} of the customer's last {HISTORY_ORDERS} orders were cancelled.",
                    history.cancelled_orders
                )
            } else {
                format!(
                    "{} of the customer's {} earlier orders were cancelled.",
                    history.cancelled_orders, history.previous_orders
                )
            },
        ));
    }
    flags
}

fn unusual_total(facts: &OrderFacts) -> Option<String> {
    let history = &facts.customer;
    match history.average_total_cents {
        Some(average) if history.kept_orders >= UNUSUAL_TOTAL_MIN_HISTORY => {
            (facts.total_cents >= UNUSUAL_TOTAL_FACTOR * average.max(1)).then(|| {
                format!(
                    "Total {} is at least {UNUSUAL_TOTAL_FACTOR} times the customer's usual {}.",
                    money(facts.total_cents),
                    money(average)
                )
            })
        }
        _ => (facts.total_cents >= UNUSUAL_TOTAL_WITHOUT_HISTORY_CENTS).then(|| {
            format!(
                "Total {} from a customer with little history.",
                money(facts.total_cents)
            )
        }),
    }
}

pub fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::facts::{CustomerHistory, LineFacts};

    fn line(sku: &str, quantity: i64, stock_after: i64, threshold: i64) -> LineFacts {
        LineFacts {
            sku: sku.into(),
            name: format!("{sku} name"),
            quantity,
            unit_price_cents: 1000,
            line_total_cents: 1000 * quantity,
            stock_after_order: stock_after,
            stock_now: stock_after,
            low_stock_threshold: threshold,
            archived: false,
            daily_sales: 0.0,
        }
    }

    fn facts(lines: Vec<LineFacts>, customer: CustomerHistory) -> OrderFacts {
        OrderFacts {
            order_id: uuid::Uuid::nil(),
            status: "confirmed".into(),
            total_cents: lines.iter().map(|line| line.line_total_cents).sum(),
            created_at: chrono::Utc::now(),
            lines,
            customer,
        }
    }

    fn regular() -> CustomerHistory {
        CustomerHistory {
            previous_orders: 4,
            cancelled_orders: 0,
            average_total_cents: Some(5000),
            kept_orders: 4,
        }
    }

    fn codes(flags: &[Flag]) -> Vec<&str> {
        flags.iter().map(|flag| flag.code.as_str()).collect()
    }

    #[test]
    fn a_quiet_order_has_no_flags() {
        assert!(flags(&facts(vec![line("MUG", 2, 40, 5)], regular())).is_empty());
    }

    #[test]
    fn stock_rules_look_at_stock_after_the_order() {
        let found = flags(&facts(
            vec![line("A", 1, 0, 5), line("B", 1, 5, 5), line("C", 1, 6, 5)],
            regular(),
        ));
        assert_eq!(codes(&found), ["stock_out", "low_stock"]);
        assert!(found[1].detail.contains("B (5 left, threshold 5)"));
    }

    #[test]
    fn cover_counts_only_products_with_recent_sales_that_are_not_already_low() {
        let mut fast = line("FAST", 1, 30, 5);
        fast.daily_sales = 10.0;
        let mut slow = line("SLOW", 1, 30, 5);
        slow.daily_sales = 1.0;
        let found = flags(&facts(vec![fast, slow], regular()));
        assert_eq!(codes(&found), ["low_cover"]);
        assert!(found[0].detail.contains("FAST (3.0 days)"), "{found:?}");
    }

    #[test]
    fn history_rules() {
        let mut first = regular();
        first.previous_orders = 0;
        first.kept_orders = 0;
        first.average_total_cents = None;
        assert_eq!(
            codes(&flags(&facts(vec![line("A", 1, 50, 5)], first.clone()))),
            ["first_order"]
        );
        assert_eq!(
            codes(&flags(&facts(vec![line("A", 100, 500, 5)], first))),
            ["large_quantity", "first_order", "unusual_total"]
        );
        let big = facts(vec![line("A", 15, 50, 5)], regular());
        assert_eq!(codes(&flags(&big)), ["unusual_total"]);
        let mut canceller = regular();
        canceller.cancelled_orders = 2;
        assert_eq!(
            codes(&flags(&facts(vec![line("A", 1, 50, 5)], canceller))),
            ["repeat_cancellations"]
        );
    }

    #[test]
    fn a_full_history_is_named_as_the_latest_orders() {
        let mut busy = regular();
        busy.previous_orders = HISTORY_ORDERS;
        busy.kept_orders = HISTORY_ORDERS - 3;
        busy.cancelled_orders = 3;
        let found = flags(&facts(vec![line("A", 1, 50, 5)], busy));
        assert_eq!(
            found[0].detail,
            format!("3 of the customer's last {HISTORY_ORDERS} orders were cancelled.")
        );
        let found = flags(&facts(vec![line("A", 1, 50, 5)], {
            let mut few = regular();
            few.cancelled_orders = 2;
            few
        }));
        assert_eq!(
            found[0].detail,
            "2 of the customer's 4 earlier orders were cancelled."
        );
    }
}
