-- Rollups behind the staff reports, kept by triggers in the transaction of each change, so a
-- report never disagrees with the orders it counts and never scans a million of them.
--
-- Day totals are split over 16 shards (by order id): concurrent orders of one day update
-- different rows instead of queueing on one row lock. Per-product rows need no shards: the
-- order already holds that product's row lock for its stock.
CREATE SCHEMA IF NOT EXISTS reports;

-- Orders placed on a UTC day; units and revenue leave out cancelled orders, `cancelled`
-- counts the day's orders that were cancelled since.
CREATE TABLE reports.daily_sales (
    day           date     NOT NULL,
    shard         smallint NOT NULL,
    orders        bigint   NOT NULL DEFAULT 0,
    cancelled     bigint   NOT NULL DEFAULT 0,
    units         bigint   NOT NULL DEFAULT 0,
    revenue_cents bigint   NOT NULL DEFAULT 0,
    PRIMARY KEY (day, shard)
);

-- What each product sold on a UTC day, cancelled orders left out.
CREATE TABLE reports.daily_product_sales (
    day           date   NOT NULL,
    product_id    uuid   NOT NULL,
    units         bigint NOT NULL DEFAULT 0,
    revenue_cents bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, product_id)
);

-- Orders per summary status (pending, ready, failed, ...), sharded like the day totals.
CREATE TABLE reports.summary_counts (
    status text     NOT NULL,
    shard  smallint NOT NULL,
    orders bigint   NOT NULL DEFAULT 0,
    PRIMARY KEY (status, shard)
);

CREATE FUNCTION reports.shard_of(order_id uuid) RETURNS smallint
    LANGUAGE sql IMMUTABLE AS $$ SELECT (hashtext(order_id::text) & 15)::smallint $$;

CREATE FUNCTION reports.day_of(at timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE AS $$ SELECT (at AT TIME ZONE 'UTC')::date $$;

CREATE FUNCTION reports.count_summary(of_status text, in_shard smallint, delta bigint) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO reports.summary_counts (status, shard, orders) VALUES (of_status, in_shard, delta)
    ON CONFLICT (status, shard) DO UPDATE SET orders = reports.summary_counts.orders + delta
$$;

CREATE FUNCTION reports.on_order_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    order_shard smallint := reports.shard_of(NEW.id);
    order_day   date     := reports.day_of(NEW.created_at);
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO reports.daily_sales (day, shard, orders) VALUES (order_day, order_shard, 1)
        ON CONFLICT ON CONSTRAINT daily_sales_pkey
            DO UPDATE SET orders = reports.daily_sales.orders + 1;
        PERFORM reports.count_summary(NEW.summary_status, order_shard, 1);
        RETURN NEW;
    END IF;
    IF NEW.summary_status IS DISTINCT FROM OLD.summary_status THEN
        PERFORM reports.count_summary(OLD.summary_status, order_shard, -1);
        PERFORM reports.count_summary(NEW.summary_status, order_shard, 1);
    END IF;
    IF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        UPDATE reports.daily_sales s
        SET cancelled = s.cancelled + 1,
            units = s.units - l.units,
            revenue_cents = s.revenue_cents - l.revenue_cents
        FROM (SELECT coalesce(sum(quantity), 0) AS units, coalesce(sum(line_total_cents), 0) AS revenue_cents
              FROM orders.order_lines WHERE order_id = NEW.id) l
        WHERE s.day = order_day AND s.shard = order_shard;
        UPDATE reports.daily_product_sales p
        SET units = p.units - l.quantity, revenue_cents = p.revenue_cents - l.line_total_cents
        FROM orders.order_lines l
        WHERE l.order_id = NEW.id AND p.day = order_day AND p.product_id = l.product_id;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION reports.on_order_line() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    placed       timestamptz;
    order_status text;
BEGIN
    SELECT o.created_at, o.status INTO placed, order_status FROM orders.orders o WHERE o.id = NEW.order_id;
    IF order_status = 'cancelled' THEN
        RETURN NEW;
    END IF;
    UPDATE reports.daily_sales s
    SET units = s.units + NEW.quantity, revenue_cents = s.revenue_cents + NEW.line_total_cents
    WHERE s.day = reports.day_of(placed) AND s.shard = reports.shard_of(NEW.order_id);
    INSERT INTO reports.daily_product_sales (day, product_id, units, revenue_cents)
    VALUES (reports.day_of(placed), NEW.product_id, NEW.quantity, NEW.line_total_cents)
    ON CONFLICT ON CONSTRAINT daily_product_sales_pkey DO UPDATE
        SET units = reports.daily_product_sales.units + EXCLUDED.units,
            revenue_cents = reports.daily_product_sales.revenue_cents + EXCLUDED.revenue_cents;
    RETURN NEW;
END $$;

CREATE TRIGGER orders_feed_reports
    AFTER INSERT OR UPDATE OF status, summary_status ON orders.orders
    FOR EACH ROW EXECUTE FUNCTION reports.on_order_change();
CREATE TRIGGER order_lines_feed_reports
    AFTER INSERT ON orders.order_lines
    FOR EACH ROW EXECUTE FUNCTION reports.on_order_line();

-- Recomputes every rollup from the orders: the backfill below, and after bulk loads that
-- bypass triggers.
CREATE FUNCTION reports.rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM reports.daily_sales;
    DELETE FROM reports.daily_product_sales;
    DELETE FROM reports.summary_counts;
    INSERT INTO reports.daily_sales (day, shard, orders, cancelled, units, revenue_cents)
    SELECT reports.day_of(o.created_at), reports.shard_of(o.id), count(*),
           count(*) FILTER (WHERE o.status = 'cancelled'),
           coalesce(sum(l.units) FILTER (WHERE o.status <> 'cancelled'), 0),
           coalesce(sum(l.revenue_cents) FILTER (WHERE o.status <> 'cancelled'), 0)
    FROM orders.orders o
    LEFT JOIN (SELECT order_id, sum(quantity) AS units, sum(line_total_cents) AS revenue_cents
               FROM orders.order_lines GROUP BY order_id) l ON l.order_id = o.id
    GROUP BY 1, 2;
    INSERT INTO reports.daily_product_sales (day, product_id, units, revenue_cents)
    SELECT reports.day_of(o.created_at), l.product_id, sum(l.quantity), sum(l.line_total_cents)
    FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
    WHERE o.status <> 'cancelled'
    GROUP BY 1, 2;
    INSERT INTO reports.summary_counts (status, shard, orders)
    SELECT summary_status, reports.shard_of(id), count(*) FROM orders.orders GROUP BY 1, 2;
$$;

SELECT reports.rebuild();
