-- Marking an outbox row sent is a hint to the relay, not a fact anyone else relies on: when the
-- mark is lost (the server crashes before it reaches disk) the relay sends the row again, which
-- the summary consumer absorbs (it is idempotent per order). So the mark's transaction commits
-- without waiting for its WAL flush: checkout's answer no longer waits for a second disk flush
-- after the order's own. `set_config(..., true)` lasts to the end of the caller's transaction,
-- which for a lone `SELECT` is this statement's.
CREATE FUNCTION orders.mark_outbox_sent(outbox_id uuid) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    UPDATE orders.outbox SET sent_at = now(), attempts = attempts + 1, claimed_until = NULL
    WHERE id = mark_outbox_sent.outbox_id;
END $$;

REVOKE ALL ON FUNCTION orders.mark_outbox_sent(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orders.mark_outbox_sent(uuid) TO shop_orders, shop_relay;
