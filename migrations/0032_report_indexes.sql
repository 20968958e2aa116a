-- The top-products report sums every product's rows of the period: an index that holds the
-- summed columns lets it read the index alone (an index-only scan) instead of visiting the heap
-- for each of the period's rows (on a million orders: ~130 000 rows for 30 days).
CREATE INDEX daily_product_sales_covering ON reports.daily_product_sales (day)
    INCLUDE (product_id, units, revenue_cents);
