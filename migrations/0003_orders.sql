-- Orders, their lines, idempotency records and the outbox that feeds the summary queue.
CREATE SCHEMA IF NOT EXISTS orders;

CREATE TABLE orders.orders (
    id                 uuid        PRIMARY KEY,
    user_id            uuid        NOT NULL REFERENCES auth.users (id),
    status             text        NOT NULL DEFAULT 'confirmed'
                                   CHECK (status IN ('confirmed', 'cancelled', 'fulfilled')),
    total_cents        bigint      NOT NULL CHECK (total_cents >= 0),
    -- The AI summary: pending until the summary function stores text (ready), gives up
    -- (failed), or finds no provider configured (disabled).
    summary_status     text        NOT NULL DEFAULT 'pending'
                                   CHECK (summary_status IN ('pending', 'ready', 'failed', 'disabled')),
    summary_text       text,
    summary_updated_at timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK ((summary_status = 'ready') = (summary_text IS NOT NULL))
);

-- "My orders" and "all orders", newest first, keyset-paged by (created_at, id).
CREATE INDEX orders_by_user ON orders.orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_by_time ON orders.orders (created_at DESC, id DESC);

-- Lines keep the sku, name and price of the moment of ordering: later catalogue edits
-- must not rewrite what a customer bought.
CREATE TABLE orders.order_lines (
    order_id         uuid   NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    line_no          int    NOT NULL,
    product_id       uuid   NOT NULL REFERENCES inventory.products (id),
    sku              text   NOT NULL,
    name             text   NOT NULL,
    unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
    quantity         bigint NOT NULL CHECK (quantity > 0),
    line_total_cents bigint NOT NULL CHECK (line_total_cents = unit_price_cents * quantity),
    PRIMARY KEY (order_id, line_no),
    UNIQUE (order_id, product_id)
);

-- A repeat of POST /orders with the same key replays the stored answer. The order transaction
-- claims the key first; the primary key makes a concurrent repeat wait for that transaction and
-- then find its answer, instead of creating a second order.
CREATE TABLE orders.idempotency_keys (
    user_id      uuid        NOT NULL REFERENCES auth.users (id),
    key          text        NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash text        NOT NULL,
    -- Filled in before the claiming transaction commits; NULL only while it is in flight.
    status_code  smallint,
    response     jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
-- Expiry sweeps (keys live at least 24 hours).
CREATE INDEX idempotency_keys_by_age ON orders.idempotency_keys (created_at);

-- Transactional outbox: written with the order, sent to SQS after commit, and re-sent by the
-- relay if that send failed. Nothing reaches the queue that was not committed, and nothing
-- committed is lost.
CREATE TABLE orders.outbox (
    id         uuid        PRIMARY KEY,
    order_id   uuid        NOT NULL REFERENCES orders.orders (id),
    payload    jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    attempts   int         NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX outbox_unsent ON orders.outbox (created_at) WHERE sent_at IS NULL;
