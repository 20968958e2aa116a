-- The relay claims outbox rows with a lease instead of a lock held across its SQS sends: a row
-- is claimed until `claimed_until`, sent, and marked sent on its own. A relay that dies keeps
-- its rows only until the lease runs out; one that is merely slow keeps what it already sent.
ALTER TABLE orders.outbox ADD COLUMN claimed_until timestamptz;

-- Sent rows are deleted after their retention; this finds them without reading unsent ones.
CREATE INDEX outbox_sent ON orders.outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Summaries still pending past the retry horizon are settled as failed by the scheduled relay.
CREATE INDEX orders_summary_pending ON orders.orders (summary_updated_at)
    WHERE summary_status = 'pending';
