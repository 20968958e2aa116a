-- Checkout, in the order a product's concurrent orders queue least. With 16 checkout statements
-- at once (pgbench calling `orders.place_order`, 3-line orders of 200 products), Postgres's
-- lock-wait log named the rows they queued on, and then the WAL they waited to flush:
--
-- 1. The stock last. A product's row lock is held until commit; taken first (0130), it was held
--    while the order, its timeline event, outbox row, webhook event (with the order's JSON) and
--    lines were written and their triggers ran. Those rows are now written first, from the lines
--    as the catalogue shows them at the start of the statement (`inventory.quote_order_lines`),
--    and the stock is locked and taken at the end (`inventory.take_order_stock`), FOR NO KEY
--    UPDATE (what its UPDATE takes anyway), so the foreign-key checks of other orders' lines,
--    which lock the product FOR KEY SHARE, do not wait behind it. A line that fits at the start
--    can lack stock under the lock (another order took the last units in between): the writes
--    run in a block of their own (a subtransaction), which that shortage rolls back, and the
--    order is refused with the stock seen under the lock, as before.
-- 2. The lines after the stock. Their insert updates each product's day row
--    (`reports.daily_product_sales`), locked until commit; written before the take, it was the
--    next row every order of a product waited on (2514 waits over 5 ms in 8 s). Both of a
--    product's rows are now held only from the take to the commit.
-- 3. The orders' report trigger at commit (a deferred constraint trigger: day totals, summary
--    counts, a cancel's corrections), so every writer locks the products before the report
--    rows: an order's insert takes its shard row after its stock, and a cancel its report rows
--    after the stock it gives back, whichever statement comes first. Rows of a refused order's
--    rolled-back block leave no pending trigger behind.
-- 4. A webhook event only when an active endpoint subscribes to its type
--    (`webhooks.is_wanted`). Every event used to be written whether or not anyone would receive
--    it: for `order.created`, the whole order as JSON (about 1.1 KB) and three index entries in
--    each checkout, 1.4 KB of its 7.7 KB of WAL, in a shop that has no webhook. An endpoint now
--    gets the events of the changes committed after it subscribed (before, also those of the
--    seconds until the relay fanned them out).

-- The lines of an order as the catalogue shows them now (no lock), in product-id order; `stock`
-- null for an unknown or archived product. Lines name distinct products.
CREATE FUNCTION inventory.quote_order_lines(product_ids uuid[], quantities bigint[])
RETURNS TABLE (product_id uuid, sku text, name text, price_cents bigint, quantity bigint,
               stock bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT l.product_id, p.sku, p.name, p.price_cents, l.quantity, p.stock
    FROM unnest(quote_order_lines.product_ids, quote_order_lines.quantities)
         AS l(product_id, quantity)
    LEFT JOIN inventory.products p ON p.id = l.product_id AND p.archived_at IS NULL
    ORDER BY l.product_id;
END $$;

-- Locks the products (lines in id order, distinct), and takes every line with its movement
-- when each is on sale with enough stock: NULL. Otherwise nothing is written and the stock
-- under the lock comes back per line, in the order given (NULL: archived meanwhile).
CREATE FUNCTION inventory.take_order_stock(
    order_id uuid, actor_id uuid, product_ids uuid[], quantities bigint[], movement_ids uuid[]
) RETURNS bigint[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    available bigint[];
    fits      boolean;
BEGIN
    SELECT array_agg(p.stock ORDER BY l.n),
           coalesce(bool_and(p.stock IS NOT NULL AND p.stock >= l.quantity), false)
    INTO available, fits
    FROM unnest(take_order_stock.product_ids, take_order_stock.quantities)
         WITH ORDINALITY AS l(product_id, quantity, n)
    LEFT JOIN (SELECT pr.id, pr.stock, pr.archived_at FROM inventory.products pr
               WHERE pr.id = ANY (take_order_stock.product_ids)
               ORDER BY pr.id
               FOR NO KEY UPDATE) p ON p.id = l.product_id AND p.archived_at IS NULL;
    IF NOT fits THEN
        RETURN available;
    END IF;
    WITH took AS (
        UPDATE inventory.products p
        SET stock = p.stock - l.quantity, updated_at = now()
        FROM unnest(take_order_stock.product_ids, take_order_stock.quantities,
                    take_order_stock.movement_ids) AS l(product_id, quantity, movement_id)
        WHERE p.id = l.product_id
        RETURNING p.id, l.quantity, p.stock, l.movement_id
    )
    INSERT INTO inventory.stock_movements
        (id, product_id, delta, reason, order_id, actor_id, stock_after)
    SELECT t.movement_id, t.id, -t.quantity, 'order', take_order_stock.order_id,
           take_order_stock.actor_id, t.stock
    FROM took t;
    RETURN NULL;
END $$;

ALTER FUNCTION inventory.quote_order_lines(uuid[], bigint[]) OWNER TO shop_catalogue;
ALTER FUNCTION inventory.take_order_stock(uuid, uuid, uuid[], bigint[], uuid[])
    OWNER TO shop_catalogue;
REVOKE ALL ON FUNCTION inventory.quote_order_lines(uuid[], bigint[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION inventory.take_order_stock(uuid, uuid, uuid[], bigint[], uuid[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.quote_order_lines(uuid[], bigint[]) TO shop_orders;
GRANT EXECUTE ON FUNCTION inventory.take_order_stock(uuid, uuid, uuid[], bigint[], uuid[])
    TO shop_orders;

-- Whether any active endpoint subscribes to `event_type`. The domains that record events hold
-- no right to read the endpoints (their URLs, their secrets): this answers only yes or no.
-- PL/pgSQL, as in 0180: a SQL function with SET and SECURITY DEFINER is planned again on every
-- call, and checkout calls this once per order.
CREATE FUNCTION webhooks.is_wanted(event_type text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM webhooks.endpoints e
                   WHERE e.active AND is_wanted.event_type = ANY (e.events));
END $$;
ALTER FUNCTION webhooks.is_wanted(text) OWNER TO shop_webhooks;
REVOKE ALL ON FUNCTION webhooks.is_wanted(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhooks.is_wanted(text) TO shop_orders, shop_catalogue;

-- product.low_stock as in 0180, when someone wants the event.
CREATE OR REPLACE FUNCTION webhooks.record_low_stock() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT webhooks.is_wanted('product.low_stock') THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhooks.events (id, type, data)
    SELECT gen_random_uuid(), 'product.low_stock', webhooks.product_data(m.product_id)
    FROM added_movements m
    JOIN inventory.products p ON p.id = m.product_id
    WHERE m.delta < 0
      AND m.stock_after <= p.low_stock_threshold
      AND m.stock_after - m.delta > p.low_stock_threshold;
    RETURN NULL;
END $$;

DROP TRIGGER orders_feed_reports ON orders.orders;
CREATE CONSTRAINT TRIGGER orders_feed_reports
    AFTER INSERT OR UPDATE OF status, summary_status ON orders.orders
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION reports.on_order_change();

-- Same signature, outcomes and rights as 0130's; only what is written, and in which order.
CREATE OR REPLACE FUNCTION orders.place_order(
    order_id uuid, user_id uuid, product_ids uuid[], quantities bigint[], movement_ids uuid[],
    shipping jsonb, note text, event_id uuid, outbox_id uuid, payload jsonb,
    idempotency_key text, request_hash text, rate_limit int, webhook_event_id uuid
) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    placed_now   int;
    seconds_left float8;
    earlier      orders.idempotency_keys%ROWTYPE;
    fits         boolean;
    l_products   uuid[];
    l_skus       text[];
    l_names      text[];
    l_prices     bigint[];
    l_quantities bigint[];
    l_stock      bigint[];
    new_order    orders.orders%ROWTYPE;
    shown        jsonb;
BEGIN
    INSERT INTO orders.placement_windows AS w (user_id, window_start, placed)
    VALUES (place_order.user_id, now(), 1)
    ON CONFLICT ON CONSTRAINT placement_windows_pkey DO UPDATE SET
        window_start = CASE WHEN w.window_start <= now() - interval '1 minute'
                            THEN now() ELSE w.window_start END,
        placed = CASE WHEN w.window_start <= now() - interval '1 minute'
                      THEN 1 ELSE LEAST(w.placed, place_order.rate_limit) + 1 END
    RETURNING w.placed, extract(epoch FROM w.window_start + interval '1 minute' - now())::float8
    INTO placed_now, seconds_left;
    IF placed_now > place_order.rate_limit THEN
        RETURN jsonb_build_object('outcome', 'throttled', 'placed', placed_now,
                                  'seconds_left', seconds_left);
    END IF;

    IF place_order.idempotency_key IS NOT NULL THEN
        INSERT INTO orders.idempotency_keys (user_id, key, request_hash)
        VALUES (place_order.user_id, place_order.idempotency_key, place_order.request_hash)
        ON CONFLICT ON CONSTRAINT idempotency_keys_pkey DO NOTHING;
        IF NOT FOUND THEN
            SELECT * INTO earlier FROM orders.idempotency_keys k
            WHERE k.user_id = place_order.user_id AND k.key = place_order.idempotency_key;
            RETURN jsonb_build_object('outcome', 'replay', 'request_hash', earlier.request_hash,
                                      'status', earlier.status_code, 'body', earlier.response);
        END IF;
    END IF;

    SELECT coalesce(bool_and(q.stock IS NOT NULL AND q.quantity > 0 AND q.stock >= q.quantity),
                    false),
           array_agg(q.product_id ORDER BY q.product_id), array_agg(q.sku ORDER BY q.product_id),
           array_agg(q.name ORDER BY q.product_id), array_agg(q.price_cents ORDER BY q.product_id),
           array_agg(q.quantity ORDER BY q.product_id), array_agg(q.stock ORDER BY q.product_id)
    INTO fits, l_products, l_skus, l_names, l_prices, l_quantities, l_stock
    FROM inventory.quote_order_lines(place_order.product_ids, place_order.quantities) q;

    IF fits THEN
        BEGIN
            INSERT INTO orders.orders AS o (id, user_id, total_cents, shipping, note)
            SELECT place_order.order_id, place_order.user_id, sum(p * q), place_order.shipping,
                   place_order.note
            FROM unnest(l_prices, l_quantities) AS t(p, q)
            RETURNING o.* INTO new_order;
            INSERT INTO orders.order_events (id, order_id, type, actor_id, data)
            VALUES (place_order.event_id, place_order.order_id, 'created', place_order.user_id,
                    '{}');
            INSERT INTO orders.outbox (id, order_id, payload)
            VALUES (place_order.outbox_id, place_order.order_id, place_order.payload);
            shown := jsonb_build_object(
                'id', new_order.id, 'user_id', new_order.user_id, 'status', new_order.status,
                'total_cents', new_order.total_cents,
                'customer_email', auth.account_email(new_order.user_id),
                'shipping', new_order.shipping, 'note', new_order.note,
                'summary', jsonb_build_object(
                    'status', new_order.summary_status, 'text', new_order.summary_text,
                    'risk', new_order.summary_risk, 'flags', new_order.summary_flags,
                    'model', new_order.summary_model,
                    'updated_at', orders.api_time(new_order.summary_updated_at)),
                'created_at', orders.api_time(new_order.created_at),
                'updated_at', orders.api_time(new_order.updated_at),
                'items', (SELECT jsonb_agg(jsonb_build_object(
                              'product_id', l.product_id, 'sku', l.sku, 'name', l.name,
                              'unit_price_cents', l.price, 'quantity', l.quantity,
                              'line_total_cents', l.price * l.quantity) ORDER BY l.n)
                          FROM unnest(l_products, l_skus, l_names, l_prices, l_quantities)
                               WITH ORDINALITY AS l(product_id, sku, name, price, quantity, n)));
            -- Webhook receivers are staff systems: they get the order as staff see it.
            IF webhooks.is_wanted('order.created') THEN
                INSERT INTO webhooks.events (id, type, data)
                VALUES (place_order.webhook_event_id, 'order.created', shown);
            END IF;
            l_stock := inventory.take_order_stock(place_order.order_id, place_order.user_id,
                                                  l_products, l_quantities,
                                                  place_order.movement_ids);
            IF l_stock IS NULL THEN
                INSERT INTO orders.order_lines
                    (order_id, line_no, product_id, sku, name, unit_price_cents, quantity,
                     line_total_cents)
                SELECT place_order.order_id, l.n, l.product_id, l.sku, l.name, l.price, l.quantity,
                       l.price * l.quantity
                FROM unnest(l_products, l_skus, l_names, l_prices, l_quantities)
                     WITH ORDINALITY AS l(product_id, sku, name, price, quantity, n);
                RETURN jsonb_build_object('outcome', 'created', 'order', shown);
            END IF;
            -- Short under the lock: undo this block's writes (l_stock keeps what was seen).
            RAISE EXCEPTION USING ERRCODE = 'P0S01';
        EXCEPTION WHEN SQLSTATE 'P0S01' THEN
            fits := false;
        END;
    END IF;

    RETURN jsonb_build_object('outcome', 'refused', 'lines', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('product_id', r.product_id,
                                                     'requested', r.quantity,
                                                     'available', r.stock)
                                  ORDER BY r.product_id), '[]'::jsonb)
        FROM unnest(l_products, l_quantities, l_stock) AS r(product_id, quantity, stock)
        WHERE r.stock IS NULL OR r.stock < r.quantity));
END $$;

DROP FUNCTION inventory.take_stock_for_order_lines(uuid, uuid, uuid[], bigint[], uuid[]);
