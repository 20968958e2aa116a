#!/usr/bin/env bash
# make bench-lambda: release zips of a few functions (cargo lambda, host architecture), then
# their cold starts, first invocations, warm invocations and memory against a local Lambda
# Runtime API, a Postgres with verified TLS and moto (bench.py prints the table).
#
# Settings (environment): LAMBDA_BENCH_FUNCTIONS (some of "health products-list orders-create",
# the ones bench.py has a request for), LAMBDA_BENCH_COLD_STARTS (10), LAMBDA_BENCH_WARM (1000),
# LAMBDA_BENCH_SKIP_BUILD=1 to measure the zips already built, LAMBDA_BENCH_ZIPS (the directory
# of <function>/bootstrap.zip to measure; the build's target/lambda), LAMBDA_BENCH_SSLMODE
# (verify-full; `disable` shows what TLS adds), LAMBDA_BENCH_PORT (19600: the Runtime APIs on it
# and the 31 ports above, Postgres on +32, moto on +66).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="localstack/lambda_bench"
venv="$root/.local/venv"
work="$root/.local/lambda-bench"
functions=(${LAMBDA_BENCH_FUNCTIONS:-health products-list orders-create})
port="${LAMBDA_BENCH_PORT:-19600}"
pg_port=$((port + 32))
sqs_port=$((port + 66))
target="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$work"

if [ "${LAMBDA_BENCH_SKIP_BUILD:-}" != 1 ]; then
    bins=()
    for function in "${functions[@]}"; do bins+=(--bin "$function"); done
    started=$(date +%s)
    CARGO_LAMBDA_COMPILER=cargo "$venv/bin/cargo-lambda" lambda build --release --compiler cargo \
        --output-format zip "${bins[@]}"
    echo "release build of ${functions[*]}: $(($(date +%s) - started)) s"
fi

moto_pid=""
cleanup() {
    # A stopped server's status (143) must not end the trap before Postgres is stopped.
    [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null && { wait "$moto_pid" 2>/dev/null || true; }
    "$here/tls_postgres.sh" stop "$work/postgres" || true
}
trap cleanup EXIT

ca="$("$here/tls_postgres.sh" start "$work/postgres" "$pg_port")"
owner_url="postgres://postgres@127.0.0.1:$pg_port/shop_lambda_bench"
psql -q "postgres://postgres@127.0.0.1:$pg_port/postgres" -tc \
    "SELECT 1 FROM pg_database WHERE datname = 'shop_lambda_bench'" | grep -q 1 ||
    psql -q "postgres://postgres@127.0.0.1:$pg_port/postgres" -c "CREATE DATABASE shop_lambda_bench"
DATABASE_URL="$owner_url" cargo run --quiet --bin shopctl -- migrate
DATABASE_URL="$owner_url" cargo run --quiet --bin shopctl -- seed-demo >/dev/null
psql -q "$owner_url" -v ON_ERROR_STOP=1 -f "$here/seed.sql"

export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_ENDPOINT_URL_SQS="http://127.0.0.1:$sqs_port"
export AWS_ENDPOINT_URL_SECRETS_MANAGER="$AWS_ENDPOINT_URL_SQS"
"$venv/bin/python" localstack/sqs_server.py -H 127.0.0.1 -p "$sqs_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "$AWS_ENDPOINT_URL_SQS/moto-api/" 2>/dev/null && break; sleep 0.2; done
ORDERS_QUEUE_URL="$("$venv/bin/python" localstack/create_queues.py | sed -n 1p)"
export ORDERS_QUEUE_URL

# The functions verify the server against this CA alone, as they verify RDS Proxy in AWS.
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/shop_lambda_bench?sslmode=${LAMBDA_BENCH_SSLMODE:-verify-full}"
export DATABASE_CA_CERT="$ca"
# One customer places every order: lift the per-customer throttle.
export ORDER_RATE_LIMIT_PER_MINUTE=100000000

"$venv/bin/python" "$here/bench.py" --lambda-dir "${LAMBDA_BENCH_ZIPS:-$target/lambda}" --work-dir "$work" \
    --runtime-port "$port" --product-id 01a23228-0000-7000-8000-0000000057c0 \
    --customer-id 01a23228-0000-7000-8000-00000000be0c "${functions[@]}"
