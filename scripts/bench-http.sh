#!/usr/bin/env bash
# The HTTP benchmark: a bare Hummingbird route and the same route behind
# each Tessera authenticator, driven by wrk on loopback, in one run.
#
#   scripts/bench-http.sh                 # release build, 5 rounds x 3 s per measurement
#   scripts/bench-http.sh --seconds 3 --rounds 1 --bin .build/debug/tessera   # a quick smoke run
#   scripts/bench-http.sh --json results.json   # also write the figures as JSON (scripts/bench.sh does)
#
# Each route is measured right after /bare receiving the very same request
# (the same credential header, which the bare route ignores), so the ratio
# is what the authenticator adds and nothing else. Prints one line per
# route: requests/s, p99 latency, /bare's requests/s for the same request,
# the median of the per-round ratios and their range; rounds interleave the
# routes, so machine noise reaches them all alike (on a shared 2-core VM a
# single round's ratio can be off by 0.2). `/noop3` (three middlewares that
# only pass the request on) shows what Hummingbird's chain costs by itself.
# Before measuring, every
# route is checked to answer 200 with its credential; a run in which wrk
# saw any non-2xx answer fails, so a table of fast 401s can't pass for one.
# The server's CPU time per request (from /proc) is recorded for each route
# too, which shows what an authenticator costs in CPU rather than in req/s.
# With --profile-seconds N (scripts/bench.sh passes it), each route is then
# profiled for N seconds under the same load with `perf record -g`
# (Debian's linux-perf, installed if missing), and
# scripts/profile-attribution.py splits its samples into Tessera's own code
# (by type), sqlite-nio, the kernel and the rest; the shares go into the JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wrk-measure.sh

seconds=3
rounds=5
connections=32
bin=""
port=18089
json=""
profile_seconds=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --json) json="$2"; shift 2 ;;
        --profile-seconds) profile_seconds="$2"; shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
[ "$profile_seconds" -gt 0 ] && ! command -v perf >/dev/null && missing+=(linux-perf)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} from Debian's packages" >&2
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}" >/dev/null
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

routes=(bare noop3 signed-cookie sealed-session memory-session sqlite-session jwt api-key)
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
    case "$route" in bare | noop3) expected_without=200 ;; esac
    if [ "$with" != 200 ] || [ "$without" != "$expected_without" ]; then
        echo "route /$route answered $with with its credential and $without without it" >&2
        cat "$workdir/server.log" >&2
        exit 1
    fi
done

results="$workdir/results"
: >"$results"
measure() { # ROUND LABEL PATH HEADER
    local args=()
    [ -n "$4" ] && args+=(-H "$4")
    wrk_measure "$server_pid" "http://127.0.0.1:$port/$3" "$seconds" "$connections" ${args[@]+"${args[@]}"}
    echo "$1 $2 $WRK_RESULT" >>"$results"
}
for round in $(seq 1 "$rounds"); do
    for route in "${routes[@]}"; do
        header=$(header_of "$route")
        [ "$route" != bare ] && measure "$round" "bare+$route" bare "$header"
        measure "$round" "$route" "$route" "$header"
    done
done

# The CPU profile of each route under the same load: which code the
# server's time per request goes to (perf samples the server process only).
profile_json=""
if [ "$profile_seconds" -gt 0 ]; then
    if wrk_can_profile "$workdir"; then
        profiles=()
        for route in "${routes[@]}"; do
            header=$(header_of "$route")
            args=()
            [ -n "$header" ] && args+=(-H "$header")
            wrk_profile "$workdir/$route.perf" "$server_pid" "$profile_seconds" "$connections" \
                "http://127.0.0.1:$port/$route" ${args[@]+"${args[@]}"}
            profiles+=("$route=$workdir/$route.perf")
        done
        profile_json="$workdir/profile.json"
        python3 scripts/profile-attribution.py routes "$profile_json" "${profiles[@]}"
    else
        echo "bench-http: perf cannot record here (see /proc/sys/kernel/perf_event_paranoid); no CPU profile" >&2
    fi
fi

# How the server's CPU per request on /bare moves with the load: fewer
# connections, fewer requests per event-loop wakeup.
load_curve="$workdir/load-curve"
: >"$load_curve"
if [ "$profile_seconds" -gt 0 ]; then
    for clients in "$connections" 8 2; do
        wrk_measure "$server_pid" "http://127.0.0.1:$port/bare" "$seconds" "$clients"
        echo "$clients $WRK_RESULT" >>"$load_curve"
    done
fi

python3 - "$results" "$rounds" "$seconds" "$connections" "$json" "$profile_json" "$load_curve" <<'PY'
import json
import math
import sys
from collections import defaultdict

rows = [line.split() for line in open(sys.argv[1])]
rps, p50, p99, requests, cpu, timeouts = (defaultdict(list) for _ in range(6))
for _, label, value, median_ms, tail_ms, count, seconds, late in rows:
    rps[label].append(float(value))
    p50[label].append(float(median_ms))
    p99[label].append(float(tail_ms))
    requests[label].append(int(count))
    cpu[label].append(float(seconds))
    timeouts[label].append(int(late))
mean = lambda values: sum(values) / len(values)
median = lambda values: sorted(values)[len(values) // 2] if len(values) % 2 else sum(sorted(values)[len(values) // 2 - 1 : len(values) // 2 + 1]) / 2
targets = {"signed-cookie": 0.9, "memory-session": 0.85, "sqlite-session": 0.6}

def cpu_per_request_us(label):
    seconds, count = sum(cpu[label]), sum(requests[label])
    return None if math.isnan(seconds) or count == 0 else seconds / count * 1e6

report = {"rounds": int(sys.argv[2]), "seconds": float(sys.argv[3]), "connections": int(sys.argv[4]), "routes": []}
print(f"# {sys.argv[2]} round(s) x {sys.argv[3]} s per measurement, {sys.argv[4]} connections, wrk -t2, loopback")
print(f"{'route':<16} {'req/s':>9} {'p99 ms':>8} {'bare req/s':>11} {'bare p99':>9} {'vs bare':>8} {'rounds':>11}  target")
for label in [l for l in dict.fromkeys(row[1] for row in rows) if not l.startswith("bare+")]:
    base = "bare+" + label if label != "bare" else "bare"
    # Each round pairs the route with /bare measured just before it; the
    # median of those paired ratios shrugs off a burst of machine noise.
    ratios = [a / b for a, b in zip(rps[label], rps[base])]
    ratio = median(ratios)
    spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
    target = targets.get(label)
    verdict = "" if target is None else (f">= {target:.2f} " + ("met" if ratio >= target else "MISSED"))
    print(f"{label:<16} {mean(rps[label]):>9.0f} {max(p99[label]):>8.2f} {mean(rps[base]):>11.0f} {max(p99[base]):>9.2f} {ratio:>8.2f} {spread:>11}  {verdict}")
    report["routes"].append({
        "route": label, "requests_per_sec": mean(rps[label]), "p50_ms": median(p50[label]), "p99_ms": median(p99[label]),
        "p99_ms_max": max(p99[label]), "cpu_us_per_request": cpu_per_request_us(label),
        "bare_requests_per_sec": mean(rps[base]), "bare_p50_ms": median(p50[base]), "bare_p99_ms": median(p99[base]),
        "bare_cpu_us_per_request": cpu_per_request_us(base),
        "timeouts": sum(timeouts[label]), "ratio": ratio, "ratios": ratios, "target": target,
    })
if sys.argv[6]:
    report["profile"] = json.load(open(sys.argv[6]))
curve = [line.split() for line in open(sys.argv[7]) if line.strip()]
if curve:
    # connections, then wrk_measure's fields: req/s p50 p99 requests cpu_seconds timeouts
    report["bare_by_connections"] = [
        {"connections": int(row[0]), "requests_per_sec": float(row[1]),
         "cpu_us_per_request": float(row[5]) / int(row[4]) * 1e6 if row[5] != "nan" and int(row[4]) else None}
        for row in curve
    ]
if sys.argv[5]:
    with open(sys.argv[5], "w") as out:
        json.dump(report, out, indent=1)
PY
