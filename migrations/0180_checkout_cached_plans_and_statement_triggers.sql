-- Checkout's work inside Postgres, made cheaper without changing what it writes.
--
-- 1. The SQL functions checkout calls once or more per order and that Postgres cannot inline
--    (a SET clause, SECURITY DEFINER, a FROM or an INSERT) are planned again on every call before
--    Postgres 18, as 0120 found for the session check. Building the order's JSON (three
--    orders.api_time and one auth.account_email) cost 0.34 ms of the statement's 1.65 ms (1
--    client, pgbench calling orders.place_order); as PL/pgSQL, whose plans stay with the
--    connection, 0.09 ms. Same signatures, rights and search paths; owners and grants stay, since
--    the functions are replaced, not dropped.
-- 2. The report rollups of an order's lines and the low-stock check of its movements ran once per
--    row: per line a read of the order, an update of the day total and an upsert of the
--    product's day row. They now run once per statement over its new rows (a transition table):
--    one update of the day totals and one upsert of the product rows for all the order's lines,
--    one insert of the low-stock events for all its movements. The totals are the same sums.

CREATE OR REPLACE FUNCTION orders.api_time(at timestamptz) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    us bigint := extract(microseconds FROM api_time.at)::bigint % 1000000;
BEGIN
    RETURN to_char(api_time.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN us = 0 THEN ''
                WHEN us % 1000 = 0 THEN '.' || lpad((us / 1000)::text, 3, '0')
                ELSE '.' || lpad(us::text, 6, '0') END
        || 'Z';
END $$;

CREATE OR REPLACE FUNCTION auth.account_email(account uuid) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (SELECT u.email FROM auth.users u WHERE u.id = account_email.account);
END $$;

CREATE OR REPLACE FUNCTION reports.count_summary(of_status text, in_shard smallint, delta bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports.summary_counts (status, shard, orders) VALUES (of_status, in_shard, delta)
    ON CONFLICT (status, shard) DO UPDATE SET orders = reports.summary_counts.orders + delta;
END $$;

-- The lines of one statement (checkout inserts all of an order's lines in one) feed the day
-- totals (the order's own row, made by its insert trigger) and the products' day rows. Lines
-- of a cancelled order count nowhere. The product rows are upserted in key order, as the
-- order's stock locks are taken, so two statements cannot wait on each other's rows crosswise.
CREATE OR REPLACE FUNCTION reports.on_order_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH counted AS (
        SELECT reports.day_of(o.created_at) AS day, reports.shard_of(l.order_id) AS shard,
               l.product_id, l.quantity, l.line_total_cents
        FROM added_lines l
        JOIN orders.orders o ON o.id = l.order_id
        WHERE o.status <> 'cancelled'
    ), day_totals AS (
        UPDATE reports.daily_sales s
        SET units = s.units + d.units, revenue_cents = s.revenue_cents + d.revenue_cents
        FROM (SELECT c.day, c.shard, sum(c.quantity) AS units,
                     sum(c.line_total_cents) AS revenue_cents
              FROM counted c GROUP BY c.day, c.shard) d
        WHERE s.day = d.day AND s.shard = d.shard
    )
    INSERT INTO reports.daily_product_sales AS p (day, product_id, units, revenue_cents)
    SELECT c.day, c.product_id, sum(c.quantity), sum(c.line_total_cents)
    FROM counted c
    GROUP BY c.day, c.product_id
    ORDER BY c.day, c.product_id
    ON CONFLICT ON CONSTRAINT daily_product_sales_pkey DO UPDATE
        SET units = p.units + EXCLUDED.units,
            revenue_cents = p.revenue_cents + EXCLUDED.revenue_cents;
    RETURN NULL;
END $$;

DROP TRIGGER order_lines_feed_reports ON orders.order_lines;
CREATE TRIGGER order_lines_feed_reports
    AFTER INSERT ON orders.order_lines
    REFERENCING NEW TABLE AS added_lines
    FOR EACH STATEMENT EXECUTE FUNCTION reports.on_order_line();

-- product.low_stock, as in 0090: one event per movement that takes its product's stock from
-- above the threshold to at or below it.
CREATE OR REPLACE FUNCTION webhooks.record_low_stock() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO webhooks.events (id, type, data)
    SELECT gen_random_uuid(), 'product.low_stock', webhooks.product_data(m.product_id)
    FROM added_movements m
    JOIN inventory.products p ON p.id = m.product_id
    WHERE m.delta < 0
      AND m.stock_after <= p.low_stock_threshold
      AND m.stock_after - m.delta > p.low_stock_threshold;
    RETURN NULL;
END $$;

DROP TRIGGER stock_movements_low_stock_webhook ON inventory.stock_movements;
CREATE TRIGGER stock_movements_low_stock_webhook
    AFTER INSERT ON inventory.stock_movements
    REFERENCING NEW TABLE AS added_movements
    FOR EACH STATEMENT EXECUTE FUNCTION webhooks.record_low_stock();
