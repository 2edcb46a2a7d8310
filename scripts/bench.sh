#!/usr/bin/env bash
# The performance report in one go: builds `tessera` (release), starts a
# throwaway PostgreSQL (scripts/with-postgres.sh), then runs on loopback
#
#   1. `tessera bench`          in-process: codecs, session stores, the memory
#                               store at 1,000,000 sessions, login latency;
#   2. scripts/bench-http.sh    wrk: a bare Hummingbird route and the same route
#                               behind each authenticator;
#   3. scripts/bench-serve.sh   wrk: `tessera serve`'s /api/me and /auth/verify on
#                               SQLite and PostgreSQL, /api/me while logins hash,
#                               serve's resident size;
#
# and writes docs/PERFORMANCE.md, docs/performance.svg and
# docs/performance.json (scripts/performance-report.py). Raw outputs stay in
# .build-bench/run/.
#
#   scripts/bench.sh              # the full run: about 11 minutes after the build
#   scripts/bench.sh --quick      # a smoke run: about 2 minutes; writes to .build-bench/quick/
#   scripts/bench.sh --quick --bin .build/debug/tessera   # the smoke run on a debug build
#
# Options: --quick; --bin PATH (use this tessera, build nothing); --out DIR
# (where the report goes); --no-postgres (skip PostgreSQL). Installs wrk,
# curl, linux-perf (for the CPU profiles of "Where the time goes") and
# zlib1g-dev from Debian's packages, and PostgreSQL through
# scripts/with-postgres.sh, when missing. The figures that matter are ratios
# measured within one run: absolute rates move by up to 2x on a shared
# machine between runs, ratios much less.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
bin=""
out=""
postgres=1
arguments=("$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --bin) bin="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --no-postgres) postgres=0; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench: unknown option: $1 (see scripts/bench.sh --help)" >&2; exit 2 ;;
    esac
done
run_dir=.build-bench/run
[ "$quick" -eq 1 ] && run_dir=.build-bench/quick-run
if [ -z "$out" ]; then
    out=docs
    [ "$quick" -eq 1 ] && out=.build-bench/quick
fi

# --- Tools and the build, before PostgreSQL starts ------------------------------

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v perf >/dev/null || missing+=(linux-perf)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]} from Debian's packages" >&2
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ -z "$bin" ]; then
    if [ ! -f /usr/include/zlib.h ]; then
        echo "bench: zlib headers missing: installing zlib1g-dev" >&2
        as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
        as_root apt-get update -qq && as_root apt-get install -y -qq zlib1g-dev >/dev/null
    fi
    echo "bench: swift build -c release --product tessera (the first release build takes a while)" >&2
    swift build -c release --product tessera >&2
    bin=.build/release/tessera
fi
[ -x "$bin" ] || { echo "bench: $bin is not an executable" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# What the report quotes as the command, and when the run began (before PostgreSQL starts).
export TESSERA_BENCH_COMMAND="${TESSERA_BENCH_COMMAND:-scripts/bench.sh${arguments[*]:+ ${arguments[*]}}}"
export TESSERA_BENCH_STARTED="${TESSERA_BENCH_STARTED:-$(date +%s)}"
if [ "$postgres" -eq 1 ] && [ -z "${TESSERA_POSTGRES_URL:-}" ]; then
    # Run the rest again with a throwaway PostgreSQL; it is stopped when this ends.
    exec scripts/with-postgres.sh "$0" ${arguments[@]+"${arguments[@]}"} --bin "$bin"
fi
[ "$postgres" -eq 0 ] && unset TESSERA_POSTGRES_URL

# --- The measurements ------------------------------------------------------------

case "$bin" in
    */debug/*) configuration=debug ;;
    */release/*) configuration=release ;;
    *) configuration=unknown ;;
esac
if [ "$quick" -eq 1 ]; then
    mode=quick
    # The in-process login latency takes half a minute (minutes on a debug
    # build, where an inline scrypt holds the executor); the quick run
    # keeps only the HTTP one.
    in_process=(--seconds 0.25 --rounds 5 --skip login)
    http=(--seconds 1 --rounds 1 --profile-seconds 1)
    serve=(--seconds 1 --rounds 1 --contention-seconds 2 --contention-rounds 1 --profile-seconds 1)
else
    mode=full
    in_process=(--seconds 1.5 --rounds 30)
    http=(--seconds 3 --rounds 5 --profile-seconds 5)
    serve=(--seconds 3 --rounds 5 --contention-seconds 5 --contention-rounds 3 --profile-seconds 5)
fi
rm -rf "$run_dir"
mkdir -p "$run_dir" "$out"
started=$TESSERA_BENCH_STARTED
stage() { echo "bench: [$(( $(date +%s) - started ))s] $*" >&2; }

# The machine is shared: the report says how busy it was around the run.
cp /proc/loadavg "$run_dir/loadavg-start" 2>/dev/null || true
stage "1/3 tessera bench ${in_process[*]} (in-process)"
"$bin" bench "${in_process[@]}" >"$run_dir/in-process.jsonl" 2>"$run_dir/in-process.log" || {
    echo "bench: tessera bench failed:" >&2; cat "$run_dir/in-process.log" >&2; exit 1; }

# Where a sealed open's time goes: a CPU profile of the pair, split by what
# SealedValueCodec.open calls (the raw side is the AEAD open alone).
if command -v perf >/dev/null && perf record -o "$run_dir/probe.perf" -- true >/dev/null 2>&1; then
    perf record -F 997 -g -o "$run_dir/sealed-open.perf" -- "$bin" bench --only sealed_open --seconds 1 --rounds 3 >/dev/null 2>&1 &&
        python3 scripts/profile-attribution.py calls "$run_dir/in-process-profile.json" \
            "sealed_open=$run_dir/sealed-open.perf:SealedValueCodecV4open" || true
fi

stage "2/3 scripts/bench-http.sh ${http[*]} (authenticators behind wrk)"
http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
scripts/bench-http.sh --bin "$bin" "${http[@]}" --port "$http_port" --json "$run_dir/http.json" >"$run_dir/http.txt"
cat "$run_dir/http.txt" >&2

stage "3/3 scripts/bench-serve.sh ${serve[*]} (tessera serve behind wrk)"
scripts/bench-serve.sh --bin "$bin" "${serve[@]}" --json "$run_dir/serve.json" >"$run_dir/serve.txt"
cat "$run_dir/serve.txt" >&2

cp /proc/loadavg "$run_dir/loadavg-end" 2>/dev/null || true
elapsed=$(( $(date +%s) - started ))
stage "writing the report to $out"
python3 scripts/performance-report.py collect --run "$run_dir" --out "$out" --mode "$mode" \
    --build "$configuration" --elapsed "$elapsed" --command "$TESSERA_BENCH_COMMAND"
stage "done: $out/PERFORMANCE.md, $out/performance.svg, $out/performance.json"
