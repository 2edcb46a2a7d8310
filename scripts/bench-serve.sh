#!/usr/bin/env bash
# The HTTP benchmark of `tessera serve`: GET /api/me and GET /auth/verify
# with a session cookie, on SQLite and (when a URL is given) on PostgreSQL,
# driven by wrk on loopback, each next to a bare Hummingbird route measured
# right before it in the same run; then the latency of /api/me while
# password logins hash at the same time; and the server's resident size.
#
#   scripts/bench-serve.sh --bin .build/release/tessera --json serve.json
#   scripts/with-postgres.sh scripts/bench-serve.sh --bin …   # adds PostgreSQL (TESSERA_POSTGRES_URL)
#   scripts/bench-serve.sh --bin .build/debug/tessera --seconds 1 --rounds 1 --contention-seconds 2 --contention-rounds 1
#
# The bare route is `tessera bench-server`'s /bare (the same Hummingbird, no
# Tessera), sent the same Cookie header. serve's own /healthz is measured
# too, with no cookie (and so is its /bare), but it is not bare: it runs
# serve's whole middleware chain and reads the store once (a user lookup). Rounds interleave every (store, route) pair, and each
# ratio is the median of the per-round ratios to the /bare measured just
# before, so machine noise reaches them all alike.
#
# Logins: 0, 1 and 2 loops of POST /api/session (the default scrypt cost,
# about 1 s of one core each) run while wrk sends /api/me at a modest paced
# rate (--paced-connections connections, each waiting --paced-delay-ms
# between answer and next request), so the p99 shows what hashing does to
# other requests' latency rather than queueing at saturation. wrk measures
# each request from its send, so a stall is counted once per connection
# (closed loop); the in-process figure of `tessera bench` is open-loop.
#
# Resident size (VmRSS from /proc/PID/status) of each serve process: after
# start, at rest after one sign-in, the peak under the read load, the peak
# while logins hash, and at the end.
#
# With --profile-seconds N (scripts/bench.sh passes it), each serve process
# and bench-server's /bare are then profiled for N seconds under /api/me's
# load with `perf record -g`; scripts/profile-attribution.py splits the
# samples (Tessera's code, sqlite-nio, postgres-nio, kernel, the rest) into
# the JSON's "profile".
#
# Creates the user "bench-<time>" in each store; on a PostgreSQL of your own
# (TESSERA_POSTGRES_URL) that user stays behind. Everything else lives in a
# temporary directory that is removed at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wrk-measure.sh

bin=""
seconds=3
rounds=5
connections=32
contention_seconds=5
contention_rounds=3
paced_connections=4
paced_delay_ms=10
postgres="${TESSERA_POSTGRES_URL:-}"
json=""
profile_seconds=0
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --contention-seconds) contention_seconds="$2"; shift 2 ;;
        --contention-rounds) contention_rounds="$2"; shift 2 ;;
        --paced-connections) paced_connections="$2"; shift 2 ;;
        --paced-delay-ms) paced_delay_ms="$2"; shift 2 ;;
        --postgres) postgres="$2"; shift 2 ;;
        --no-postgres) postgres=""; shift ;;
        --json) json="$2"; shift 2 ;;
        --profile-seconds) profile_seconds="$2"; shift 2 ;;
        *) echo "bench-serve: unknown option: $1" >&2; exit 2 ;;
    esac
done
[ -n "$bin" ] || { echo "bench-serve: --bin PATH (the tessera executable) is required" >&2; exit 2; }
[ -x "$bin" ] || { echo "bench-serve: $bin is not an executable" >&2; exit 2; }
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "bench-serve: $tool is missing (scripts/bench-http.sh installs wrk and curl)" >&2; exit 2; }
done

workdir=$(mktemp -d)
cleanup() {
    touch "$workdir/stop-logins" "$workdir/stop-sampling" 2>/dev/null || true
    # This shell's own background jobs still running: the servers, samplers, login loops.
    local running
    running=$(jobs -p)
    if [ -n "$running" ]; then
        kill $running 2>/dev/null || true
        wait $running 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# VmRSS of PID in KiB.
rss_kib() {
    local key value unit
    while read -r key value unit; do
        if [ "$key" = "VmRSS:" ]; then echo "$value"; return 0; fi
    done <"/proc/$1/status"
    echo 0
}

# Writes the peak VmRSS (KiB) of PID to FILE every 0.2 s until STOPFILE exists.
sample_rss() { # PID FILE STOPFILE
    local peak=0 now
    while [ ! -e "$3" ] && [ -r "/proc/$1/status" ]; do
        now=$(rss_kib "$1")
        [ "$now" -gt "$peak" ] && peak=$now && echo "$peak" >"$2"
        sleep 0.2
    done
}

wait_for() { # URL SECONDS LOG
    local deadline=$((SECONDS + $2))
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        if [ $SECONDS -ge $deadline ]; then
            echo "bench-serve: $1 did not answer within $2 s; the server's log:" >&2
            cat "$3" >&2
            exit 1
        fi
        sleep 0.2
    done
}

# --- The bare baseline --------------------------------------------------------

bare_port=$(free_port)
"$bin" bench-server --port "$bare_port" --sqlite "$workdir/bare.db" >"$workdir/bare.credentials" 2>"$workdir/bare.log" &
bare_pid=$!
wait_for "http://127.0.0.1:$bare_port/bare" 60 "$workdir/bare.log"

# --- One serve per store ------------------------------------------------------

stores=(sqlite)
[ -n "$postgres" ] && stores+=(postgres)
declare -A port pid cookie
user="bench-$(date +%s)"
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
results="$workdir/results"
: >"$results"

for store in "${stores[@]}"; do
    data="$workdir/serve-$store"
    store_args=(--data-dir "$data")
    [ "$store" = postgres ] && store_args+=(--store "$postgres")
    mkdir -p "$data"
    if ! "$bin" users add "$user" --password-stdin "${store_args[@]}" <<<"$password" >"$workdir/users-$store.log" 2>&1; then
        echo "bench-serve: tessera users add failed on $store:" >&2
        cat "$workdir/users-$store.log" >&2
        exit 1
    fi
    port[$store]=$(free_port)
    "$bin" serve --port "${port[$store]}" "${store_args[@]}" >"$workdir/serve-$store.out" 2>"$workdir/serve-$store.log" &
    pid[$store]=$!
    wait_for "http://127.0.0.1:${port[$store]}/healthz" 120 "$workdir/serve-$store.log"
    echo "rss $store started $(rss_kib "${pid[$store]}")" >>"$results"

    # Sign in with the JSON API; the answer names the session cookie.
    answer=$(curl -sS -X POST -H 'Content-Type: application/json' \
        --data "{\"username\":\"$user\",\"password\":\"$password\"}" \
        -w '\n%{http_code}' "http://127.0.0.1:${port[$store]}/api/session")
    if [ "$(tail -n 1 <<<"$answer")" != 200 ]; then
        echo "bench-serve: POST /api/session on $store answered: $answer" >&2
        cat "$workdir/serve-$store.log" >&2
        exit 1
    fi
    cookie[$store]=$(head -n 1 <<<"$answer" | python3 -c 'import json, sys; s = json.load(sys.stdin)["session"]; print(s["name"] + "=" + s["value"])')

    # Every measured route answers 200 with the cookie and 401 without it.
    for route in api/me auth/verify; do
        with=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${cookie[$store]}" "http://127.0.0.1:${port[$store]}/$route")
        without=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$store]}/$route")
        if [ "$with" != 200 ] || [ "$without" != 401 ]; then
            echo "bench-serve: /$route on $store answered $with with the session cookie and $without without it" >&2
            cat "$workdir/serve-$store.log" >&2
            exit 1
        fi
    done
    sleep 1
    echo "rss $store rest $(rss_kib "${pid[$store]}")" >>"$results"
done

# --- Throughput: bare, then the route, interleaved over stores and routes ----

for store in "${stores[@]}"; do
    rm -f "$workdir/stop-sampling"
    sample_rss "${pid[$store]}" "$workdir/peak-load-$store" "$workdir/stop-sampling" &
done
for round in $(seq 1 "$rounds"); do
    for store in "${stores[@]}"; do
        for route in healthz api/me auth/verify; do
            header=()
            [ "$route" != healthz ] && header=(-H "Cookie: ${cookie[$store]}")
            wrk_measure "$bare_pid" "http://127.0.0.1:$bare_port/bare" "$seconds" "$connections" ${header[@]+"${header[@]}"}
            echo "load $store bare+$route $round $WRK_RESULT" >>"$results"
            wrk_measure "${pid[$store]}" "http://127.0.0.1:${port[$store]}/$route" "$seconds" "$connections" ${header[@]+"${header[@]}"}
            echo "load $store $route $round $WRK_RESULT" >>"$results"
        done
    done
done
touch "$workdir/stop-sampling"
sleep 0.5
for store in "${stores[@]}"; do
    echo "rss $store load_peak $(cat "$workdir/peak-load-$store" 2>/dev/null || echo 0)" >>"$results"
done

# --- Where serve's CPU goes: a profile of /api/me on each store ---------------

profile_json=""
if [ "$profile_seconds" -gt 0 ] && wrk_can_profile "$workdir"; then
    profiles=()
    profile_one() { # NAME PID URL COOKIE: PID's CPU profile while wrk sends URL the cookie
        wrk_profile "$workdir/$1.perf" "$2" "$profile_seconds" "$connections" "$3" -H "Cookie: $4"
        profiles+=("$1=$workdir/$1.perf")
    }
    profile_one bare "$bare_pid" "http://127.0.0.1:$bare_port/bare" "${cookie[${stores[0]}]}"
    for store in "${stores[@]}"; do
        profile_one "$store" "${pid[$store]}" "http://127.0.0.1:${port[$store]}/api/me" "${cookie[$store]}"
    done
    profile_json="$workdir/profile.json"
    python3 scripts/profile-attribution.py routes "$profile_json" "${profiles[@]}"
fi

# --- /api/me latency while logins hash passwords ------------------------------

cat >"$workdir/paced.lua" <<EOF
function delay()
    return $paced_delay_ms
end
EOF

login_loop() { # PORT COUNTFILE STOPFILE
    local code
    while [ ! -e "$3" ]; do
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
            --data "{\"username\":\"$user\",\"password\":\"$password\"}" "http://127.0.0.1:$1/api/session" || true)
        echo "$code" >>"$2"
    done
}

for store in "${stores[@]}"; do
    rm -f "$workdir/stop-sampling"
    sample_rss "${pid[$store]}" "$workdir/peak-logins-$store" "$workdir/stop-sampling" &
    sampler=$!
    for round in $(seq 1 "$contention_rounds"); do
        for logins in 0 1 2; do
            counts="$workdir/logins-$store-$round-$logins"
            : >"$counts"
            rm -f "$workdir/stop-logins"
            loops=()
            for _ in $(seq 1 "$logins"); do
                login_loop "${port[$store]}" "$counts" "$workdir/stop-logins" &
                            loops+=($!)
            done
            # Let the first hashes start before measuring.
            [ "$logins" -gt 0 ] && sleep 0.5
            before=$(wc -l <"$counts")
            wrk_measure "${pid[$store]}" "http://127.0.0.1:${port[$store]}/api/me" "$contention_seconds" "$paced_connections" \
                -t 1 --timeout 10s -s "$workdir/paced.lua" -H "Cookie: ${cookie[$store]}"
            after=$(wc -l <"$counts")
            touch "$workdir/stop-logins"
            for loop in ${loops[@]+"${loops[@]}"}; do wait "$loop" 2>/dev/null || true; done
            if [ "$logins" -gt 0 ] && grep -qv '^200$' "$counts"; then
                echo "bench-serve: a login on $store did not answer 200: $(sort "$counts" | uniq -c | tr '\n' ' ')" >&2
                exit 1
            fi
            echo "contention $store $logins $round $WRK_RESULT $((after - before))" >>"$results"
        done
    done
    touch "$workdir/stop-sampling"
    wait "$sampler" 2>/dev/null || true
    echo "rss $store logins_peak $(cat "$workdir/peak-logins-$store" 2>/dev/null || echo 0)" >>"$results"
    echo "rss $store end $(rss_kib "${pid[$store]}")" >>"$results"
done

python3 - "$results" "$json" "$rounds" "$seconds" "$connections" "$contention_rounds" "$contention_seconds" \
    "$paced_connections" "$paced_delay_ms" "$profile_json" <<'PY'
import json
import math
import sys
from collections import defaultdict

path, out, rounds, seconds, connections, contention_rounds, contention_seconds, paced_connections, paced_delay, profile = sys.argv[1:]
median = lambda values: sorted(values)[len(values) // 2] if len(values) % 2 else sum(sorted(values)[len(values) // 2 - 1 : len(values) // 2 + 1]) / 2
mean = lambda values: sum(values) / len(values)

rss = defaultdict(dict)
load = defaultdict(list)        # (store, label) -> [(rps, p50, p99, requests, cpu, timeouts)]
contention = defaultdict(list)  # (store, logins) -> [(rps, p50, p99, requests, cpu, timeouts, logins done)]
for line in open(path):
    kind, *fields = line.split()
    if kind == "rss":
        store, moment, kib = fields
        rss[store][moment + "_bytes"] = int(kib) * 1024
    elif kind == "load":
        store, label, _round, rps, p50, p99, requests, cpu, timeouts = fields
        load[(store, label)].append((float(rps), float(p50), float(p99), int(requests), float(cpu), int(timeouts)))
    elif kind == "contention":
        store, logins, _round, rps, p50, p99, requests, cpu, timeouts, done = fields
        contention[(store, int(logins))].append((float(rps), float(p50), float(p99), int(requests), float(cpu), int(timeouts), int(done)))

def cpu_us(rows):
    seconds, count = sum(r[4] for r in rows), sum(r[3] for r in rows)
    return None if math.isnan(seconds) or count == 0 else seconds / count * 1e6

stores = list(dict.fromkeys(store for store, _ in load))
report = {"rounds": int(rounds), "seconds": float(seconds), "connections": int(connections),
          "contention": {"rounds": int(contention_rounds), "seconds": float(contention_seconds),
                         "connections": int(paced_connections), "delay_ms": int(paced_delay)},
          "routes": [], "logins": [], "rss": rss}
print(f"# tessera serve: {rounds} round(s) x {seconds} s per measurement, {connections} connections, wrk -t2, loopback")
print(f"{'store':<9} {'route':<12} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bare req/s':>10} {'vs bare':>8} {'rounds':>11}")
for store in stores:
    for route in ("healthz", "api/me", "auth/verify"):
        ours, bare = load[(store, route)], load[(store, "bare+" + route)]
        ratios = [a[0] / b[0] for a, b in zip(ours, bare)]
        entry = {
            "store": store, "route": route, "requests_per_sec": mean([r[0] for r in ours]),
            "p50_ms": median([r[1] for r in ours]), "p99_ms": median([r[2] for r in ours]), "p99_ms_max": max(r[2] for r in ours),
            "cpu_us_per_request": cpu_us(ours), "timeouts": sum(r[5] for r in ours),
            "bare_requests_per_sec": mean([r[0] for r in bare]), "bare_p50_ms": median([r[1] for r in bare]),
            "bare_p99_ms": median([r[2] for r in bare]), "bare_cpu_us_per_request": cpu_us(bare),
            "ratio": median(ratios), "ratios": ratios,
        }
        report["routes"].append(entry)
        print(f"{store:<9} {route:<12} {entry['requests_per_sec']:>8.0f} {entry['p50_ms']:>7.2f} {entry['p99_ms']:>7.2f} "
              f"{entry['bare_requests_per_sec']:>10.0f} {entry['ratio']:>8.2f} {min(ratios):>5.2f}-{max(ratios):<5.2f}")
print(f"# /api/me at a paced rate ({paced_connections} connections, {paced_delay} ms between answer and next request), "
      f"{contention_rounds} round(s) x {contention_seconds} s, while N login loops hash passwords")
print(f"{'store':<9} {'logins':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max p99':>8} {'logins/s':>9}")
for store in stores:
    for logins in (0, 1, 2):
        rows = contention[(store, logins)]
        entry = {
            "store": store, "concurrent_logins": logins, "requests_per_sec": mean([r[0] for r in rows]),
            "p50_ms": median([r[1] for r in rows]), "p99_ms": median([r[2] for r in rows]), "p99_ms_max": max(r[2] for r in rows),
            "timeouts": sum(r[5] for r in rows),
            "logins_per_sec": sum(r[6] for r in rows) / (len(rows) * float(contention_seconds)),
        }
        report["logins"].append(entry)
        print(f"{store:<9} {logins:>6} {entry['requests_per_sec']:>8.0f} {entry['p50_ms']:>7.2f} {entry['p99_ms']:>7.2f} "
              f"{entry['p99_ms_max']:>8.2f} {entry['logins_per_sec']:>9.2f}")
print("# resident size (MiB): " + "; ".join(
    f"{store}: " + ", ".join(f"{k[:-6]} {v / 1048576:.1f}" for k, v in values.items()) for store, values in rss.items()))
if profile:
    report["profile"] = json.load(open(profile))
if out:
    with open(out, "w") as handle:
        json.dump(report, handle, indent=1)
PY
