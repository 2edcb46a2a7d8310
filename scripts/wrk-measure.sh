# One wrk measurement of one URL, and one CPU profile of a server under wrk's
# load, shared by scripts/bench-http.sh and scripts/bench-serve.sh. Source
# it, then call
#
#     wrk_measure SERVER_PID URL SECONDS CONNECTIONS [WRK ARGS...]
#
# which runs `wrk -t 2 -c CONNECTIONS -d SECONDS --latency [WRK ARGS...] URL`
# (extra args such as -H 'Cookie: …', -t 1 or -s paced.lua come last and
# win) and sets WRK_RESULT to six space-separated fields:
#
#     REQUESTS_PER_SECOND P50_MS P99_MS REQUESTS SERVER_CPU_SECONDS TIMEOUTS
#
# SERVER_CPU_SECONDS is the user+system time SERVER_PID spent during the run
# (from /proc/PID/stat, in clock ticks, so about 10 ms resolution); divided
# by REQUESTS it is the server's CPU cost per request. It is "nan" where
# /proc is missing. TIMEOUTS counts requests that got no answer within
# wrk's timeout (2 s unless WRK ARGS say --timeout): wrk leaves them out of
# its latencies, so a caller must show them. A run in which wrk saw any
# non-2xx answer or a connect, read or write error fails the calling script
# (exit 1) with wrk's output on stderr, so a table of fast 401s or refused
# connections can't pass for a measurement.
#
#     wrk_can_profile SCRATCH_DIR && wrk_profile OUT.perf SERVER_PID SECONDS CONNECTIONS URL [WRK ARGS...]
#
# records SERVER_PID with `perf record -g` for SECONDS while wrk loads URL
# (from a second before to a second after); wrk_can_profile says whether
# perf may record here at all.

# User+system clock ticks PID has used, or nothing without /proc.
wrk_cpu_ticks() {
    local stat
    [ -r "/proc/$1/stat" ] || return 0
    stat=$(cat "/proc/$1/stat")
    # Fields after the ")" that closes the command name: state is $1, utime $12, stime $13.
    awk '{print $12 + $13}' <<<"${stat##*) }"
}

wrk_measure() {
    local pid=$1 url=$2 seconds=$3 connections=$4
    shift 4
    local before after out
    before=$(wrk_cpu_ticks "$pid")
    out=$(wrk -t 2 -c "$connections" -d "${seconds}s" --latency "$@" "$url")
    after=$(wrk_cpu_ticks "$pid")
    if grep -q -e "Non-2xx" -e "Socket errors: connect [1-9]" -e ", read [1-9]" -e ", write [1-9]" <<<"$out"; then
        echo "wrk saw errors or non-2xx answers on $url:" >&2
        echo "$out" >&2
        exit 1
    fi
    local ticks_per_second
    ticks_per_second=$(getconf CLK_TCK 2>/dev/null || echo 100)
    WRK_RESULT=$(awk -v before="${before:-}" -v after="${after:-}" -v hz="$ticks_per_second" '
        function ms(text) {
            if (text ~ /us$/) return substr(text, 1, length(text) - 2) / 1000
            if (text ~ /ms$/) return substr(text, 1, length(text) - 2) + 0
            if (text ~ /s$/) return substr(text, 1, length(text) - 1) * 1000
            return text + 0
        }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        / requests in / { requests = $1 }
        /Socket errors:/ { timeouts = $NF }
        END {
            cpu = (before == "" || after == "") ? "nan" : sprintf("%.2f", (after - before) / hz)
            printf "%s %.3f %.3f %d %s %d\n", rps, p50, p99, requests, cpu, timeouts
        }' <<<"$out")
}

# Whether `perf record` works here (perf installed, perf_event_paranoid allowing it).
wrk_can_profile() {
    command -v perf >/dev/null && perf record -o "$1/probe.perf" -- true >/dev/null 2>&1
}

wrk_profile() {
    local out=$1 pid=$2 seconds=$3 connections=$4 url=$5
    shift 5
    wrk -t 2 -c "$connections" -d "$((seconds + 2))s" "$@" "$url" >/dev/null &
    local load=$!
    sleep 1
    perf record -F 997 -g -p "$pid" -o "$out" -- sleep "$seconds" >/dev/null 2>&1
    wait "$load"
}
