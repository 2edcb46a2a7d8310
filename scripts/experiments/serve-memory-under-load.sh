#!/usr/bin/env bash
# Resident size of `tessera serve` on PostgreSQL while wrk loads one route
# after another, read after each round: how serve's memory growth on
# PostgreSQL was found and how its fix was checked (docs/PERFORMANCE.md,
# "Memory"). Needs wrk, curl and psql, and a PostgreSQL whose user may
# CREATE DATABASE:
#
#     swift build -c release --product tessera
#     scripts/with-postgres.sh scripts/experiments/serve-memory-under-load.sh .build/release/tessera [ROUNDS] [SECONDS]
#
# With the fixed pool, 8 rounds of 15 s on /healthz then on /api/me went
# from 45.4 MiB at rest to 50.9 MiB; with postgres-nio's growing pool, a
# 120 s load took it from 47 to 259 MiB.
set -euo pipefail
[ -n "${TESSERA_POSTGRES_URL:-}" ] || { echo "usage: scripts/with-postgres.sh $0 TESSERA-BINARY [ROUNDS] [SECONDS]" >&2; exit 2; }
binary=$1 rounds=${2:-3} seconds=${3:-8}
workdir=$(mktemp -d)
database="tessera_memory_$$"
psql "$TESSERA_POSTGRES_URL" -qc "CREATE DATABASE $database"
store="${TESSERA_POSTGRES_URL%/*}/$database?sslmode=disable"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --port "$port" --data-dir "$workdir" --store "$store" --scrypt-log-n 10 --log-level error >"$workdir/output" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    psql "$TESSERA_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
    rm -rf "$workdir"
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
resident() { awk '/^VmRSS:/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$server/status"; }
password=$(sed -n 's/.*admin password: \([^ ]*\).*/\1/p' "$workdir/output" | head -1)
cookie=$(curl -sf -c - -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$password\"}" \
    "http://127.0.0.1:$port/api/session" | awk '$6 ~ /session/ { print $6 "=" $7 }')
[ -n "$cookie" ] || { echo "could not sign in as admin" >&2; exit 1; }
echo "at rest: $(resident)"
for path in /healthz /api/me; do
    for round in $(seq "$rounds"); do
        rate=$(wrk -t2 -c32 -d"${seconds}s" -H "Cookie: $cookie" "http://127.0.0.1:$port$path" | awk '/Requests\/sec/ { print $2 }')
        echo "$path round $round: $(resident) ($rate req/s)"
    done
done
sleep 5
echo "5 s idle: $(resident)"
