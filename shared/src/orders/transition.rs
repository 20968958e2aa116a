//! The one way an order leaves `confirmed` (cancel, fulfil): lock its row, check that the caller
//! may see it and that it is still confirmed, then move it. The caller's transaction does the
//! rest (stock given back, events), so the move and its consequences commit together.

use uuid::Uuid;

use super::OrderStatus;
use crate::auth::AuthUser;
use crate::error::ApiError;

/// A confirmed order, locked inside the caller's transaction until it ends, so two moves of
/// one order cannot both succeed.
pub(crate) struct LockedConfirmed {
    pub id: Uuid,
    pub owner: Uuid,
}

/// Locks order `id` for a move to `to`. `404` when it does not exist or `actor` (neither its
/// owner nor an admin) may not see it; `409` when it is not confirmed any more.
pub(crate) async fn lock_confirmed(
    tx: &mut sqlx::PgConnection,
    id: Uuid,
    actor: &AuthUser,
    to: OrderStatus,
) -> Result<LockedConfirmed, ApiError> {
    let locked: Option<(Uuid, OrderStatus)> =
        sqlx::query_as("SELECT user_id, status FROM orders.orders WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match locked {
        Some((owner, _)) if owner != actor.id && !actor.is_admin() => Err(ApiError::NotFound),
        None => Err(ApiError::NotFound),
        Some((_, status)) if status != OrderStatus::Confirmed => Err(ApiError::conflict(
            "order-not-confirmed",
            format!("The order is {status}; only confirmed orders can be {to}."),
        )),
        Some((owner, _)) => Ok(LockedConfirmed { id, owner }),
    }
}

impl LockedConfirmed {
    /// Moves the order. Call it after any stock the move gives back: checkout locks product
    /// rows before the order's report rollups (which the status change updates), and a move
    /// that took them the other way round could deadlock with a checkout.
    pub(crate) async fn move_to(
        self,
        tx: &mut sqlx::PgConnection,
        to: OrderStatus,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE orders.orders SET status = $2 WHERE id = $1")
            .bind(self.id)
            .bind(to)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}
