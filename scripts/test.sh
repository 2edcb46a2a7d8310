#!/usr/bin/env bash
# Runs every Tessera test on a fresh machine: builds the package (library,
# stores, `tessera` CLI, tests), starts a throwaway PostgreSQL for the store
# tests (or uses TESSERA_POSTGRES_URL when set), runs the whole suite, stops
# the server, then runs the end-to-end tests of `tessera serve`
# (scripts/test-e2e.sh), a smoke run of the HTTP benchmark and a short
# libFuzzer run of every fuzz target. Extra arguments go to `swift test`
# (for example: scripts/test.sh --filter Session).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# compress-nio links the system zlib; Debian ships its headers in zlib1g-dev.
if [ ! -f /usr/include/zlib.h ]; then
    echo "zlib headers missing: installing zlib1g-dev" >&2
    as_root apt-get update -qq && as_root apt-get install -y -qq zlib1g-dev
fi

swift build --build-tests
# The CLI tests run the executable built above; the PostgreSQL store tests
# run against the real server scripts/with-postgres.sh starts.
TESSERA_BIN="$PWD/.build/debug/tessera" scripts/with-postgres.sh swift test --skip-build "$@"
# `tessera serve` end to end, with real parts: HTTP clients, nginx in front
# (auth_request), two servers on one PostgreSQL, and headless Chromium
# (scripts/test-e2e.sh installs nginx, Chromium and the Python packages).
TESSERA_BIN="$PWD/.build/debug/tessera" scripts/with-postgres.sh scripts/test-e2e.sh
# The HTTP benchmark's routes and credentials, checked with a one-second
# smoke run of the debug build (real figures: scripts/bench-http.sh).
scripts/bench-http.sh --bin "$PWD/.build/debug/tessera" --seconds 1 --rounds 1 >/dev/null
# libFuzzer on every fuzz target, TESSERA_FUZZ_SECONDS each (default 10; 0
# skips it), from the seed corpora in Fuzz/Corpus. Last, because it compiles
# Tessera's own modules again in .build with the sanitizers (half a minute;
# the dependencies are the debug ones built above). Longer runs:
# scripts/fuzz.sh TARGET SECONDS, in release mode.
fuzz_seconds=${TESSERA_FUZZ_SECONDS:-10}
if [ "$fuzz_seconds" -gt 0 ]; then
    scripts/fuzz.sh --debug all "$fuzz_seconds"
fi
