//! Every change of a product's stock, each paired with its movement in the caller's
//! transaction: the only code that writes `inventory.products.stock`, besides the checkout
//! statement (`orders.place_order`), which takes an order's stock through
//! `inventory.take_order_stock` (migration 0210). An order takes and gives back stock
//! through the catalogue's SECURITY DEFINER functions, since the orders role holds no grant on
//! the catalogue's tables.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::ApiError;

/// Applies `delta` to one product's stock and records the movement, with the account that
/// made it (`actor`, `None` for the system).
///
/// The update is conditional (`stock + delta >= 0`), so concurrent adjustments serialise on the
/// row lock and none can take stock below zero. `None` when the product does not exist or the
/// stock would go negative; the caller tells the two apart.
pub async fn adjust(
    tx: &mut PgConnection,
    product_id: Uuid,
    delta: i64,
    reason: &str,
    actor: Option<Uuid>,
) -> Result<Option<i64>, sqlx::Error> {
    let stock_after: Option<i64> = sqlx::query_scalar(
        "UPDATE inventory.products SET stock = stock + $2
         WHERE id = $1 AND stock + $2 >= 0
         RETURNING stock",
    )
    .bind(product_id)
    .bind(delta)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(stock_after) = stock_after {
        record(
            tx,
            &[Movement {
                product_id,
                delta,
                stock_after,
            }],
            Source {
                reason,
                order_id: None,
                actor,
            },
        )
        .await?;
    }
    Ok(stock_after)
}

/// One line of stock to take or give back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLine {
    pub product_id: Uuid,
    pub quantity: i64,
}

/// A line the shop cannot fill, with what there is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Shortage {
    pub product_id: Uuid,
    pub requested: i64,
    pub available: i64,
}

/// Sums lines that name one product twice and orders them by product id.
///
/// Taking rows in one global order means two orders whose lines cross wait for each other
/// instead of deadlocking.
pub fn merge_lines(lines: impl IntoIterator<Item = StockLine>) -> Vec<StockLine> {
    let mut merged: BTreeMap<Uuid, i64> = BTreeMap::new();
    for line in lines {
        *merged.entry(line.product_id).or_default() += line.quantity;
    }
    merged
        .into_iter()
        .map(|(product_id, quantity)| StockLine {
            product_id,
            quantity,
        })
        .collect()
}

/// Gives an order's stock back (cancellation by `actor`), writing one movement per product.
/// Archived products take their stock back too: the units physically return. The catalogue
/// gives back only what the ledger shows the order took, once; anything else is an error.
pub async fn give_back_for_order(
    tx: &mut PgConnection,
    order_id: Uuid,
    lines: &[StockLine],
    actor: Uuid,
) -> Result<(), ApiError> {
    for line in merge_lines(lines.iter().copied()) {
        let stock_after: Option<i64> =
            sqlx::query_scalar("SELECT inventory.give_back_stock_for_order($1, $2, $3, $4, $5)")
                .bind(order_id)
                .bind(Uuid::now_v7())
                .bind(line.product_id)
                .bind(line.quantity)
                .bind(actor)
                .fetch_one(&mut *tx)
                .await?;
        if stock_after.is_none() {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "order {order_id} did not take {} of product {}: nothing to give back",
                line.quantity,
                line.product_id
            )));
        }
    }
    Ok(())
}

/// Adds what arrived on a purchase order to stock (received by `actor`): one movement per
/// product, reason `received`, carrying the purchase order's id. Archived products take their
/// units too: the goods are on the shelf.
pub async fn receive_for_purchase_order(
    tx: &mut PgConnection,
    purchase_order_id: Uuid,
    lines: &[StockLine],
    actor: Uuid,
) -> Result<(), sqlx::Error> {
    for line in merge_lines(lines.iter().copied()) {
        sqlx::query(
            "WITH moved AS (
                 UPDATE inventory.products SET stock = stock + $2
                 WHERE id = $1 RETURNING stock)
             INSERT INTO inventory.stock_movements
                 (id, product_id, delta, reason, purchase_order_id, actor_id, stock_after)
             SELECT $3, $1, $2, 'received', $4, $5, stock FROM moved",
        )
        .bind(line.product_id)
        .bind(line.quantity)
        .bind(Uuid::now_v7())
        .bind(purchase_order_id)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

struct Movement {
    product_id: Uuid,
    delta: i64,
    stock_after: i64,
}

/// Why a batch of movements happened and who made it happen.
struct Source<'a> {
    reason: &'a str,
    order_id: Option<Uuid>,
    actor: Option<Uuid>,
}

/// Writes movements in one statement.
async fn record(
    tx: &mut PgConnection,
    movements: &[Movement],
    source: Source<'_>,
) -> Result<(), sqlx::Error> {
    if movements.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = movements.iter().map(|_| Uuid::now_v7()).collect();
    let products: Vec<Uuid> = movements.iter().map(|m| m.product_id).collect();
    let deltas: Vec<i64> = movements.iter().map(|m| m.delta).collect();
    let stock_after: Vec<i64> = movements.iter().map(|m| m.stock_after).collect();
    sqlx::query(
        "INSERT INTO inventory.stock_movements (id, product_id, delta, reason, order_id, actor_id, stock_after)
         SELECT id, product_id, delta, $4, $5, $7, stock_after
         FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $6::bigint[]) AS m(id, product_id, delta, stock_after)",
    )
    .bind(&ids)
    .bind(&products)
    .bind(&deltas)
    .bind(source.reason)
    .bind(source.order_id)
    .bind(&stock_after)
    .bind(source.actor)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_for_one_product_are_summed_and_sorted() {
        let a = Uuid::from_u128(2);
        let b = Uuid::from_u128(1);
        let merged = merge_lines([
            StockLine {
                product_id: a,
                quantity: 2,
            },
            StockLine {
                product_id: b,
                quantity: 1,
            },
            StockLine {
                product_id: a,
                quantity: 3,
            },
        ]);
        assert_eq!(
            merged,
            vec![
                StockLine {
                    product_id: b,
                    quantity: 1
                },
                StockLine {
                    product_id: a,
                    quantity: 5
                },
            ]
        );
    }
}
