-- The day totals and the summary counts are spread over shards so that concurrent orders do
-- not queue on one row. The shard was the order id's hash over 16 shards, so with 16 orders in
-- flight most met another on the same row and waited for its commit: with 16 checkout
-- statements running at once (pgbench, 200 products), Postgres logged 2864 lock waits over 5 ms
-- in 6 s on `daily_sales` and 527 on every other table together. A transaction now adds to the
-- shard of the database connection it runs on (its backend's process id modulo 64): only one
-- transaction runs on a connection at a time, so two writers meet on a row only when their
-- connections' process ids agree modulo 64.
--
-- The shard only spreads the writes: every reader sums a day's or a status's rows over all
-- shards. A change of an order (a cancel, a new summary status) adds its correction, negative
-- when it takes away, to the shard of the connection that makes it, so one shard's row can be
-- negative while the sums stay exact. `reports.rebuild` still places an order's counts by its
-- id, which gives the same sums.

CREATE FUNCTION reports.connection_shard() RETURNS smallint
LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT (pg_backend_pid() % 64)::smallint $$;

CREATE OR REPLACE FUNCTION reports.on_order_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    here      smallint := reports.connection_shard();
    order_day date     := reports.day_of(NEW.created_at);
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO reports.daily_sales (day, shard, orders) VALUES (order_day, here, 1)
        ON CONFLICT ON CONSTRAINT daily_sales_pkey
            DO UPDATE SET orders = reports.daily_sales.orders + 1;
        PERFORM reports.count_summary(NEW.summary_status, here, 1);
        RETURN NEW;
    END IF;
    IF NEW.summary_status IS DISTINCT FROM OLD.summary_status THEN
        PERFORM reports.count_summary(OLD.summary_status, here, -1);
        PERFORM reports.count_summary(NEW.summary_status, here, 1);
    END IF;
    IF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        INSERT INTO reports.daily_sales AS s (day, shard, cancelled, units, revenue_cents)
        SELECT order_day, here, 1, -coalesce(sum(l.quantity), 0),
               -coalesce(sum(l.line_total_cents), 0)
        FROM orders.order_lines l WHERE l.order_id = NEW.id
        ON CONFLICT ON CONSTRAINT daily_sales_pkey DO UPDATE
            SET cancelled = s.cancelled + 1,
                units = s.units + EXCLUDED.units,
                revenue_cents = s.revenue_cents + EXCLUDED.revenue_cents;
        UPDATE reports.daily_product_sales p
        SET units = p.units - l.quantity, revenue_cents = p.revenue_cents - l.line_total_cents
        FROM orders.order_lines l
        WHERE l.order_id = NEW.id AND p.day = order_day AND p.product_id = l.product_id;
    END IF;
    RETURN NEW;
END $$;

-- As in 0180, with the day totals added to this connection's shard (the order's insert, earlier
-- in the transaction, made that row; the upsert also covers lines written on their own).
CREATE OR REPLACE FUNCTION reports.on_order_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH counted AS (
        SELECT reports.day_of(o.created_at) AS day, l.product_id, l.quantity, l.line_total_cents
        FROM added_lines l
        JOIN orders.orders o ON o.id = l.order_id
        WHERE o.status <> 'cancelled'
    ), day_totals AS (
        INSERT INTO reports.daily_sales AS s (day, shard, units, revenue_cents)
        SELECT c.day, reports.connection_shard(), sum(c.quantity), sum(c.line_total_cents)
        FROM counted c GROUP BY c.day
        ON CONFLICT ON CONSTRAINT daily_sales_pkey DO UPDATE
            SET units = s.units + EXCLUDED.units,
                revenue_cents = s.revenue_cents + EXCLUDED.revenue_cents
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
