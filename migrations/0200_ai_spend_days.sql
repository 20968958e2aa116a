-- With AI_DAILY_BUDGET_USD set, every summary and restock note first reads the UTC day's AI
-- spend, and /reports/stock shows it. Summed from orders.ai_usage, that read covered every paid
-- answer of the day so far: each summary cost more than the one before, all day long. The
-- day's totals are now kept beside the rows, in 16 shards by usage id (as reports.daily_sales
-- is by order), so concurrent summaries do not queue on one row and a read is at most 16 rows.
-- Kept by a trigger in the same transaction as every insert, change (a backdated row moves
-- between days) and delete (an order's cascade) of orders.ai_usage.
CREATE TABLE orders.ai_spend_days (
    day               date          NOT NULL,
    shard             smallint      NOT NULL,
    cost_usd          numeric(20,8) NOT NULL DEFAULT 0,
    answers           bigint        NOT NULL DEFAULT 0,
    prompt_tokens     bigint        NOT NULL DEFAULT 0,
    completion_tokens bigint        NOT NULL DEFAULT 0,
    PRIMARY KEY (day, shard)
);

-- Adds one answer's figures (negated: takes them away) to its day's shard row.
CREATE FUNCTION orders.add_ai_spend(answer orders.ai_usage, sign int) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO orders.ai_spend_days AS d
        (day, shard, cost_usd, answers, prompt_tokens, completion_tokens)
    VALUES (reports.day_of(answer.created_at), reports.shard_of(answer.id),
            sign * answer.cost_usd, sign, sign * answer.prompt_tokens,
            sign * answer.completion_tokens)
    ON CONFLICT ON CONSTRAINT ai_spend_days_pkey DO UPDATE SET
        cost_usd = d.cost_usd + EXCLUDED.cost_usd,
        answers = d.answers + EXCLUDED.answers,
        prompt_tokens = d.prompt_tokens + EXCLUDED.prompt_tokens,
        completion_tokens = d.completion_tokens + EXCLUDED.completion_tokens;
END $$;

-- Runs with the migrating owner's rights: writing ai_usage needs no grant on the totals. An
-- update takes the old figures away and adds the new ones (two statements: both may fall on the
-- same shard row).
CREATE FUNCTION orders.count_ai_spend() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM orders.add_ai_spend(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM orders.add_ai_spend(NEW, 1);
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION orders.count_ai_spend(), orders.add_ai_spend(orders.ai_usage, int)
    FROM PUBLIC;

CREATE TRIGGER ai_usage_counts_spend
    AFTER INSERT OR DELETE OR UPDATE OF created_at, cost_usd, prompt_tokens, completion_tokens
    ON orders.ai_usage
    FOR EACH ROW EXECUTE FUNCTION orders.count_ai_spend();

INSERT INTO orders.ai_spend_days (day, shard, cost_usd, answers, prompt_tokens, completion_tokens)
SELECT reports.day_of(u.created_at), reports.shard_of(u.id), sum(u.cost_usd), count(*),
       sum(u.prompt_tokens), sum(u.completion_tokens)
FROM orders.ai_usage u
GROUP BY 1, 2;

-- Whoever read the day's spend from ai_usage reads the totals instead.
GRANT SELECT ON orders.ai_spend_days TO shop_summary, shop_advice, shop_catalogue;
