//! The per-customer limit on order placement: more than `ORDER_RATE_LIMIT_PER_MINUTE` (30)
//! `POST /orders` by one account within a minute get `429` with `Retry-After`, before anything
//! is taken. It bounds what one account can cost (stock held, summaries paid for).
//!
//! The count lives in Postgres, so every Lambda instance shares it: one upsert of the account's
//! row per request, outside the order's transaction, so the row is locked only for that
//! statement. A window starts with the first request after the previous one ended.

use std::sync::OnceLock;

use sqlx::PgPool;
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

/// Counts this request in the account's window; `Err(TooManyRequests)` past `limit`.
pub async fn admit(db: &PgPool, user_id: Uuid, limit: i32) -> Result<(), ApiError> {
    let (placed, seconds_left): (i32, f64) = sqlx::query_as(
        "INSERT INTO orders.placement_windows AS w (user_id, window_start, placed)
         VALUES ($1, now(), 1)
         ON CONFLICT (user_id) DO UPDATE SET
             window_start = CASE WHEN w.window_start <= now() - interval '1 minute'
                                 THEN now() ELSE w.window_start END,
             placed = CASE WHEN w.window_start <= now() - interval '1 minute'
                           THEN 1 ELSE LEAST(w.placed, $2) + 1 END
         RETURNING placed,
                   extract(epoch FROM window_start + interval '1 minute' - now())::float8",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_one(db)
    .await?;
    if placed <= limit {
        return Ok(());
    }
    tracing::info!(%user_id, limit, "order placement throttled");
    Err(ApiError::TooManyRequests {
        detail: "Too many orders from this account in the last minute.",
        retry_after: seconds_left.ceil().max(1.0) as u64,
    })
}
