//! Staff reports: sales per UTC day with the top products, and the state of stock and of the
//! summary pipeline. Both read rollups the database keeps in the transaction of every order
//! change (migration `0031_report_rollups.sql`), so they cost the same on a big shop as on a
//! small one; [`top_products`] ranks products from totals held per period (migration 0101).

pub mod sales;
pub mod stock;
pub mod top_products;
