//! The inventory invariant, checked after tests that move stock.

use sqlx::PgPool;

/// Asserts the inventory invariant: every product's stock equals the sum of its movements.
pub async fn assert_ledger_matches_stock(db: &PgPool) {
    let drift: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM inventory.products p
         WHERE p.stock <> COALESCE(
             (SELECT sum(delta) FROM inventory.stock_movements m WHERE m.product_id = p.id), 0)",
    )
    .fetch_one(db)
    .await
    .expect("drift query");
    assert_eq!(
        drift, 0,
        "stock equals the sum of its movements for every product"
    );
}
