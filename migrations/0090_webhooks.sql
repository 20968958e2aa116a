-- Webhooks: staff subscribe HTTPS endpoints to events; each event reaches each subscribed
-- endpoint as one delivery, tried until a 2xx or the retry schedule is spent.
--
--   events      written by the domain whose change caused them, in that change's transaction
--   endpoints   the subscriptions; the signing secret is stored only sealed (AES-256-GCM under
--               WEBHOOK_SECRETS_KEY, which the database never sees)
--   deliveries  one per (event, endpoint), made by the relay's fan-out, never twice
--   attempts    every POST of a delivery, with what the receiver answered
--
-- shop_webhooks runs every webhook function. The domains that cause events may only add rows
-- to webhooks.events: no other grant on this schema, so they read no endpoint or secret.
CREATE SCHEMA webhooks;

CREATE TABLE webhooks.endpoints (
    id            uuid        PRIMARY KEY,
    url           text        NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2048),
    events        text[]      NOT NULL CHECK (cardinality(events) >= 1),
    active        boolean     NOT NULL DEFAULT true,
    -- 12-byte nonce followed by the ciphertext and tag of the `whsec_...` secret.
    secret_sealed bytea       NOT NULL,
    created_by    uuid,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX endpoints_by_time ON webhooks.endpoints (created_at DESC, id DESC);

CREATE TABLE webhooks.events (
    id            uuid        PRIMARY KEY,
    type          text        NOT NULL CHECK (type IN ('order.created', 'order.cancelled',
                      'order.fulfilled', 'product.low_stock', 'purchase_order.received')),
    data          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Set once the relay has made this event's deliveries.
    fanned_out_at timestamptz
);
CREATE INDEX events_to_fan_out ON webhooks.events (created_at) WHERE fanned_out_at IS NULL;
CREATE INDEX events_by_time ON webhooks.events (created_at);

CREATE TABLE webhooks.deliveries (
    id               uuid        PRIMARY KEY,
    event_id         uuid        NOT NULL REFERENCES webhooks.events (id) ON DELETE CASCADE,
    endpoint_id      uuid        NOT NULL REFERENCES webhooks.endpoints (id) ON DELETE CASCADE,
    status           text        NOT NULL DEFAULT 'pending'
                                 CHECK (status IN ('pending', 'delivered', 'failed')),
    -- Every attempt ever made, and those since the last staff retry (what the schedule counts).
    attempts         int         NOT NULL DEFAULT 0,
    round_attempts   int         NOT NULL DEFAULT 0,
    last_status_code int,
    last_error       text,
    next_attempt_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- When its id was last put on the deliveries queue (NULL: the relay queues it next run).
    queued_at        timestamptz,
    -- An attempt in progress holds this lease, so a second receipt of the message does not POST.
    leased_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Each endpoint gets each event once, under any number of concurrent relays.
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX deliveries_by_endpoint ON webhooks.deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX deliveries_pending ON webhooks.deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_time ON webhooks.deliveries (created_at);

CREATE TABLE webhooks.attempts (
    id            uuid        PRIMARY KEY,
    delivery_id   uuid        NOT NULL REFERENCES webhooks.deliveries (id) ON DELETE CASCADE,
    attempt       int         NOT NULL,
    status_code   int,
    error         text,
    -- The first 1 KB of the receiver's answer.
    response_body text,
    started_at    timestamptz NOT NULL,
    duration_ms   int         NOT NULL
);
CREATE INDEX attempts_by_delivery ON webhooks.attempts (delivery_id, attempt);

-- product.low_stock: any stock change (order, adjustment, cancellation, import...) writes one
-- movement, so one trigger on the ledger sees them all, in the change's own transaction. It
-- fires when a movement takes stock from above the threshold to at or below it. It runs with
-- the migrating owner's rights and a fixed search_path: the movement's writer needs no grant.
CREATE FUNCTION webhooks.product_data(product uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'id', p.id, 'sku', p.sku, 'name', p.name, 'description', p.description,
        'price_cents', p.price_cents, 'stock', p.stock,
        'low_stock_threshold', p.low_stock_threshold,
        'low_stock', p.stock <= p.low_stock_threshold,
        'reorder_quantity', p.reorder_quantity,
        'incoming', (SELECT COALESCE(sum(l.quantity - l.received), 0)::bigint
                     FROM inventory.purchase_order_lines l
                     JOIN inventory.purchase_orders o ON o.id = l.purchase_order_id
                     WHERE l.product_id = p.id AND o.status = 'open'),
        'created_at', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'updated_at', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    FROM inventory.products p WHERE p.id = product_data.product
$$;

CREATE FUNCTION webhooks.record_low_stock() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    threshold bigint;
BEGIN
    IF NEW.delta >= 0 THEN
        RETURN NULL;
    END IF;
    SELECT p.low_stock_threshold INTO threshold FROM inventory.products p WHERE p.id = NEW.product_id;
    IF threshold IS NOT NULL AND NEW.stock_after <= threshold
       AND NEW.stock_after - NEW.delta > threshold THEN
        INSERT INTO webhooks.events (id, type, data)
        VALUES (gen_random_uuid(), 'product.low_stock', webhooks.product_data(NEW.product_id));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stock_movements_low_stock_webhook
    AFTER INSERT ON inventory.stock_movements
    FOR EACH ROW EXECUTE FUNCTION webhooks.record_low_stock();
REVOKE ALL ON FUNCTION webhooks.product_data(uuid), webhooks.record_low_stock() FROM PUBLIC;

-- The role, created like those of migration 0080 (roles are server-wide; concurrent test
-- databases run this at the same moment).
DO $$
BEGIN
    BEGIN
        CREATE ROLE shop_webhooks LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
    END;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'shop_webhooks', 'MEMBER') THEN
        GRANT shop_webhooks TO current_user;
    END IF;
END $$;

GRANT USAGE ON SCHEMA webhooks TO shop_webhooks;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks.endpoints TO shop_webhooks;
-- Events are made by the other domains; the relay marks them fanned out and expires them.
GRANT SELECT, DELETE ON webhooks.events TO shop_webhooks;
GRANT UPDATE (fanned_out_at) ON webhooks.events TO shop_webhooks;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks.deliveries, webhooks.attempts TO shop_webhooks;
-- Staff routes check the caller's session.
GRANT USAGE ON SCHEMA auth TO shop_webhooks;
GRANT EXECUTE ON FUNCTION auth.session_state(uuid) TO shop_webhooks;

-- Orders (created, cancelled, fulfilled) and the catalogue (purchase orders received) add
-- events in their own transactions: INSERT only, nothing else of this schema.
GRANT USAGE ON SCHEMA webhooks TO shop_orders, shop_catalogue;
GRANT INSERT ON webhooks.events TO shop_orders, shop_catalogue;
