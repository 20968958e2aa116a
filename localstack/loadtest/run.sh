#!/usr/bin/env bash
# `make loadtest`: load figures against a running `make dev` (or `make dev-load`), then pgbench
# on the same server for a ratio. wrk on loopback, CONNECTIONS (16) connections for DURATION
# (20 s) after a 3 s warm-up: POST /orders with 3-line orders (quantities 1, 2, 1 of distinct
# random products out of 100, by 16 customers), then GET /products?limit=20. Prints figures;
# asserts nothing.
#
# Settings (environment): API_PORT (8000), ADMIN_EMAIL / ADMIN_PASSWORD (default: make dev's
# local staff account), DATABASE_URL (its server runs pgbench), CONNECTIONS, DURATION, THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
api="http://127.0.0.1:${API_PORT:-8000}"
connections="${CONNECTIONS:-16}"
duration="${DURATION:-20}"
threads="${THREADS:-2}"
out="$PWD/.local/loadtest"
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
  echo "loadtest: wrk is not installed (Debian: apt-get install wrk)" >&2
  exit 2
fi
if ! curl -fsS -o /dev/null "$api/health"; then
  echo "loadtest: nothing answers at $api/health; start make dev (or make dev-load) first" >&2
  exit 2
fi
if [ -z "${ADMIN_EMAIL:-}" ] && [ -s .local/admin-password ]; then
  export ADMIN_EMAIL=admin@shop.local
  ADMIN_PASSWORD="$(cat .local/admin-password)"
  export ADMIN_PASSWORD
fi

python3 localstack/loadtest/prepare.py --api "$api" --out "$out"

source localstack/database-url.sh
# Every order updates its products' and its day's report rows. Where the server's autovacuum is
# off (as on some test machines), those rows' dead versions pile up run after
# run, and back-to-back runs get slower.
# RDS vacuums on its own; a run here starts from a vacuumed database instead.
if [ "$(psql "$DATABASE_URL" -Atc 'SHOW autovacuum')" = off ]; then
  echo "== autovacuum is off on this server: VACUUM before the run"
  psql "$DATABASE_URL" -qc VACUUM
fi

# One wrk run after a warm-up; its output is kept in $out/NAME.txt.
load() {
  local name=$1; shift
  wrk -t"$threads" -c"$connections" -d3s "$@" >/dev/null
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" >"$out/$name.txt"
}
rate() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {n = $5} END {print n + 0}' "$1"; }

echo "== POST /orders, $connections connections, ${duration}s"
load orders -s "$out/orders.lua" "$api"
echo "== GET /products?limit=20, $connections connections, ${duration}s"
load products "$api/products?limit=20"

echo "== pgbench TPC-B-like, scale 10, $connections clients, ${duration}s, same server"
server="$DATABASE_URL"
server="${server%/*}"
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS shop_loadtest_pgbench WITH (FORCE)" >/dev/null
psql "$server/postgres" -qc "CREATE DATABASE shop_loadtest_pgbench" >/dev/null
pgbench -i -q -s 10 "$server/shop_loadtest_pgbench" >/dev/null 2>&1
pgbench -c "$connections" -j "$threads" -T "$duration" "$server/shop_loadtest_pgbench" >"$out/pgbench.txt" 2>&1
tps="$(awk '/^tps = / {print $3}' "$out/pgbench.txt")"
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS shop_loadtest_pgbench WITH (FORCE)" >/dev/null

orders="$(rate "$out/orders.txt")"
products="$(rate "$out/products.txt")"
cat <<MSG

POST /orders            $orders orders/s   p99 $(p99 "$out/orders.txt")   non-2xx $(non2xx "$out/orders.txt")
GET /products?limit=20  $products req/s     p99 $(p99 "$out/products.txt")   non-2xx $(non2xx "$out/products.txt")
pgbench                 $tps TPS
orders/s ÷ TPS          $(python3 -c "print(f'{$orders / $tps:.2f}')")
load average            $(cut -d' ' -f1-3 /proc/loadavg)
(wrk output in $out/)
MSG
