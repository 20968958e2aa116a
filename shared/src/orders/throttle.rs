//! The per-customer limit on order placement: more than `ORDER_RATE_LIMIT_PER_MINUTE` (30)
//! `POST /orders` by one account within a minute get `429` with `Retry-After`, before anything
//! is taken. It bounds what one account can cost (stock held, summaries paid for).
//!
//! The count lives in Postgres, so every Lambda instance shares it: the checkout statement
//! (`orders.place_order`) upserts the account's row first, so one account's concurrent orders
//! take turns on it and nothing else is locked before it. A window starts with the first
//! request after the previous one ended.

use std::sync::OnceLock;

use uuid::Uuid;

use crate::config;
use crate::error::ApiError;

pub const DEFAULT_LIMIT_PER_MINUTE: i32 = 30;

/// `ORDER_RATE_LIMIT_PER_MINUTE`, read once per instance; a malformed value is logged and the
/// default applies, so a typo cannot lift the limit.
pub fn limit_per_minute() -> i32 {
    static LIMIT: OnceLock<i32> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        match config::parsed_or("ORDER_RATE_LIMIT_PER_MINUTE", DEFAULT_LIMIT_PER_MINUTE) {
            Ok(limit) if limit > 0 => limit,
            Ok(_) | Err(_) => {
                tracing::error!(
                    default = DEFAULT_LIMIT_PER_MINUTE,
                    "ORDER_RATE_LIMIT_PER_MINUTE must be a positive integer; using the default"
                );
                DEFAULT_LIMIT_PER_MINUTE
            }
        }
    })
}

/// The `429` for a request over `limit` (counted by `orders.place_order` in the account's
/// row of `orders.placement_windows`), with the seconds left in the window as `Retry-After`.
pub fn refusal(user_id: Uuid, limit: i32, seconds_left: f64) -> ApiError {
    tracing::info!(%user_id, limit, "order placement throttled");
    ApiError::TooManyRequests {
        detail: "Too many orders from this account in the last minute.",
        retry_after: seconds_left.ceil().max(1.0) as u64,
    }
}
