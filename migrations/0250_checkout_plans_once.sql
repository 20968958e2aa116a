-- The checkout statement's own queries are planned once per connection. PL/pgSQL keeps each
-- query's plan, but a query with parameters is planned again for every call (a custom plan)
-- until Postgres judges a generic plan as cheap; for most of `orders.place_order`'s queries it
-- never does, so every order paid the planner for each of them (`standard_planner` 4.5 % of
-- all CPU under 16 concurrent checkouts). Every one of those queries looks rows up by key or
-- reads the call's own arrays, so the generic plan is the plan it would get anyway. Measured
-- with pgbench calling the statement, alternating: 16 clients 808/967/852 → 1186/1096/1059 TPS;
-- 1 client 583/724 → 772/807. The setting holds while the statement runs, for the functions and
-- triggers it calls too.
ALTER FUNCTION orders.place_order(uuid, uuid, uuid[], bigint[], uuid[], jsonb, text, uuid, uuid,
                                  jsonb, text, text, int, uuid)
    SET plan_cache_mode = force_generic_plan;
