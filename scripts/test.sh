#!/usr/bin/env bash
# Runs every Tessera test on a fresh machine: builds the package (library,
# `tessera` CLI, tests), then runs the whole suite. Extra arguments go to
# `swift test` (for example: scripts/test.sh --filter Interop).
set -euo pipefail
cd "$(dirname "$0")/.."

# compress-nio links the system zlib; Debian ships its headers in zlib1g-dev.
if [ ! -f /usr/include/zlib.h ]; then
    echo "zlib headers missing: installing zlib1g-dev" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && apt-get install -y -qq zlib1g-dev
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq zlib1g-dev
    fi
fi

swift build --build-tests
# The CLI tests run the executable built above.
TESSERA_BIN="$PWD/.build/debug/tessera" swift test --skip-build "$@"
