-- The AI summary's facts give each line its product's daily sales over the days before the
-- order. Summed from the order lines, that cost grew with the product's sales (a product in a
-- thousand orders a month: thousands of rows per line, 100-300 ms of Postgres CPU per summary
-- under load, taken from the same server checkout runs on). The facts now read the product's
-- day rows of the report rollups: at most one row per day, through this index.
CREATE INDEX daily_product_sales_by_product ON reports.daily_product_sales (product_id, day)
    INCLUDE (units);
