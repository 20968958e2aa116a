#!/usr/bin/env bash
# Sends SIGTERM to a running local stack (localstack/dev.sh, by pid) — to that process alone, as
# `kill` or a supervisor would — and checks that it stops everything it started: every process
# below it has exited and its ports are free again.
# Usage: localstack/check-stop.sh PID PORT...   (STOP_TIMEOUT_SECONDS, default 30)
set -euo pipefail
stack=${1:?usage: check-stop.sh PID PORT...}
shift
timeout=${STOP_TIMEOUT_SECONDS:-30}

# Everything below the stack, found through parent links (its components run in their own
# process groups and sessions, so a group or session listing would miss them).
descendants() {
  local parent=$1 child
  for child in $(ps -o pid= --ppid "$parent" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

started=$(descendants "$stack" | sort -n | tr '\n' ' ')
count=$(wc -w <<<"$started")
if [ "$count" -eq 0 ]; then
  echo "check-stop: pid $stack has no child processes; is it the running stack?" >&2
  exit 1
fi
for port in "$@"; do
  port_open "$port" || { echo "check-stop: nothing listens on :$port before the stop" >&2; exit 1; }
done

kill -TERM "$stack"
for _ in $(seq 1 $((timeout * 10))); do
  kill -0 "$stack" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$stack" 2>/dev/null; then
  echo "check-stop: the stack (pid $stack) still runs ${timeout}s after SIGTERM" >&2
  exit 1
fi

failed=0
for pid in $started; do
  # A zombie has exited; only a live process counts as left behind.
  state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
  if [ -n "$state" ] && [[ $state != Z* ]]; then
    echo "check-stop: left running after SIGTERM: $(ps -o pid=,args= -p "$pid")" >&2
    failed=1
  fi
done
for port in "$@"; do
  if port_open "$port"; then
    echo "check-stop: port $port still answers after SIGTERM" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1
echo "check-stop: SIGTERM stopped the stack and all $count processes it started; ports $* are free"
