//! The checkout statement: one call of `orders.place_order` (migrations 0130, 0210)
//! counts the order against the account's throttle, claims the idempotency key, writes the
//! order, its `created` event, outbox row and `order.created` webhook event, then takes the
//! stock with its movements and writes the lines, so a product's rows (its stock and its day's
//! sales) are locked only from the take to the commit.
//! Without a key it is the whole checkout in one round trip; with one, the caller stores the
//! answer before committing.

use serde::Deserialize;
use serde_json::Value;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::Order;
use super::queue::OrderMessage;
use super::shipping::Shipping;
use crate::stock::ledger::{Shortage, StockLine, merge_lines};

/// What one checkout asks for; `lines` may name a product twice (they are summed).
pub struct Checkout<'a> {
    pub order_id: Uuid,
    pub user_id: Uuid,
    pub lines: &'a [StockLine],
    pub shipping: Option<&'a Shipping>,
    pub note: Option<&'a str>,
    pub message: &'a OrderMessage,
    /// The outbox row's id, for marking it sent after commit.
    pub outbox_id: Uuid,
    /// The key and the request's fingerprint, when the client sent an `Idempotency-Key`.
    pub idempotency: Option<(&'a str, &'a str)>,
    pub rate_limit: i32,
}

/// How the statement ended.
#[derive(Debug, Deserialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Placement {
    /// Over the account's orders per minute; only the count was written.
    Throttled { seconds_left: f64 },
    /// The key was claimed before: what was stored for it (`status`/`body` are null only while
    /// the first request is in flight, which a committed claim never is).
    Replay {
        request_hash: String,
        status: Option<i16>,
        body: Option<Value>,
    },
    /// Lines that are unknown or archived (`available` null) or short; nothing was taken.
    Refused { lines: Vec<RefusedLine> },
    /// The order as stored (the summary included: the caller decides who sees it).
    Created { order: Box<Order> },
}

#[derive(Debug, Deserialize)]
pub struct RefusedLine {
    pub product_id: Uuid,
    pub requested: i64,
    pub available: Option<i64>,
}

impl RefusedLine {
    /// The line as a shortage, or `None` when its product is not on sale at all.
    pub fn shortage(&self) -> Option<Shortage> {
        self.available.map(|available| Shortage {
            product_id: self.product_id,
            requested: self.requested,
            available,
        })
    }
}

/// Runs the checkout statement on `db` (a pool for one autocommitted statement, or the
/// transaction that will also store the idempotent answer).
pub async fn place(
    db: impl PgExecutor<'_>,
    checkout: &Checkout<'_>,
) -> Result<Placement, PlaceError> {
    // Summed and in product-id order: the statement locks the products in that order.
    let lines = merge_lines(checkout.lines.iter().copied());
    let products: Vec<Uuid> = lines.iter().map(|line| line.product_id).collect();
    let quantities: Vec<i64> = lines.iter().map(|line| line.quantity).collect();
    let movements: Vec<Uuid> = lines.iter().map(|_| Uuid::now_v7()).collect();
    let (key, hash) = checkout.idempotency.unzip();
    let outcome: Value = sqlx::query_scalar(
        "SELECT orders.place_order($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(checkout.order_id)
    .bind(checkout.user_id)
    .bind(&products)
    .bind(&quantities)
    .bind(&movements)
    .bind(checkout.shipping.map(sqlx::types::Json))
    .bind(checkout.note)
    .bind(Uuid::now_v7())
    .bind(checkout.outbox_id)
    .bind(sqlx::types::Json(checkout.message))
    .bind(key)
    .bind(hash)
    .bind(checkout.rate_limit)
    .bind(Uuid::now_v7())
    .fetch_one(db)
    .await?;
    serde_json::from_value(outcome).map_err(PlaceError::Outcome)
}

#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("unreadable checkout outcome: {0}")]
    Outcome(serde_json::Error),
}

impl From<PlaceError> for crate::ApiError {
    fn from(error: PlaceError) -> Self {
        match error {
            PlaceError::Database(error) => error.into(),
            PlaceError::Outcome(error) => crate::ApiError::Internal(error.into()),
        }
    }
}
