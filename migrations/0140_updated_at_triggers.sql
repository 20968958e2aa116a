-- One rule for every "last changed" column: a trigger sets it whenever the row changes, so no
-- UPDATE has to remember to (and one that forgets cannot leave a stale time behind).
CREATE FUNCTION public.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

-- The summary has its own clock: it changes with the summary's status, not the order's.
CREATE FUNCTION public.touch_summary_updated_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.summary_updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE TRIGGER products_touch_updated_at BEFORE UPDATE ON inventory.products
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
CREATE TRIGGER purchase_orders_touch_updated_at BEFORE UPDATE ON inventory.purchase_orders
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
-- An order's own fields after checkout are its status; summary writes do not change the order.
CREATE TRIGGER orders_touch_updated_at BEFORE UPDATE OF status ON orders.orders
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
CREATE TRIGGER orders_touch_summary_updated_at BEFORE UPDATE OF summary_status ON orders.orders
    FOR EACH ROW EXECUTE FUNCTION public.touch_summary_updated_at();
