-- The top-products report over a big catalogue: summing every product's rows of the period
-- (2 000 000 rows for a year of 1 000 000 orders, with 100 000 products selling evenly) costs
-- seconds, and each product's rank depends on the whole sum, so no index on the day rows alone
-- can answer it.
--
-- `product_sales_spans` holds each product's totals over the usual periods (7, 30, 90, 180 and
-- 366 days), as of the day they were refreshed, over the days before yesterday: days that no
-- new order can touch any more. A report adds the rest exactly (`shared/src/reports/top_products.rs`):
-- the days since (from the day before the refresh to today), minus the days that left the
-- period since, plus the changes to the held days that the refresh did not see (cancellations
-- of older orders, logged below). Only the leaders by those totals and the products with new
-- sales can then be in the top 10; a report checks that bound and otherwise sums the day rows
-- as before. outbox-relay refreshes the spans once a day (and `reports.rebuild()` does).
CREATE TABLE reports.product_sales_spans (
    span          smallint NOT NULL,
    product_id    uuid     NOT NULL,
    units         bigint   NOT NULL,
    revenue_cents bigint   NOT NULL,
    PRIMARY KEY (span, product_id)
);
-- The report reads each span's leaders in its own order.
CREATE INDEX product_sales_spans_leaders
    ON reports.product_sales_spans (span, revenue_cents DESC, units DESC, product_id);

CREATE TABLE reports.product_sales_span_state (
    span  smallint    PRIMARY KEY,
    -- The refresh's UTC day: the span holds the days as_of - (span - 1) .. as_of - 2.
    as_of date        NOT NULL,
    -- What the refresh saw: a logged change it did not see is added by the report.
    seen  pg_snapshot NOT NULL
);

-- Changes to a day before the changing transaction's own day (a cancelled older order): a
-- span refreshed before such a change still counts the old figures.
CREATE TABLE reports.product_sales_changes (
    day           date   NOT NULL,
    product_id    uuid   NOT NULL,
    units         bigint NOT NULL,
    revenue_cents bigint NOT NULL,
    xid           xid8   NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX product_sales_changes_by_day ON reports.product_sales_changes (day);

CREATE FUNCTION reports.log_past_product_sales() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- reports.rebuild() rewrites every row and refreshes the spans itself.
    IF current_setting('reports.rebuilding', true) = 'on' THEN
        RETURN NULL;
    END IF;
    INSERT INTO reports.product_sales_changes (day, product_id, units, revenue_cents)
    VALUES (NEW.day, NEW.product_id,
            NEW.units - CASE WHEN TG_OP = 'UPDATE' THEN OLD.units ELSE 0 END,
            NEW.revenue_cents - CASE WHEN TG_OP = 'UPDATE' THEN OLD.revenue_cents ELSE 0 END);
    RETURN NULL;
END $$;

-- Today's rows (every new order's) skip the function altogether.
CREATE TRIGGER daily_product_sales_log_past
    AFTER INSERT OR UPDATE ON reports.daily_product_sales
    FOR EACH ROW WHEN (NEW.day < reports.day_of(now()))
    EXECUTE FUNCTION reports.log_past_product_sales();

-- Recomputes every span as of `as_of` (default today) in one statement, so the totals, the
-- state and the forgotten changes agree with one snapshot of the day rows. The caller holds
-- the refresh's advisory lock (shared::reports::top_products::refresh).
CREATE FUNCTION reports.refresh_product_spans(as_of date DEFAULT reports.day_of(now()))
RETURNS void LANGUAGE sql AS $$
    WITH spans(span) AS (VALUES (7), (30), (90), (180), (366)),
    fresh AS (
        SELECT s.span::smallint AS span, d.product_id,
               sum(d.units)::bigint AS units, sum(d.revenue_cents)::bigint AS revenue_cents
        FROM spans s
        JOIN reports.daily_product_sales d
          ON d.day BETWEEN refresh_product_spans.as_of - (s.span - 1)
                       AND refresh_product_spans.as_of - 2
        GROUP BY 1, 2),
    upserted AS (
        INSERT INTO reports.product_sales_spans (span, product_id, units, revenue_cents)
        SELECT span, product_id, units, revenue_cents FROM fresh
        ON CONFLICT (span, product_id) DO UPDATE
            SET units = EXCLUDED.units, revenue_cents = EXCLUDED.revenue_cents
            WHERE (reports.product_sales_spans.units, reports.product_sales_spans.revenue_cents)
                  IS DISTINCT FROM (EXCLUDED.units, EXCLUDED.revenue_cents)),
    removed AS (
        DELETE FROM reports.product_sales_spans p
        WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.span = p.span AND f.product_id = p.product_id)),
    stated AS (
        INSERT INTO reports.product_sales_span_state (span, as_of, seen)
        SELECT span, refresh_product_spans.as_of, pg_current_snapshot() FROM spans
        ON CONFLICT (span) DO UPDATE SET as_of = EXCLUDED.as_of, seen = EXCLUDED.seen),
    forgotten AS (
        -- Seen now, so counted in the fresh totals; or older than any span.
        DELETE FROM reports.product_sales_changes c
        WHERE pg_visible_in_snapshot(c.xid, pg_current_snapshot())
           OR c.day < refresh_product_spans.as_of - 366)
    SELECT
$$;

-- reports.rebuild() as before (migration 0031), then the spans from the rebuilt rows.
CREATE OR REPLACE FUNCTION reports.rebuild() RETURNS void LANGUAGE sql AS $$
    SELECT set_config('reports.rebuilding', 'on', true);
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
    DELETE FROM reports.product_sales_changes;
    SELECT reports.refresh_product_spans();
    SELECT set_config('reports.rebuilding', 'off', true);
$$;
REVOKE ALL ON FUNCTION reports.rebuild() FROM PUBLIC;

SELECT reports.refresh_product_spans();

-- The roles whose changes move the rollups log changes to past days; the staff reports read
-- the spans; outbox-relay refreshes them daily.
GRANT INSERT ON reports.product_sales_changes TO shop_orders, shop_summary, shop_relay;
GRANT SELECT ON reports.product_sales_spans, reports.product_sales_span_state,
    reports.product_sales_changes TO shop_catalogue;
GRANT SELECT, INSERT, UPDATE, DELETE ON reports.product_sales_spans,
    reports.product_sales_span_state, reports.product_sales_changes TO shop_relay;
