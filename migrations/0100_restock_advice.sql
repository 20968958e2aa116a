-- The AI restock note: one row per run of the scheduled `restock-advice` function that decided
-- something (a note written, a failure, a skip). Staff read the latest attempt's status and the
-- last good note's text beside the suggestions.
CREATE TABLE inventory.restock_advice (
    id                uuid          PRIMARY KEY,
    -- ready: a note (from the provider, or the plain "nothing to restock" one);
    -- failed: the provider failed or refused; skipped: the day's AI budget is spent;
    -- disabled: no provider configured.
    status            text          NOT NULL CHECK (status IN ('ready', 'failed', 'skipped', 'disabled')),
    text              text          CHECK (status = 'ready' OR text IS NULL),
    -- The SKUs the note puts first, as the model listed them (each one among the suggestions).
    priorities        text[]        NOT NULL DEFAULT '{}',
    -- The facts the note was written from (the JSON document sent): a run whose facts equal
    -- the latest good note's asks nothing again.
    input             jsonb         NOT NULL,
    suggestions       integer       NOT NULL CHECK (suggestions >= 0),
    model             text,
    prompt_tokens     bigint        NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens bigint        NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    -- What the provider reported (`usage.cost`, US dollars); counts toward AI_DAILY_BUDGET_USD
    -- together with the order summaries' orders.ai_usage.
    cost_usd          numeric(14,8) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
    error             text,
    generated_at      timestamptz   NOT NULL DEFAULT now()
);
-- The latest attempt, the latest good note, and the UTC day's spend: all by time.
CREATE INDEX restock_advice_by_time ON inventory.restock_advice (generated_at);
CREATE INDEX restock_advice_ready_by_time ON inventory.restock_advice (generated_at)
    WHERE status = 'ready';

-- shop_advice: the restock-advice function. It reads what the suggestions are made of (the
-- catalogue, open purchase orders, recent sales through the orders domain's function) and the
-- day's AI spend, and writes only its own notes: no product, stock or order can change through it.
DO $$
BEGIN
    BEGIN
        CREATE ROLE shop_advice LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
    END;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'shop_advice', 'MEMBER') THEN
        GRANT shop_advice TO current_user;
    END IF;
END $$;

GRANT USAGE ON SCHEMA inventory, orders TO shop_advice;
GRANT SELECT (id, sku, name, stock, low_stock_threshold, reorder_quantity, archived_at)
    ON inventory.products TO shop_advice;
GRANT SELECT (id, status) ON inventory.purchase_orders TO shop_advice;
GRANT SELECT (purchase_order_id, product_id, quantity, received)
    ON inventory.purchase_order_lines TO shop_advice;
GRANT EXECUTE ON FUNCTION orders.units_sold_since(int) TO shop_advice;
GRANT SELECT, INSERT ON inventory.restock_advice TO shop_advice;
-- The day's AI spend (AI_DAILY_BUDGET_USD counts the order summaries' cost as well).
GRANT SELECT (cost_usd, prompt_tokens, completion_tokens, created_at) ON orders.ai_usage
    TO shop_advice;

-- The suggestions route (catalogue) shows the note; the summary's budget check and the stock
-- report (catalogue) count the notes' cost in the day's AI spend.
GRANT SELECT ON inventory.restock_advice TO shop_catalogue;
GRANT USAGE ON SCHEMA inventory TO shop_summary;
GRANT SELECT (cost_usd, prompt_tokens, completion_tokens, model, generated_at)
    ON inventory.restock_advice TO shop_summary;
GRANT SELECT (cost_usd, prompt_tokens, completion_tokens, created_at) ON orders.ai_usage
    TO shop_catalogue;
