//! The catalogue's field rules (API contract), shared by create and update.

use crate::error::FieldErrors;

pub const MAX_SKU_CHARS: usize = 64;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
pub const MAX_PRICE_CENTS: i64 = 100_000_000;
pub const MAX_STOCK: i64 = 1_000_000_000;
pub const MAX_THRESHOLD: i64 = 1_000_000_000;
pub const MAX_REORDER_QUANTITY: i64 = 1_000_000_000;

pub fn sku(errors: &mut FieldErrors, sku: &str) {
    let valid = (1..=MAX_SKU_CHARS).contains(&sku.len())
        && sku
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        errors.add(
            "sku",
            format!("must be 1 to {MAX_SKU_CHARS} characters of A-Z, a-z, 0-9, '-' and '_'"),
        );
    }
}

pub fn name(errors: &mut FieldErrors, name: &str) {
    let chars = name.chars().count();
    if name.trim().is_empty() || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        errors.add(
            "name",
            format!("must be 1 to {MAX_NAME_CHARS} characters, without control characters"),
        );
    }
}

pub fn description(errors: &mut FieldErrors, description: Option<&str>) {
    let Some(text) = description else { return };
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.add(
            "description",
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
        );
    } else if text.contains('\0') {
        // Postgres text cannot hold NUL.
        errors.add("description", "must not contain NUL characters");
    }
}

pub fn price(errors: &mut FieldErrors, price_cents: i64) {
    if !(0..=MAX_PRICE_CENTS).contains(&price_cents) {
        errors.add(
            "price_cents",
            format!("must be from 0 to {MAX_PRICE_CENTS}"),
        );
    }
}

pub fn stock(errors: &mut FieldErrors, stock: i64) {
    if !(0..=MAX_STOCK).contains(&stock) {
        errors.add("stock", format!("must be from 0 to {MAX_STOCK}"));
    }
}

pub fn threshold(errors: &mut FieldErrors, threshold: i64) {
    if !(0..=MAX_THRESHOLD).contains(&threshold) {
        errors.add(
            "low_stock_threshold",
            format!("must be from 0 to {MAX_THRESHOLD}"),
        );
    }
}

pub fn reorder_quantity(errors: &mut FieldErrors, quantity: i64) {
    if !(0..=MAX_REORDER_QUANTITY).contains(&quantity) {
        errors.add(
            "reorder_quantity",
            format!("must be from 0 to {MAX_REORDER_QUANTITY}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(rule: impl Fn(&mut FieldErrors)) -> bool {
        let mut errors = FieldErrors::new();
        rule(&mut errors);
        errors.is_empty()
    }

    #[test]
    fn sku_rules() {
        assert!(check(|e| sku(e, "ABC-123_x")));
        assert!(check(|e| sku(e, &"A".repeat(64))));
        for bad in ["", "has space", "ünï", "a/b", &"A".repeat(65)] {
            assert!(!check(|e| sku(e, bad)), "{bad}");
        }
    }

    #[test]
    fn name_counts_characters_not_bytes() {
        assert!(check(|e| name(e, &"é".repeat(200))));
        assert!(!check(|e| name(e, &"é".repeat(201))));
        assert!(!check(|e| name(e, "   ")));
        assert!(!check(|e| name(e, "nul\0")));
        assert!(check(|e| description(e, Some("two\nlines"))));
        assert!(!check(|e| description(e, Some("nul\0"))));
    }

    #[test]
    fn numeric_bounds() {
        assert!(check(|e| price(e, 0)) && check(|e| price(e, MAX_PRICE_CENTS)));
        assert!(!check(|e| price(e, -1)) && !check(|e| price(e, MAX_PRICE_CENTS + 1)));
        assert!(check(|e| stock(e, MAX_STOCK)) && !check(|e| stock(e, MAX_STOCK + 1)));
        assert!(!check(|e| stock(e, -1)));
        assert!(
            check(|e| reorder_quantity(e, 0))
                && check(|e| reorder_quantity(e, MAX_REORDER_QUANTITY))
        );
        assert!(
            !check(|e| reorder_quantity(e, -1))
                && !check(|e| reorder_quantity(e, MAX_REORDER_QUANTITY + 1))
        );
    }
}
