-- Checkout in one statement: the order's throttle count, idempotency claim, stock, order, lines,
-- movements, timeline event, outbox row and webhook event are written by one call of `orders.place_order`, so
-- an order without an Idempotency-Key is one round trip (and one implicit transaction) instead
-- of one per step, and the products' row locks are held only while that call runs and commits.

-- Takes every line of an order at once, or none. When every line is on sale with enough stock,
-- the products are locked in id order (crossing orders wait instead of deadlocking), checked
-- again under the lock, and each is taken with its movement. Otherwise nothing is written and
-- every line comes back untaken with its available stock (NULL: unknown or archived), so the
-- caller needs no rollback to undo a partial take. A refusal seen before locking is answered
-- without a lock (the stock of one consistent moment), so a sold-out product's refusals do not
-- queue behind its sales. Lines name distinct products.
CREATE FUNCTION inventory.take_stock_for_order_lines(
    order_id uuid, actor_id uuid, product_ids uuid[], quantities bigint[], movement_ids uuid[]
) RETURNS TABLE (
    product_id uuid, sku text, name text, price_cents bigint, quantity bigint,
    stock bigint, low_stock_threshold bigint, taken boolean
)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    available bigint[];  -- per line, in the order given; NULL: unknown or archived
    fits      boolean;
BEGIN
    SELECT array_agg(p.stock ORDER BY l.n),
           coalesce(bool_and(p.stock IS NOT NULL AND l.quantity > 0 AND p.stock >= l.quantity), false)
    INTO available, fits
    FROM unnest(take_stock_for_order_lines.product_ids, take_stock_for_order_lines.quantities)
         WITH ORDINALITY AS l(product_id, quantity, n)
    LEFT JOIN inventory.products p ON p.id = l.product_id AND p.archived_at IS NULL;
    IF fits THEN
        SELECT array_agg(p.stock ORDER BY l.n),
               coalesce(bool_and(p.stock IS NOT NULL AND l.quantity > 0 AND p.stock >= l.quantity), false)
        INTO available, fits
        FROM unnest(take_stock_for_order_lines.product_ids, take_stock_for_order_lines.quantities)
             WITH ORDINALITY AS l(product_id, quantity, n)
        LEFT JOIN (SELECT pr.id, pr.stock, pr.archived_at FROM inventory.products pr
                   WHERE pr.id = ANY (take_stock_for_order_lines.product_ids)
                   ORDER BY pr.id
                   FOR UPDATE) p ON p.id = l.product_id AND p.archived_at IS NULL;
    END IF;
    IF NOT fits THEN
        RETURN QUERY
        SELECT l.product_id, NULL::text, NULL::text, NULL::bigint, l.quantity, l.stock,
               NULL::bigint, false
        FROM unnest(take_stock_for_order_lines.product_ids, take_stock_for_order_lines.quantities,
                    available) AS l(product_id, quantity, stock)
        ORDER BY l.product_id;
        RETURN;
    END IF;

    -- Every row is locked and fits: this statement's fresh snapshot sees them as checked.
    RETURN QUERY
    WITH lines AS (
        SELECT * FROM unnest(take_stock_for_order_lines.product_ids,
                             take_stock_for_order_lines.quantities,
                             take_stock_for_order_lines.movement_ids)
               AS l(product_id, quantity, movement_id)
    ), took AS (
        UPDATE inventory.products p
        SET stock = p.stock - l.quantity, updated_at = now()
        FROM lines l
        WHERE p.id = l.product_id
        RETURNING p.id, p.sku, p.name, p.price_cents, l.quantity, p.stock, p.low_stock_threshold,
                  l.movement_id
    ), moved AS (
        INSERT INTO inventory.stock_movements
            (id, product_id, delta, reason, order_id, actor_id, stock_after)
        SELECT t.movement_id, t.id, -t.quantity, 'order', take_stock_for_order_lines.order_id,
               take_stock_for_order_lines.actor_id, t.stock
        FROM took t
    )
    SELECT t.id, t.sku, t.name, t.price_cents, t.quantity, t.stock, t.low_stock_threshold, true
    FROM took t
    ORDER BY t.id;
END $$;

ALTER FUNCTION inventory.take_stock_for_order_lines(uuid, uuid, uuid[], bigint[], uuid[])
    OWNER TO shop_catalogue;
REVOKE ALL ON FUNCTION inventory.take_stock_for_order_lines(uuid, uuid, uuid[], bigint[], uuid[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.take_stock_for_order_lines(uuid, uuid, uuid[], bigint[], uuid[])
    TO shop_orders;

-- A time as the API writes it (RFC 3339 in UTC with "Z", the fraction in 0, 3 or 6 digits as
-- it needs), so an order built here reads exactly like the one GET /orders/{id} answers.
CREATE FUNCTION orders.api_time(at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT to_char(api_time.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN us = 0 THEN ''
                WHEN us % 1000 = 0 THEN '.' || lpad((us / 1000)::text, 3, '0')
                ELSE '.' || lpad(us::text, 6, '0') END
        || 'Z'
    FROM (SELECT (extract(microseconds FROM api_time.at)::bigint % 1000000) AS us) f
$$;

-- One checkout, as the orders role (SECURITY INVOKER: it needs no right the caller lacks). In
-- order: the account's placement window (locked first, so one account's orders take turns and
-- lock nothing else before it), the idempotency claim (a concurrent repeat waits on the key),
-- the stock, then the order with its lines, `created` event, outbox row and webhook event. The
-- outcome, as
-- JSON with `outcome`:
--   throttled {placed, seconds_left}          nothing else done; the count stands
--   replay    {request_hash, status, body}    the key was used before; nothing done
--   refused   {lines: [{product_id, requested, available}]}   unknown/archived (available null)
--                                             or short lines; nothing taken or written
--   created   {order}                         the order as staff see it (summary included),
--                                             lines in product-id order; also recorded as the
--                                             `order.created` webhook event
-- The caller stores a keyed answer (201 or 409) in the same transaction before commit.
CREATE FUNCTION orders.place_order(
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
    taken_all    boolean;
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

    SELECT bool_and(t.taken), array_agg(t.product_id ORDER BY t.product_id),
           array_agg(t.sku ORDER BY t.product_id), array_agg(t.name ORDER BY t.product_id),
           array_agg(t.price_cents ORDER BY t.product_id),
           array_agg(t.quantity ORDER BY t.product_id), array_agg(t.stock ORDER BY t.product_id)
    INTO taken_all, l_products, l_skus, l_names, l_prices, l_quantities, l_stock
    FROM inventory.take_stock_for_order_lines(place_order.order_id, place_order.user_id,
                                              place_order.product_ids, place_order.quantities,
                                              place_order.movement_ids) t;
    IF NOT coalesce(taken_all, false) THEN
        RETURN jsonb_build_object('outcome', 'refused', 'lines', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('product_id', r.product_id,
                                                         'requested', r.quantity,
                                                         'available', r.stock)
                                      ORDER BY r.product_id), '[]'::jsonb)
            FROM unnest(l_products, l_quantities, l_stock) AS r(product_id, quantity, stock)
            WHERE r.stock IS NULL OR r.stock < r.quantity));
    END IF;

    INSERT INTO orders.orders AS o (id, user_id, total_cents, shipping, note)
    SELECT place_order.order_id, place_order.user_id, sum(p * q), place_order.shipping,
           place_order.note
    FROM unnest(l_prices, l_quantities) AS t(p, q)
    RETURNING o.* INTO new_order;
    INSERT INTO orders.order_lines
        (order_id, line_no, product_id, sku, name, unit_price_cents, quantity, line_total_cents)
    SELECT place_order.order_id, l.n, l.product_id, l.sku, l.name, l.price, l.quantity,
           l.price * l.quantity
    FROM unnest(l_products, l_skus, l_names, l_prices, l_quantities)
         WITH ORDINALITY AS l(product_id, sku, name, price, quantity, n);
    INSERT INTO orders.order_events (id, order_id, type, actor_id, data)
    VALUES (place_order.event_id, place_order.order_id, 'created', place_order.user_id, '{}');
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
    INSERT INTO webhooks.events (id, type, data)
    VALUES (place_order.webhook_event_id, 'order.created', shown);
    RETURN jsonb_build_object('outcome', 'created', 'order', shown);
END $$;

REVOKE ALL ON FUNCTION orders.place_order(uuid, uuid, uuid[], bigint[], uuid[], jsonb, text, uuid,
                                          uuid, jsonb, text, text, int, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orders.place_order(uuid, uuid, uuid[], bigint[], uuid[], jsonb, text,
                                             uuid, uuid, jsonb, text, text, int, uuid) TO shop_orders;
