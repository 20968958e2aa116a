#!/usr/bin/env bash
# The local stack, in the foreground: Postgres checked and migrated, moto's SQS API on
# loopback with the orders queues, and every function under `cargo lambda watch`.
# Ctrl-C or SIGTERM stops everything this script started, and nothing else.
#
# Secrets (the JWT key pair, OPENROUTER_API_KEY when given) go into the local Secrets Manager API
# (moto's, on the SQS port) and the functions get only their ARNs, as in AWS.
#
# Settings (environment): DATABASE_URL, API_PORT (8000), SQS_PORT (4566), APP_PORT (3000), ADMIN_EMAIL,
# ADMIN_PASSWORD (both unset: a local staff account admin@shop.local with a generated password kept
# in .local/admin-password), OPENROUTER_API_KEY, OPENROUTER_BASE_URL, OPENROUTER_MODEL (a comma list falls
# back in order), AI_DAILY_BUDGET_USD, WEBHOOK_SECRETS_KEY (unset: generated into .local/),
# AWS_ENDPOINT_URL_SQS to use an SQS API that is already running (LocalStack), DEV_PROFILE and
# DEV_CONCURRENCY, DEV_RELOAD, FAKE_PROVIDER_DELAY_MS and PROVIDER_PORT (4699; below).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv="$root/.local/venv"
source localstack/log-dir.sh
logs="$SHOP_LOG_DIR"
mkdir -p "$logs"
export PATH="$venv/bin:$PATH"

source localstack/database-url.sh
API_PORT="${API_PORT:-8000}"
SQS_PORT="${SQS_PORT:-4566}"
APP_PORT="${APP_PORT:-3000}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_ENDPOINT_URL_SQS="${AWS_ENDPOINT_URL_SQS:-http://127.0.0.1:$SQS_PORT}"
# moto (and LocalStack) serve every API on one port.
export AWS_ENDPOINT_URL_SECRETS_MANAGER="${AWS_ENDPOINT_URL_SECRETS_MANAGER:-$AWS_ENDPOINT_URL_SQS}"
export RUST_LOG="${RUST_LOG:-info}"

pids=()
# Each component runs in a process group of its own (see start). Stopping waits for the whole
# group, not just its leader: a leader (npx, cargo lambda) may exit on TERM while the server it
# started is still shutting down, and that server must not outlive the stack. A group still
# there after the grace period is killed.
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  local grace=${STOP_GRACE_SECONDS:-10} alive
  for _ in $(seq 1 $((grace * 10))); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command in its own process group so stopping it stops its children too.
start() {
  local name=$1; shift
  setsid "$@" >"$logs/$name.log" 2>&1 &
  pids+=("$!")
  echo "started $name (pid $!, log $logs/$name.log)"
}

wait_for() {
  local what=$1 url=$2 seconds=$3
  for _ in $(seq 1 "$seconds"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "$what did not answer at $url within ${seconds}s" >&2
  return 1
}

# DEV_PROFILE picks the cargo profile the functions are built and run with (dev: debug builds,
# rebuilt on change); DEV_CONCURRENCY how many instances of each function `cargo lambda watch`
# may run at once (1, as a cold Lambda). `make dev-load` sets bench (optimised) and 4.
DEV_PROFILE="${DEV_PROFILE:-dev}"
DEV_CONCURRENCY="${DEV_CONCURRENCY:-1}"
# DEV_RELOAD=0: functions are not rebuilt and restarted when a file changes, so a test or load
# run is not restarted mid-run by an edit. cargo lambda watch also gives every instance it starts
# a watcher of the whole tree (target/ included), which can exceed the kernel's inotify watches
# (MaxFilesWatch: instances then fail to start; .ci/run raises the limit). `make dev` keeps the
# reload (1); e2e.sh and `make dev-load` set 0.
reload_args=()
if [ "${DEV_RELOAD:-1}" = 0 ]; then reload_args=(--ignore-changes); fi
target_dir="${CARGO_TARGET_DIR:-target}"
case "$DEV_PROFILE" in
  dev) bin_dir="$target_dir/debug" ;;
  release | bench) bin_dir="$target_dir/release" ;;
  *) bin_dir="$target_dir/$DEV_PROFILE" ;;
esac

echo "== building the functions ($DEV_PROFILE profile)"
cargo build --workspace --bins --profile "$DEV_PROFILE"

echo "== building the app against http://127.0.0.1:$API_PORT"
frontend/build.sh "http://127.0.0.1:$API_PORT"

echo "== database"
localstack/ensure-postgres.sh
"$bin_dir/shopctl" migrate
# First run without ADMIN_EMAIL/ADMIN_PASSWORD: a local staff account, so the staff pages can be
# tried at once. Its password is generated once and kept (readable by this user only) so it stays
# the same from run to run; the banner below shows it.
admin_note=""
if [ -z "${ADMIN_EMAIL:-}" ] && [ -z "${ADMIN_PASSWORD:-}" ]; then
  password_file="$root/.local/admin-password"
  if [ ! -s "$password_file" ]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(18))' >"$password_file")
  fi
  export ADMIN_EMAIL=admin@shop.local
  ADMIN_PASSWORD="$(cat "$password_file")"
  export ADMIN_PASSWORD
  admin_note="  Staff    $ADMIN_EMAIL / $ADMIN_PASSWORD   (generated; kept in .local/admin-password)"
elif [ -n "${ADMIN_EMAIL:-}" ] && [ -n "${ADMIN_PASSWORD:-}" ]; then
  admin_note="  Staff    $ADMIN_EMAIL   (password from ADMIN_PASSWORD)"
else
  echo "set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither (a local staff account is then made)" >&2
  exit 2
fi
"$bin_dir/shopctl" bootstrap-admin
# Only the bootstrap uses the admin's password; no function sees it.
unset ADMIN_PASSWORD
if [ "${SEED_DEMO_DATA:-true}" != "false" ]; then "$bin_dir/shopctl" seed-demo; fi

echo "== signing keys"
# Given keys (JWT_PRIVATE_KEY and JWT_PUBLIC_KEY) or a local pair kept in .local/keys; either
# way they reach the functions through the local Secrets Manager below, never the environment.
if [ -n "${JWT_PRIVATE_KEY:-}" ] && [ -n "${JWT_PUBLIC_KEY:-}" ]; then
  secret_args=(JWT_PRIVATE_KEY=- JWT_PUBLIC_KEY=-)
else
  keys="$root/.local/keys"
  [ -f "$keys/jwt-private.pem" ] || "$bin_dir/shopctl" keygen "$keys"
  secret_args=(JWT_PRIVATE_KEY="$keys/jwt-private.pem" JWT_PUBLIC_KEY="$keys/jwt-public.pem")
fi
# FAKE_PROVIDER_DELAY_MS set (make dev-load sets 200): the AI summary runs against the local
# fake provider (localstack/fake_provider.py) answering after that many milliseconds, so a load
# run includes the whole summary pipeline without calling OpenRouter.
if [ -n "${FAKE_PROVIDER_DELAY_MS:-}" ] && [ -z "${OPENROUTER_API_KEY:-}" ]; then
  PROVIDER_PORT="${PROVIDER_PORT:-4699}"
  export OPENROUTER_API_KEY=fake-provider-key OPENROUTER_MODEL=fake/model
  export OPENROUTER_BASE_URL="http://127.0.0.1:$PROVIDER_PORT"
  start provider python3 localstack/fake_provider.py --port "$PROVIDER_PORT" --delay-ms "$FAKE_PROVIDER_DELAY_MS"
  wait_for "the fake AI provider" "$OPENROUTER_BASE_URL/health" 30
fi
if [ -n "${OPENROUTER_API_KEY:-}" ]; then secret_args+=(OPENROUTER_API_KEY=-); fi

# The key that seals webhook endpoints' signing secrets: generated once and kept, so endpoints
# made in an earlier run still sign. Receivers here run on loopback, which a deployed stack refuses.
if [ -z "${WEBHOOK_SECRETS_KEY:-}" ]; then
  key_file="$root/.local/webhook-secrets-key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())' >"$key_file")
  fi
  WEBHOOK_SECRETS_KEY="$(cat "$key_file")"
fi
export WEBHOOK_SECRETS_KEY
secret_args+=(WEBHOOK_SECRETS_KEY=-)
export WEBHOOKS_ALLOW_LOOPBACK="${WEBHOOKS_ALLOW_LOOPBACK:-1}"
# Webhook retries on a local clock: 8 attempts within about a minute (deployed: almost 7 hours),
# and a lost delivery message queued again after 5 minutes (deployed: 15).
export WEBHOOK_RETRY_SCHEDULE_SECONDS="${WEBHOOK_RETRY_SCHEDULE_SECONDS:-1,2,3,5,8,13,21}"
export WEBHOOK_REQUEUE_AFTER_SECONDS="${WEBHOOK_REQUEUE_AFTER_SECONDS:-300}"
export WEBHOOK_DELIVERIES_VISIBILITY_TIMEOUT="${WEBHOOK_DELIVERIES_VISIBILITY_TIMEOUT:-10}"

# Summary retries on a local clock: a failing provider ends in `failed` within about two minutes
# (back-off 2, 4, 8, 16 s over five receives) instead of the deployed tens of minutes.
export ORDERS_VISIBILITY_TIMEOUT="${ORDERS_VISIBILITY_TIMEOUT:-30}"
export ORDERS_MAX_RECEIVE_COUNT="${ORDERS_MAX_RECEIVE_COUNT:-5}"
export SUMMARY_RETRY_BASE_SECONDS="${SUMMARY_RETRY_BASE_SECONDS:-2}"
export SUMMARY_REQUEST_TIMEOUT_SECONDS="${SUMMARY_REQUEST_TIMEOUT_SECONDS:-10}"
export SUMMARY_BREAKER_COOL_DOWN_SECONDS="${SUMMARY_BREAKER_COOL_DOWN_SECONDS:-5}"
# Past this a summary still pending is settled as failed by outbox-relay: five receives of at
# most a 30 s visibility timeout each, plus their back-offs (deployed: 2 hours).
export SUMMARY_PENDING_HORIZON_SECONDS="${SUMMARY_PENDING_HORIZON_SECONDS:-180}"
# Load tests run through the local stack, many orders a minute from one account: the
# per-customer order throttle (deployed: 30 a minute) is raised here.
export ORDER_RATE_LIMIT_PER_MINUTE="${ORDER_RATE_LIMIT_PER_MINUTE:-100000}"

# Every local client shares 127.0.0.1, so the per-address sign-in and registration bounds would
# throttle the whole stack at once (tests, load runs); the per-email bound stays as deployed.
export LOGIN_MAX_FAILURES_PER_SOURCE="${LOGIN_MAX_FAILURES_PER_SOURCE:-100000}"
export REGISTER_MAX_PER_SOURCE="${REGISTER_MAX_PER_SOURCE:-100000}"

echo "== SQS at $AWS_ENDPOINT_URL_SQS"
if ! curl -fsS -o /dev/null "$AWS_ENDPOINT_URL_SQS" 2>/dev/null; then
  start sqs python3 localstack/sqs_server.py -H 127.0.0.1 -p "$SQS_PORT"
  wait_for "moto" "$AWS_ENDPOINT_URL_SQS/moto-api/" 30
fi
queue_urls="$(python3 localstack/create_queues.py --endpoint "$AWS_ENDPOINT_URL_SQS")"
ORDERS_QUEUE_URL="$(sed -n 1p <<<"$queue_urls")"
WEBHOOK_DELIVERIES_QUEUE_URL="$(sed -n 2p <<<"$queue_urls")"
export ORDERS_QUEUE_URL WEBHOOK_DELIVERIES_QUEUE_URL
echo "orders queue: $ORDERS_QUEUE_URL"
echo "webhook deliveries queue: $WEBHOOK_DELIVERIES_QUEUE_URL"

echo "== secrets at $AWS_ENDPOINT_URL_SECRETS_MANAGER"
secret_arns="$(python3 localstack/create_secrets.py "${secret_args[@]}")"
while IFS='=' read -r name arn; do
  export "$name=$arn"
  echo "$name=$arn"
done <<<"$secret_arns"
unset JWT_PRIVATE_KEY JWT_PUBLIC_KEY OPENROUTER_API_KEY WEBHOOK_SECRETS_KEY

echo "== functions on http://127.0.0.1:$API_PORT"
start api cargo lambda watch -A 127.0.0.1 -P "$API_PORT" --profile "$DEV_PROFILE" \
  --concurrency "$DEV_CONCURRENCY" ${reload_args[@]+"${reload_args[@]}"}
wait_for "the API" "http://127.0.0.1:$API_PORT/health" 300
# The queue -> order-summary event source and the outbox-relay schedule, as AWS runs them.
# One poller per order-summary instance, so the consumer keeps up with the orders.
start events env API_PORT="$API_PORT" EVENT_SOURCE_POLLERS="${EVENT_SOURCE_POLLERS:-$((DEV_CONCURRENCY > 2 ? DEV_CONCURRENCY : 2))}" \
  python3 localstack/event_source.py
# The static build, served as S3 + CloudFront would serve it.
start app bash -c "cd frontend && exec npx --no-install vite preview --host 127.0.0.1 --port $APP_PORT --strictPort"
wait_for "the app" "http://127.0.0.1:$APP_PORT/" 60

cat <<MSG

The shop is running:
  App      http://127.0.0.1:$APP_PORT
  API      http://127.0.0.1:$API_PORT   (try /health, /openapi.json)
  SQS      $AWS_ENDPOINT_URL_SQS
$admin_note
Logs are in $logs/. Ctrl-C stops everything.
MSG

# Stay in the foreground until something exits or we are told to stop.
wait -n "${pids[@]}"
echo "a component stopped; shutting down" >&2
exit 1
