#!/usr/bin/env bash
# Starts a Postgres cluster of the benchmark's own with TLS on loopback: a fresh certificate
# authority signs the server's certificate (localhost, 127.0.0.1), so a client that verifies
# the server (`sslmode=verify-full`) trusts exactly that CA.
#
#   tls_postgres.sh start DIR PORT     initdb (first time), certificates, start; prints the CA path
#   tls_postgres.sh stop DIR
#
# Postgres refuses to run as root: when started as root the cluster belongs to `postgres`.
set -euo pipefail

action="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
bin="$(dirname "$(readlink -f "$(command -v initdb)")")"

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
stop)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    exit 0
    ;;
start) port="$3" ;;
*) echo "usage: tls_postgres.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac

mkdir -p "$dir/tls"
if [ ! -f "$dir/tls/ca.pem" ]; then
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 30 \
        -subj "/CN=shop benchmark CA" -keyout "$dir/tls/ca.key" -out "$dir/tls/ca.pem" 2>/dev/null
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/CN=localhost" \
        -keyout "$dir/tls/server.key" -out "$dir/tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        >"$dir/tls/server.ext"
    openssl x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.pem" -CAkey "$dir/tls/ca.key" \
        -CAcreateserial -days 30 -extfile "$dir/tls/server.ext" -out "$dir/tls/server.pem" 2>/dev/null
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir/data"
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >/dev/null
fi
[ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
chmod 600 "$dir/tls/server.key"

if [ ! -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir -c ssl=on \
         -c ssl_cert_file=$dir/tls/server.pem -c ssl_key_file=$dir/tls/server.key \
         -c max_connections=50" >/dev/null
fi
echo "$dir/tls/ca.pem"
