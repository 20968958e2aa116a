//! Recording an event for webhooks, inside the transaction of the change it tells of: a change
//! that rolls back leaves no event, and a committed change has its event whenever an active
//! endpoint subscribes to its type. The domains
//! that call this hold only `INSERT` on `webhooks.events`; `product.low_stock` is recorded by a
//! trigger on the stock ledger instead (migration 0090), since every stock change writes there.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::EventType;

/// Appends one event whose `data` is `subject` as its `GET` shows it.
pub async fn record(
    tx: &mut PgConnection,
    kind: EventType,
    subject: &impl Serialize,
) -> Result<(), sqlx::Error> {
    let data = serde_json::to_value(subject).map_err(|error| sqlx::Error::Encode(error.into()))?;
    // Nothing is written when no active endpoint subscribes to the type (migration 0210).
    sqlx::query(
        "INSERT INTO webhooks.events (id, type, data)
         SELECT $1, $2, $3 WHERE webhooks.is_wanted($2)",
    )
    .bind(Uuid::now_v7())
    .bind(kind.as_str())
    .bind(data)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
