-- What the benchmark's invocations need beyond the demo catalogue: a customer to place the
-- orders (its token is signed by bench.py) and a product whose stock outlasts any run.
INSERT INTO auth.users (id, email, password_hash)
VALUES ('01a23228-0000-7000-8000-00000000be0c', 'bench@shop.local', 'no password: signs in by token only')
ON CONFLICT (id) DO NOTHING;

INSERT INTO inventory.products (id, sku, name, price_cents, stock)
VALUES ('01a23228-0000-7000-8000-0000000057c0', 'BENCH-1', 'Benchmark tea', 450, 1000000000)
ON CONFLICT (id) DO UPDATE SET stock = 1000000000;
