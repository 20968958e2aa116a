#!/usr/bin/env bash
# End-to-end: starts the local stack exactly as `make dev` does (on its own ports and its own
# database, so a running `make dev` is left alone), drives it over HTTP, then stops what it
# started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source localstack/log-dir.sh
logs="$SHOP_LOG_DIR/e2e"
mkdir -p "$logs"
export SHOP_LOG_DIR="$logs"

export API_PORT="${E2E_API_PORT:-8100}"
export SQS_PORT="${E2E_SQS_PORT:-4666}"
export APP_PORT="${E2E_APP_PORT:-3100}"
source localstack/database-url.sh
server="$DATABASE_URL"
server="${server%/*}"
# The stack reaches Postgres and SQS through fault proxies (localstack/fault_proxy.py) that the
# fault tests cut or slow, leaving the servers themselves (which others share) alone. Their
# ports follow the API port unless set.
db_proxy_port="${E2E_DB_PROXY_PORT:-$((API_PORT + 4))}"
export E2E_DB_PROXY_CONTROL="http://127.0.0.1:${E2E_DB_PROXY_CONTROL_PORT:-$((API_PORT + 5))}"
sqs_proxy_port="${E2E_SQS_PROXY_PORT:-$((API_PORT + 6))}"
export E2E_SQS_PROXY_CONTROL="http://127.0.0.1:${E2E_SQS_PROXY_CONTROL_PORT:-$((API_PORT + 7))}"
db_host_port="${server##*@}"; db_host_port="${db_host_port##*/}"
export DATABASE_URL="${server%"$db_host_port"}127.0.0.1:$db_proxy_port/${E2E_DATABASE:-shop_e2e}"
export AWS_ENDPOINT_URL_SQS="http://127.0.0.1:$sqs_proxy_port"
# Secrets straight from moto, not through the SQS fault proxy: a slowed queue must not slow a
# function's start-up.
export AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$SQS_PORT"
export ADMIN_EMAIL="${E2E_ADMIN_EMAIL:-admin@shop.local}"
export ADMIN_PASSWORD="${E2E_ADMIN_PASSWORD:-admin-password-123}"
export E2E_API_URL="http://127.0.0.1:$API_PORT"

# The AI summary against a fake provider (localstack/fake_provider.py; behaviour chosen by
# markers in product names), with the stack's environment fixed at start.
provider_port="${E2E_PROVIDER_PORT:-4699}"
export OPENROUTER_API_KEY=e2e-key
export OPENROUTER_BASE_URL="http://127.0.0.1:$provider_port"
export OPENROUTER_MODEL=fake/model
# The restock note's schedule on a short clock, so the end-to-end check sees one written.
export ADVICE_INTERVAL_SECONDS="${ADVICE_INTERVAL_SECONDS:-5}"

# A clean database every run, so results never depend on a previous one.
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS ${E2E_DATABASE:-shop_e2e} WITH (FORCE)" >/dev/null

stack_pid="" provider_pid="" sqs_pid="" db_proxy_pid="" sqs_proxy_pid=""
stop_stack() {
  if [ -n "$stack_pid" ]; then
    kill -TERM -- "-$stack_pid" 2>/dev/null || true
    wait "$stack_pid" 2>/dev/null || true
  fi
  # A paused SQS (the outage test) must be resumed to hear the TERM.
  if [ -n "$sqs_pid" ]; then kill -CONT "$sqs_pid" 2>/dev/null || true; fi
  for pid in $sqs_pid $provider_pid $db_proxy_pid $sqs_proxy_pid; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap stop_stack EXIT

setsid .local/venv/bin/python localstack/fake_provider.py --port "$provider_port" >"$logs/provider.log" 2>&1 &
provider_pid=$!
# moto is started here rather than by dev.sh (which then uses it), so the SQS-outage test can
# pause and resume it by pid.
setsid .local/venv/bin/python localstack/sqs_server.py -H 127.0.0.1 -p "$SQS_PORT" >"$logs/sqs.log" 2>&1 &
sqs_pid=$!
export E2E_SQS_PID=$sqs_pid
setsid python3 localstack/fault_proxy.py --listen-port "$db_proxy_port" --target "$db_host_port" \
  --control-port "${E2E_DB_PROXY_CONTROL##*:}" >"$logs/db-proxy.log" 2>&1 &
db_proxy_pid=$!
setsid python3 localstack/fault_proxy.py --listen-port "$sqs_proxy_port" --target "127.0.0.1:$SQS_PORT" \
  --control-port "${E2E_SQS_PROXY_CONTROL##*:}" >"$logs/sqs-proxy.log" 2>&1 &
sqs_proxy_pid=$!
for _ in $(seq 1 30); do
  curl -fsS -o /dev/null "$AWS_ENDPOINT_URL_SQS/moto-api/" 2>/dev/null \
    && curl -fsS -o /dev/null "$E2E_DB_PROXY_CONTROL/state" 2>/dev/null \
    && curl -fsS -o /dev/null "$OPENROUTER_BASE_URL/health" 2>/dev/null && break
  sleep 1
done

DEV_RELOAD=0 setsid localstack/dev.sh >"$logs/stack.log" 2>&1 &
stack_pid=$!
echo "local stack starting (pid $stack_pid, logs in $logs/)"
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "$E2E_API_URL/health" 2>/dev/null; then break; fi
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "the local stack exited during start-up:" >&2
    tail -n 50 "$logs/stack.log" >&2
    exit 1
  fi
  sleep 1
done
curl -fsS "$E2E_API_URL/health" >/dev/null || { tail -n 50 "$logs/stack.log" >&2; exit 1; }
# Up means the API's own description answers too: the suites and the fuzzer read it first.
# cargo lambda's emulator now and then answers a large response (this one is 136 KB) with its
# own 500 (shared/tests/e2e/client.rs says why), so it is asked until it answers.
described=""
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "$E2E_API_URL/openapi.json" 2>/dev/null; then described=1; break; fi
  sleep 1
done
[ -n "$described" ] || { tail -n 50 "$logs/api.log" >&2; exit 1; }
echo "local stack up at $E2E_API_URL"

# A failed suite prints the stack's last errors: CI keeps only this output, not the logs.
stack_errors() {
  echo "== the stack's last errors ($logs/api.log)" >&2
  grep -ai 'error\|panicked' "$logs/api.log" | tail -n 30 | cut -c1-400 >&2 || true
  return 1
}
cargo test -p shared --test e2e -- --ignored --test-threads 4 --skip faults:: || stack_errors
# The fault scenarios cut or slow what every test shares, so they run alone, one at a time.
cargo test -p shared --test e2e faults:: -- --ignored --test-threads 1 || stack_errors

# The app in a real browser (Debian's Chromium, driven by playwright-core).
(cd frontend && APP_URL="http://127.0.0.1:$APP_PORT" API_URL="$E2E_API_URL" E2E_EXPECT_SUMMARY=ready npm run --silent e2e)

# The OpenAPI fuzzer, as an admin, a customer and throwaway accounts (localstack/fuzz.sh). It
# runs after every other suite: what it changes (archived products, cancelled orders, demoted or
# disabled accounts, ended sessions) can then disturb no other test.
FUZZ_REPORT_DIR="$logs/fuzz" localstack/fuzz.sh

# Last: a SIGTERM to the stack's script alone (not its process group) must stop everything it
# started and free its ports, as Ctrl-C or a supervisor's stop would.
localstack/check-stop.sh "$stack_pid" "$API_PORT" "$APP_PORT"
stack_pid=""
