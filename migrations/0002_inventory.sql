-- The catalogue and its stock ledger.
--
-- `stock` is a cached sum: every change to it writes one row in stock_movements in the same
-- transaction, so stock = Σ delta always holds and every unit can be traced to a reason.
CREATE SCHEMA IF NOT EXISTS inventory;
-- Trigram indexes serve the catalogue search (`q` matches anywhere in sku or name).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE inventory.products (
    id                  uuid        PRIMARY KEY,
    sku                 text        NOT NULL CHECK (sku ~ '^[A-Za-z0-9_-]{1,64}$'),
    name                text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description         text,
    price_cents         bigint      NOT NULL CHECK (price_cents BETWEEN 0 AND 100000000),
    -- The database, not the application, is the last word on "never negative".
    stock               bigint      NOT NULL DEFAULT 0 CHECK (stock >= 0),
    low_stock_threshold bigint      NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
    -- Archived products vanish from the catalogue but stay referenced by old orders.
    archived_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- A sku names one product forever, archived or not, so old orders stay unambiguous.
CREATE UNIQUE INDEX products_sku_key ON inventory.products (sku);
-- Catalogue order and keyset paging: (name, id) over active products.
CREATE INDEX products_active_by_name ON inventory.products (name, id) WHERE archived_at IS NULL;
-- The low-stock view, kept small by its predicate.
CREATE INDEX products_low_stock_by_name ON inventory.products (name, id)
    WHERE archived_at IS NULL AND stock <= low_stock_threshold;
-- Case-insensitive substring search on name and sku.
CREATE INDEX products_name_trgm ON inventory.products USING gin (lower(name) gin_trgm_ops)
    WHERE archived_at IS NULL;
CREATE INDEX products_sku_trgm ON inventory.products USING gin (lower(sku) gin_trgm_ops)
    WHERE archived_at IS NULL;

CREATE TABLE inventory.stock_movements (
    id          uuid        PRIMARY KEY,
    product_id  uuid        NOT NULL REFERENCES inventory.products (id),
    delta       bigint      NOT NULL CHECK (delta <> 0),
    reason      text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 200),
    -- Set when the movement comes from an order (taken at checkout, given back on cancel).
    order_id    uuid,
    stock_after bigint      NOT NULL CHECK (stock_after >= 0),
    -- clock_timestamp, not now(): movements of one transaction still get distinct, ordered times.
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Newest-first history of one product, paged by (created_at, id).
CREATE INDEX stock_movements_by_product ON inventory.stock_movements (product_id, created_at DESC, id DESC);
CREATE INDEX stock_movements_by_order ON inventory.stock_movements (order_id) WHERE order_id IS NOT NULL;
