//! A small, realistic catalogue so a fresh local stack shows something on first start.
//! Only ever written into an empty catalogue; `make dev` skips it with `SEED_DEMO_DATA=false`.

use anyhow::Context;
use sqlx::PgPool;
use uuid::Uuid;

use crate::stock::ledger as stock;

/// (sku, name, description, price in cents, stock, low-stock threshold)
const CATALOGUE: &[(&str, &str, &str, i64, i64, i64)] = &[
    (
        "MUG-STONE",
        "Stoneware mug",
        "Hand-glazed, 350 ml, dishwasher safe.",
        1450,
        40,
        8,
    ),
    (
        "MUG-ENAMEL",
        "Enamel camp mug",
        "Chip-resistant enamel, 300 ml.",
        1200,
        6,
        5,
    ),
    (
        "TEA-ASSAM",
        "Assam breakfast tea",
        "Loose leaf, 250 g tin.",
        990,
        120,
        20,
    ),
    (
        "TEA-SENCHA",
        "Sencha green tea",
        "Loose leaf, 100 g pouch.",
        1150,
        3,
        10,
    ),
    (
        "COF-ETH-250",
        "Ethiopian coffee beans",
        "Washed Yirgacheffe, 250 g, medium roast.",
        1390,
        55,
        10,
    ),
    (
        "COF-COL-1KG",
        "Colombian coffee beans",
        "Huila, 1 kg, espresso roast.",
        3490,
        14,
        5,
    ),
    (
        "POUR-V60",
        "Pour-over dripper",
        "Ceramic cone dripper, size 02.",
        2400,
        18,
        4,
    ),
    (
        "FILT-100",
        "Paper filters (100)",
        "Bleached cone filters, size 02.",
        650,
        200,
        30,
    ),
    (
        "KETTLE-GOOSE",
        "Gooseneck kettle",
        "0.8 l stovetop kettle for pour-over.",
        4900,
        2,
        3,
    ),
    (
        "GRIND-HAND",
        "Hand grinder",
        "Conical steel burrs, 30 g hopper.",
        6900,
        9,
        3,
    ),
    (
        "CUP-SET-4",
        "Espresso cups, set of 4",
        "Porcelain, 80 ml, with saucers.",
        2900,
        0,
        2,
    ),
    (
        "TOTE-CANVAS",
        "Canvas tote bag",
        "Heavy cotton canvas with inner pocket.",
        1800,
        75,
        10,
    ),
];

/// Seeds the catalogue when it has no products; returns how many were added.
pub async fn seed_if_empty(db: &PgPool) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    // Serialise concurrent seeders: only the first one into an empty table adds rows.
    sqlx::query("LOCK TABLE inventory.products IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await
        .context("locking the catalogue for seeding")?;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM inventory.products")
        .fetch_one(&mut *tx)
        .await?;
    if count > 0 {
        return Ok(0);
    }
    for &(sku, name, description, price, initial, threshold) in CATALOGUE {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO inventory.products (id, sku, name, description, price_cents, low_stock_threshold)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(sku)
        .bind(name)
        .bind(description)
        .bind(price)
        .bind(threshold)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("adding demo product {sku}"))?;
        if initial > 0 {
            stock::adjust(&mut tx, id, initial, "initial stock", None).await?;
        }
    }
    tx.commit().await?;
    Ok(CATALOGUE.len())
}
