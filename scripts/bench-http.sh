#!/usr/bin/env bash
# The HTTP benchmark: a bare Hummingbird route and the same route behind
# each Tessera authenticator, driven by wrk on loopback, in one run.
#
#   scripts/bench-http.sh                 # release build, 2 rounds x 8 s per route
#   scripts/bench-http.sh --seconds 3 --rounds 1 --bin .build/debug/tessera   # a quick smoke run
#
# Prints one line per route: requests/s, p99 latency, and the ratio of its
# requests/s to /bare measured in the same round. Rounds interleave the
# routes, so machine noise reaches them all alike. Before measuring, every
# route is checked to answer 200 with its credential; a run in which wrk
# saw any non-2xx answer fails, so a table of fast 401s can't pass for one.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=8
rounds=2
connections=32
bin=""
port=18089
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

if ! command -v wrk >/dev/null; then
    echo "wrk missing: installing it from Debian's packages" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi

if [ -z "$bin" ]; then
    swift build -c release --scratch-path .build-release --product tessera >&2
    bin=.build-release/release/tessera
fi

workdir=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$workdir"
}
trap cleanup EXIT

"$bin" bench-server --port "$port" --sqlite "$workdir/bench.db" >"$workdir/credentials" 2>"$workdir/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
    if [ -s "$workdir/credentials" ] && curl -fsS "http://127.0.0.1:$port/bare" >/dev/null 2>&1; then break; fi
    sleep 0.1
done

routes=(bare signed-cookie sealed-session memory-session sqlite-session jwt api-key)
header_of() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$workdir/credentials" "$1"
}

# Every route answers 200 with its credential, and 401 without it.
for route in "${routes[@]}"; do
    header=$(header_of "$route")
    args=(-s -o /dev/null -w '%{http_code}')
    [ -n "$header" ] && args+=(-H "$header")
    with=$(curl "${args[@]}" "http://127.0.0.1:$port/$route")
    without=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/$route")
    expected_without=401
    [ "$route" = bare ] && expected_without=200
    if [ "$with" != 200 ] || [ "$without" != "$expected_without" ]; then
        echo "route /$route answered $with with its credential and $without without it" >&2
        cat "$workdir/server.log" >&2
        exit 1
    fi
done

results="$workdir/results"
: >"$results"
for round in $(seq 1 "$rounds"); do
    for route in "${routes[@]}"; do
        header=$(header_of "$route")
        args=(-t 2 -c "$connections" -d "${seconds}s" --latency)
        [ -n "$header" ] && args+=(-H "$header")
        out=$(wrk "${args[@]}" "http://127.0.0.1:$port/$route")
        if grep -q "Non-2xx" <<<"$out"; then
            echo "wrk saw non-2xx answers on /$route:" >&2
            echo "$out" >&2
            exit 1
        fi
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        echo "$round $route $rps $p99" >>"$results"
    done
done

python3 - "$results" "$rounds" "$seconds" "$connections" <<'PY'
import sys
from collections import defaultdict

def millis(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)

rows = [line.split() for line in open(sys.argv[1])]
rps, p99, ratios = defaultdict(list), defaultdict(list), defaultdict(list)
bare = {r: float(v) for r, route, v, _ in rows if route == "bare"}
order = []
for r, route, v, latency in rows:
    if route not in order:
        order.append(route)
    rps[route].append(float(v))
    p99[route].append(millis(latency))
    ratios[route].append(float(v) / bare[r])
targets = {"signed-cookie": 0.9, "memory-session": 0.85, "sqlite-session": 0.6}
print(f"# {sys.argv[2]} round(s) x {sys.argv[3]} s per route, {sys.argv[4]} connections, wrk -t2, loopback")
print(f"{'route':<16} {'req/s':>9} {'p99 ms':>8} {'vs bare':>8}  target")
for route in order:
    n = len(rps[route])
    target = targets.get(route)
    mean_ratio = sum(ratios[route]) / n
    verdict = "" if target is None else (f">= {target:.2f} " + ("met" if mean_ratio >= target else "MISSED"))
    print(f"{route:<16} {sum(rps[route]) / n:>9.0f} {max(p99[route]):>8.2f} {mean_ratio:>8.2f}  {verdict}")
PY
