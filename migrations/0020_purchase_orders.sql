-- Restocking: what staff usually order at once, and purchase orders from suppliers.
--
-- A purchase order's lines count as `incoming` while the order is open and not yet received.
-- Receiving adds stock through the ledger: one movement per product and receipt, carrying the
-- purchase order's id, so stock = Σ delta still holds and every received unit has its source.

-- 0: not set. Staff's usual order size; suggestions never propose less.
ALTER TABLE inventory.products
    ADD COLUMN reorder_quantity bigint NOT NULL DEFAULT 0
        CHECK (reorder_quantity BETWEEN 0 AND 1000000000);

CREATE TABLE inventory.purchase_orders (
    id          uuid        PRIMARY KEY,
    supplier    text        NOT NULL CHECK (char_length(supplier) BETWEEN 1 AND 200),
    status      text        NOT NULL DEFAULT 'open'
                            CHECK (status IN ('open', 'received', 'cancelled')),
    created_by  uuid        NOT NULL REFERENCES auth.users (id),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Newest first, all or by status, keyset-paged by (created_at, id).
CREATE INDEX purchase_orders_by_time ON inventory.purchase_orders (created_at DESC, id DESC);
CREATE INDEX purchase_orders_by_status ON inventory.purchase_orders (status, created_at DESC, id DESC);

CREATE TABLE inventory.purchase_order_lines (
    purchase_order_id uuid   NOT NULL REFERENCES inventory.purchase_orders (id),
    line_no           int    NOT NULL,
    product_id        uuid   NOT NULL REFERENCES inventory.products (id),
    quantity          bigint NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    -- The database is the last word on "never more than ordered", under any concurrency.
    received          bigint NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND quantity),
    unit_cost_cents   bigint CHECK (unit_cost_cents BETWEEN 0 AND 100000000),
    PRIMARY KEY (purchase_order_id, line_no),
    UNIQUE (purchase_order_id, product_id)
);

-- `incoming` of one product: its lines on open purchase orders.
CREATE INDEX purchase_order_lines_by_product ON inventory.purchase_order_lines (product_id);

-- Set when the movement is a receipt of a purchase order.
ALTER TABLE inventory.stock_movements
    ADD COLUMN purchase_order_id uuid REFERENCES inventory.purchase_orders (id);
CREATE INDEX stock_movements_by_purchase_order ON inventory.stock_movements (purchase_order_id)
    WHERE purchase_order_id IS NOT NULL;
