#!/usr/bin/env bash
# Makes sure the Postgres at DATABASE_URL answers and its database exists.
# Starts the machine's own cluster when it is installed but stopped; otherwise says how to get one.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/database-url.sh"
url="$DATABASE_URL"
name="${url##*/}"; name="${name%%\?*}"
server="${url%/*}"
admin_url="$server/postgres"

answers() { psql "$admin_url" -qtAc 'SELECT 1' >/dev/null 2>&1; }

if ! answers; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "Postgres is not answering; starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
    for _ in $(seq 1 30); do answers && break; sleep 1; done
  fi
fi
if ! answers; then
  cat >&2 <<MSG
No Postgres answers at $server.
Start one, for example:
  - Debian/Ubuntu: sudo apt-get install postgresql && sudo pg_ctlcluster <version> main start
  - macOS:         brew install postgresql@16 && brew services start postgresql@16
then set DATABASE_URL (default: see localstack/database-url.sh) and try again.
MSG
  exit 1
fi
if [ "$(psql "$admin_url" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
  psql "$admin_url" -qc "CREATE DATABASE \"$name\"" >/dev/null
  echo "created database $name"
fi
