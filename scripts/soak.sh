#!/usr/bin/env bash
# The long soak of `tessera serve` (Tests/e2e/test_soak.py): mixed traffic
# (sign-ins, session reads, forward auth, API keys, refreshes, session data,
# sign-outs) for SECONDS (default 600 = 10 minutes), once on SQLite and once
# on PostgreSQL, checking that every answer is the expected one and that the
# resident size grows by less than 10% after the first 20% of the run. The
# default suite runs the same test for 45 s on each. Without
# TESSERA_POSTGRES_URL it starts a throwaway PostgreSQL (scripts/with-postgres.sh).
#
#     scripts/soak.sh [SECONDS]
#
# Like scripts/test-e2e.sh, it does not build: run `swift build` first, or
# set TESSERA_BIN (a release build soaks the code users run:
# swift build -c release && TESSERA_BIN=.build/release/tessera scripts/soak.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
case "$seconds" in
    '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

export TESSERA_SOAK_SECONDS="$seconds"
# Room for set-up and tear-down around the soak itself.
export TESSERA_E2E_TIMEOUT="${TESSERA_E2E_TIMEOUT:-$((seconds + 600))}"
if [ -n "${TESSERA_POSTGRES_URL:-}" ]; then
    exec scripts/test-e2e.sh -k soak "${@:2}"
fi
exec scripts/with-postgres.sh scripts/test-e2e.sh -k soak "${@:2}"
