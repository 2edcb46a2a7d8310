#!/usr/bin/env bash
# The end-to-end tests of `tessera serve` (Tests/e2e, docs/serve-contract.md):
# the JSON API, the pages, the admin CLI, forward auth behind a real nginx,
# two servers on one PostgreSQL store, a real browser (headless Chromium), and
# the client CLI (login, request, logout, --form) with cookies.txt shared with curl.
#
#     scripts/test-e2e.sh [PYTEST ARGS...]         # e.g. -k browser, -x
#     scripts/with-postgres.sh scripts/test-e2e.sh  # with a throwaway PostgreSQL
#
# Environment:
#   TESSERA_BIN           the binary under test (default .build/debug/tessera;
#                         this script does not build it: run `swift build`)
#   TESSERA_POSTGRES_URL  postgres://USER:PASS@127.0.0.1:PORT/DB of a throwaway
#                         server whose user may CREATE DATABASE: every PostgreSQL
#                         test makes a database of its own there and drops it.
#                         Unset, those tests are skipped (with the reason).
#   TESSERA_E2E_TIMEOUT   seconds the whole run may take (default 600)
#
# Installs what is missing, from Debian's packages (as root, or through sudo):
# nginx, chromium, chromium-driver, python3-venv, curl, publicsuffix, and postgresql-client when a
# PostgreSQL URL is given; then the pinned Python packages of
# Tests/e2e/requirements.txt into .build-e2e/venv. nginx and Chromium run
# from temporary directories; nothing is started as a system service.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages -----------------------------------------------------------

missing=()
# On bookworm nginx-light is only a meta package over nginx; either has auth_request.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
# curl: the cookies.txt round trips; publicsuffix: the list the client's cookie jar reads.
command -v curl >/dev/null || missing+=(curl)
[ -f /usr/share/publicsuffix/public_suffix_list.dat ] || missing+=(publicsuffix)
if [ -n "${TESSERA_POSTGRES_URL:-}" ] && ! command -v psql >/dev/null; then
    missing+=(postgresql-client)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "test-e2e: installing ${missing[*]} from Debian's packages" >&2
    as_root apt-get update -qq
    # RUNLEVEL=1: the packages' scripts start no system nginx.
    as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nginx_bin=/usr/sbin/nginx
[ -x "$nginx_bin" ] || nginx_bin=$(command -v nginx)
if ! "$nginx_bin" -V 2>&1 | grep -q -- --with-http_auth_request_module; then
    echo "test-e2e: $nginx_bin lacks the auth_request module the forward-auth tests need" >&2
    exit 1
fi

# --- Python packages -----------------------------------------------------------

venv=.build-e2e/venv
requirements=Tests/e2e/requirements.txt
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
fi

# --- Run -------------------------------------------------------------------------

export TESSERA_BIN="${TESSERA_BIN:-.build/debug/tessera}"
if [ ! -x "$TESSERA_BIN" ]; then
    echo "test-e2e: no tessera binary at $TESSERA_BIN (build it with swift build, or set TESSERA_BIN)" >&2
    exit 1
fi
if [ -z "${TESSERA_POSTGRES_URL:-}" ]; then
    echo "test-e2e: TESSERA_POSTGRES_URL is not set: the PostgreSQL tests will be skipped" >&2
fi
export TESSERA_E2E_REQUIRE_TOOLS=1   # a missing nginx or Chromium fails here, never skips
export PYTHONDONTWRITEBYTECODE=1     # no __pycache__ in the work tree
export SE_OFFLINE=true               # Selenium uses /usr/bin/chromedriver, never downloads one
mkdir -p .build-e2e

# timeout runs pytest in a process group of its own, with every server, nginx
# and browser the tests start: on expiry, or on INT/TERM here, the whole group
# goes.
timeout --kill-after=30 "${TESSERA_E2E_TIMEOUT:-600}" \
    "$venv/bin/python" -m pytest -q Tests/e2e "$@" &
runner=$!
trap 'kill -TERM -- -"$runner" 2>/dev/null || kill -TERM "$runner" 2>/dev/null || true' INT TERM
status=0
wait "$runner" || status=$?
while kill -0 "$runner" 2>/dev/null; do
    status=0
    wait "$runner" || status=$?
done
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "test-e2e: the run took longer than ${TESSERA_E2E_TIMEOUT:-600} s and was stopped" >&2
fi
exit "$status"
