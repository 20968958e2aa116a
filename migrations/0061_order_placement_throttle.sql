-- Per-customer order throttle: one row per account, counting the POST /orders of its current
-- one-minute window. One upsert per order, locking only that account's row for the statement.
CREATE TABLE orders.placement_windows (
    user_id      uuid        PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
    window_start timestamptz NOT NULL,
    placed       int         NOT NULL CHECK (placed > 0)
);
