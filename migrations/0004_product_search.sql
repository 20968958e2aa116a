-- Catalogue search on one column instead of two.
--
-- With separate trigram indexes on lower(name) and lower(sku), `q` needed an OR of two LIKEs;
-- the planner misjudged how many rows that matches and walked the name index filtering tens of
-- thousands of rows for a rare term. One generated column has statistics of its own, one index
-- answers it, and rare terms become a small bitmap scan. The unit separator (chr 31) between
-- sku and name keeps a search from matching across the two.
ALTER TABLE inventory.products
    ADD COLUMN search_text text GENERATED ALWAYS AS (lower(sku || chr(31) || name)) STORED;

CREATE INDEX products_search_trgm ON inventory.products USING gin (search_text gin_trgm_ops)
    WHERE archived_at IS NULL;

DROP INDEX inventory.products_name_trgm;
DROP INDEX inventory.products_sku_trgm;
