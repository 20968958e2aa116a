-- A database role per domain, so a function can touch only the data its domain owns.
--
-- The migrating user (the RDS master user in AWS, `postgres` locally) owns every schema and
-- table and is the owner role: only db-migrate and `shopctl migrate` connect as it. Each
-- function connects as one of the roles below (shared::db_role lists which); none of them
-- owns anything, so none can alter a table or grant itself more.
--
--   shop_health     nothing at all: `SELECT 1` needs no table
--   shop_auth       the auth schema
--   shop_catalogue  products and the stock ledger
--   shop_orders     orders, lines, idempotency keys, the outbox; stock only through the
--                   catalogue's functions below
--   shop_summary    reads order facts, writes only the summary columns
--   shop_relay      the outbox and idempotency expiry
--
-- Roles belong to the whole server, not to one database: every database migrated on it (each
-- test database too, concurrently) runs this, so creation tolerates a role that exists or is
-- being created by another migration at the same moment. The roles LOG IN without a password:
-- locally Postgres trusts loopback users; in AWS the proxy authenticates them (infra/README.md).
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY[
        'shop_health', 'shop_auth', 'shop_catalogue', 'shop_orders', 'shop_summary', 'shop_relay'
    ] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN', role_name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
        -- A non-superuser migrator (RDS master) must be able to hand functions to these roles.
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           AND NOT pg_has_role(current_user, role_name, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', role_name, current_user);
        END IF;
    END LOOP;
END $$;

-- auth: accounts. No one else reads them; every request's check of its account goes through
-- a function of this schema, not a table grant.
GRANT USAGE ON SCHEMA auth TO shop_auth;
GRANT SELECT, INSERT, UPDATE ON auth.users TO shop_auth;
-- Sign-in and registration throttle windows.
GRANT SELECT, INSERT, UPDATE ON auth.attempt_windows TO shop_auth;

-- catalogue: products and the ledger. Movements are only ever added.
GRANT USAGE ON SCHEMA inventory TO shop_catalogue;
GRANT SELECT, INSERT, UPDATE ON inventory.products TO shop_catalogue;
GRANT SELECT, INSERT ON inventory.stock_movements TO shop_catalogue;
GRANT SELECT, INSERT, UPDATE ON inventory.purchase_orders, inventory.purchase_order_lines
    TO shop_catalogue;

-- orders: its own tables. An order's status and timestamps change; its total and lines do not.
GRANT USAGE ON SCHEMA orders TO shop_orders;
GRANT SELECT, INSERT ON orders.orders TO shop_orders;
GRANT UPDATE (status, updated_at) ON orders.orders TO shop_orders;
GRANT SELECT, INSERT ON orders.order_lines TO shop_orders;
GRANT SELECT, INSERT, UPDATE ON orders.idempotency_keys TO shop_orders;
GRANT SELECT, INSERT, UPDATE ON orders.outbox TO shop_orders;
GRANT SELECT, INSERT ON orders.order_events TO shop_orders;
GRANT SELECT, INSERT, UPDATE ON orders.placement_windows TO shop_orders;
-- Staff ask for a summary again (orders-summarise): the order goes back to pending.
GRANT UPDATE (summary_status, summary_text, summary_risk, summary_flags, summary_model,
              summary_updated_at) ON orders.orders TO shop_orders;

-- summary: reads what an order is and did to stock; writes only the summary columns.
GRANT USAGE ON SCHEMA orders, inventory TO shop_summary;
GRANT SELECT ON orders.orders, orders.order_lines TO shop_summary;
GRANT UPDATE (summary_status, summary_text, summary_risk, summary_flags, summary_model,
              summary_updated_at) ON orders.orders TO shop_summary;
-- What each provider answer cost, for the day's budget.
GRANT SELECT, INSERT ON orders.ai_usage TO shop_summary;
-- How each summary ended goes on the order's timeline.
GRANT SELECT, INSERT ON orders.order_events TO shop_summary;
GRANT SELECT ON inventory.products, inventory.stock_movements TO shop_summary;

-- relay: re-sends the outbox (and deletes sent rows after their retention), expires idempotency
-- keys, and settles summaries left pending past the retry horizon as failed.
GRANT USAGE ON SCHEMA orders TO shop_relay;
GRANT SELECT, UPDATE, DELETE ON orders.outbox TO shop_relay;
GRANT SELECT (user_id, key, created_at), DELETE ON orders.idempotency_keys TO shop_relay;
GRANT SELECT (id, summary_status, summary_updated_at),
      UPDATE (summary_status, summary_updated_at) ON orders.orders TO shop_relay;
GRANT INSERT ON orders.order_events TO shop_relay;

-- Report rollups: triggers on orders and their lines keep them, running as whoever changed the
-- order (orders, summary, relay); staff reports read them beside the catalogue.
GRANT USAGE ON SCHEMA reports TO shop_orders, shop_summary, shop_relay, shop_catalogue;
GRANT SELECT, INSERT, UPDATE ON reports.daily_sales, reports.daily_product_sales,
    reports.summary_counts TO shop_orders, shop_summary, shop_relay;
GRANT SELECT ON reports.daily_sales, reports.daily_product_sales, reports.summary_counts
    TO shop_catalogue;
REVOKE ALL ON FUNCTION reports.rebuild() FROM PUBLIC;

-- Every authenticated request checks its account's session (auth.session_state), and staff see
-- and search orders by the customer's email. The auth domain answers those through functions
-- that run with its rights, so no other role reads auth.users.
ALTER FUNCTION auth.session_state(uuid) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION auth.session_state(uuid) OWNER TO shop_auth;

CREATE FUNCTION auth.account_email(account uuid) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u.email FROM auth.users u WHERE u.id = account_email.account
$$;

-- Accounts whose lower-cased email matches a LIKE pattern (the caller escapes it).
CREATE FUNCTION auth.accounts_with_email_like(pattern text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u.id FROM auth.users u WHERE lower(u.email) LIKE accounts_with_email_like.pattern
$$;

ALTER FUNCTION auth.account_email(uuid) OWNER TO shop_auth;
ALTER FUNCTION auth.accounts_with_email_like(text) OWNER TO shop_auth;
REVOKE ALL ON FUNCTION auth.session_state(uuid), auth.account_email(uuid),
                       auth.accounts_with_email_like(text) FROM PUBLIC;
GRANT USAGE ON SCHEMA auth TO shop_catalogue, shop_orders;
GRANT EXECUTE ON FUNCTION auth.session_state(uuid) TO shop_auth, shop_catalogue, shop_orders;
GRANT EXECUTE ON FUNCTION auth.account_email(uuid), auth.accounts_with_email_like(text)
    TO shop_orders;

-- Restock suggestions (the catalogue) need how much of each product sold lately: the orders
-- domain answers that through a function, not with its tables.
CREATE FUNCTION orders.units_sold_since(days int)
RETURNS TABLE (product_id uuid, units bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.product_id, sum(l.quantity)::bigint
    FROM orders.orders o
    JOIN orders.order_lines l ON l.order_id = o.id
    WHERE o.status IN ('confirmed', 'fulfilled')
      AND o.created_at >= now() - make_interval(days => units_sold_since.days)
    GROUP BY l.product_id
$$;
ALTER FUNCTION orders.units_sold_since(int) OWNER TO shop_orders;
REVOKE ALL ON FUNCTION orders.units_sold_since(int) FROM PUBLIC;
GRANT USAGE ON SCHEMA orders TO shop_catalogue;
GRANT EXECUTE ON FUNCTION orders.units_sold_since(int) TO shop_catalogue;

-- Checkout takes stock, and cancelling gives it back, inside the order's own transaction. The
-- catalogue exposes exactly those two changes as functions that run with its rights (SECURITY
-- DEFINER, owned by shop_catalogue, with a fixed search_path so a caller's objects cannot stand
-- in for ours), each writing its own ledger row, so the orders role holds no grant on the
-- catalogue's tables and cannot change a price or write a movement of its own making.

-- Takes `quantity` (> 0) of an on-sale product for an order: the product as it was taken, or no
-- row when it is unknown, archived or short. The caller rolls back when any line fails.
CREATE FUNCTION inventory.take_stock_for_order(
    order_id uuid, movement_id uuid, product_id uuid, quantity bigint, actor_id uuid
) RETURNS TABLE (sku text, name text, price_cents bigint, stock_after bigint, low_stock_threshold bigint)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    WITH taken AS (
        UPDATE inventory.products p
        SET stock = p.stock - take_stock_for_order.quantity, updated_at = now()
        WHERE p.id = take_stock_for_order.product_id
          AND take_stock_for_order.quantity > 0
          AND p.archived_at IS NULL
          AND p.stock >= take_stock_for_order.quantity
        RETURNING p.id, p.sku, p.name, p.price_cents, p.stock, p.low_stock_threshold
    ), moved AS (
        INSERT INTO inventory.stock_movements
            (id, product_id, delta, reason, order_id, actor_id, stock_after)
        SELECT take_stock_for_order.movement_id, t.id, -take_stock_for_order.quantity, 'order',
               take_stock_for_order.order_id, take_stock_for_order.actor_id, t.stock
        FROM taken t
    )
    SELECT t.sku, t.name, t.price_cents, t.stock, t.low_stock_threshold FROM taken t
$$;

-- The stock of an on-sale product, NULL when it is unknown or archived: what a refused line reports.
CREATE FUNCTION inventory.stock_on_sale(product_id uuid) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.stock FROM inventory.products p
    WHERE p.id = stock_on_sale.product_id AND p.archived_at IS NULL
$$;

-- Gives back what an order took of one product, once: only when the ledger shows the order took
-- exactly `quantity` and has not given it back yet. Returns the stock after, or NULL.
CREATE FUNCTION inventory.give_back_stock_for_order(
    order_id uuid, movement_id uuid, product_id uuid, quantity bigint, actor_id uuid
) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    WITH given AS (
        UPDATE inventory.products p
        SET stock = p.stock + give_back_stock_for_order.quantity, updated_at = now()
        WHERE p.id = give_back_stock_for_order.product_id
          AND give_back_stock_for_order.quantity > 0
          AND EXISTS (
              SELECT 1 FROM inventory.stock_movements m
              WHERE m.order_id = give_back_stock_for_order.order_id
                AND m.product_id = give_back_stock_for_order.product_id
                AND m.delta = -give_back_stock_for_order.quantity)
          AND NOT EXISTS (
              SELECT 1 FROM inventory.stock_movements m
              WHERE m.order_id = give_back_stock_for_order.order_id
                AND m.product_id = give_back_stock_for_order.product_id
                AND m.delta > 0)
        RETURNING p.id, p.stock
    ), moved AS (
        INSERT INTO inventory.stock_movements
            (id, product_id, delta, reason, order_id, actor_id, stock_after)
        SELECT give_back_stock_for_order.movement_id, g.id, give_back_stock_for_order.quantity,
               'order cancelled', give_back_stock_for_order.order_id,
               give_back_stock_for_order.actor_id, g.stock
        FROM given g
    )
    SELECT g.stock FROM given g
$$;

ALTER FUNCTION inventory.take_stock_for_order(uuid, uuid, uuid, bigint, uuid) OWNER TO shop_catalogue;
ALTER FUNCTION inventory.stock_on_sale(uuid) OWNER TO shop_catalogue;
ALTER FUNCTION inventory.give_back_stock_for_order(uuid, uuid, uuid, bigint, uuid) OWNER TO shop_catalogue;
-- Functions are executable by everyone unless revoked.
REVOKE ALL ON FUNCTION inventory.take_stock_for_order(uuid, uuid, uuid, bigint, uuid),
                       inventory.stock_on_sale(uuid),
                       inventory.give_back_stock_for_order(uuid, uuid, uuid, bigint, uuid) FROM PUBLIC;
GRANT USAGE ON SCHEMA inventory TO shop_orders;
GRANT EXECUTE ON FUNCTION inventory.take_stock_for_order(uuid, uuid, uuid, bigint, uuid),
                          inventory.stock_on_sale(uuid),
                          inventory.give_back_stock_for_order(uuid, uuid, uuid, bigint, uuid) TO shop_orders;
