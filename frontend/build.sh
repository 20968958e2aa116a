#!/usr/bin/env bash
# Installs the app's packages when the lock file changed, then builds the static app against
# the API at $1 (VITE_API_URL).
set -euo pipefail
cd "$(dirname "$0")"
api_url="${1:?usage: frontend/build.sh API_URL}"
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
VITE_API_URL="$api_url" npm run --silent build
