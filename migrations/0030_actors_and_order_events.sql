-- Who did what: the account behind every stock movement, and a timeline per order.

-- The account whose action moved the stock (staff adjusting, a customer ordering or cancelling);
-- NULL for the system (demo seed, older movements). No foreign key: the ledger is history and
-- must outlive any account.
ALTER TABLE inventory.stock_movements ADD COLUMN actor_id uuid;

-- An order's timeline, written in the same transaction as each change it records.
-- `type` is open-ended text (created, cancelled, fulfilled, summary_*, ...) so new kinds of
-- event need no migration.
CREATE TABLE orders.order_events (
    id         uuid        PRIMARY KEY,
    order_id   uuid        NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    type       text        NOT NULL CHECK (type ~ '^[a-z_]{1,64}$'),
    actor_id   uuid,
    data       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- clock_timestamp: events of one transaction keep their order.
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX order_events_by_order ON orders.order_events (order_id, created_at, id);

-- Orders placed before the timeline existed start it with their creation.
INSERT INTO orders.order_events (id, order_id, type, actor_id, created_at)
SELECT gen_random_uuid(), id, 'created', user_id, created_at FROM orders.orders;
