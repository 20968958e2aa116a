-- The summary as staff act on it: a risk level and flags next to the text, the model that
-- wrote it, and `skipped` for orders that are not sent to the provider (cancelled before their
-- summary was written, or the day's AI budget is spent).
ALTER TABLE orders.orders DROP CONSTRAINT orders_summary_status_check;
ALTER TABLE orders.orders ADD CONSTRAINT orders_summary_status_check
    CHECK (summary_status IN ('pending', 'ready', 'failed', 'disabled', 'skipped'));

ALTER TABLE orders.orders
    ADD COLUMN summary_risk  text  CHECK (summary_risk IN ('low', 'medium', 'high')),
    -- Computed by code from the order, the ledger and the customer's history, never by the model.
    ADD COLUMN summary_flags jsonb NOT NULL DEFAULT '[]'::jsonb
                                   CHECK (jsonb_typeof(summary_flags) = 'array'),
    ADD COLUMN summary_model text;

-- One row per provider answer that was paid for, so the day's spend survives a summary being
-- written again (the order's own columns only hold the latest one).
CREATE TABLE orders.ai_usage (
    id                uuid          PRIMARY KEY,
    order_id          uuid          NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    model             text          NOT NULL,
    prompt_tokens     bigint        NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens bigint        NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    -- What the provider reported (`usage.cost`, US dollars); 0 when it reported none.
    cost_usd          numeric(14,8) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
    created_at        timestamptz   NOT NULL DEFAULT now()
);
-- The UTC day's spend: a range scan on time.
CREATE INDEX ai_usage_by_time ON orders.ai_usage (created_at);
