#!/usr/bin/env bash
# Fuzzes one of Tessera's parsers with libFuzzer (Swift's -sanitize=fuzzer,
# with AddressSanitizer), starting from its seed corpus in Fuzz/Corpus:
#
#     scripts/fuzz.sh TARGET SECONDS [LIBFUZZER FLAGS...]   # e.g. scripts/fuzz.sh set-cookie 600
#     scripts/fuzz.sh all SECONDS                           # every target in turn, SECONDS each
#     scripts/fuzz.sh --debug all 10                        # what scripts/test.sh (and so CI) runs
#     scripts/fuzz.sh --list                                # the targets
#
# The first run builds the fuzz binary in release mode into .build-fuzz (a
# scratch folder of its own, so the normal build is untouched; about 8
# minutes on two cores the first time). With --debug it builds in .build
# instead, reusing the debug dependencies `swift build` made, so only
# Tessera's own modules are compiled again with the sanitizers (half a
# minute); that binary runs several times slower, and the next plain
# `swift build` compiles those modules back. New interesting inputs go to
# .build-fuzz/corpus/TARGET (corpus-smoke with --debug), never into the
# repository's seeds; a crash
# leaves its input in .build-fuzz/findings/TARGET and the script exits 1.
# AddressSanitizer runs with malloc_context_size=0 (no stack recorded per
# allocation, which took a fifth of the time of the allocation-heavy
# targets); set ASAN_OPTIONS to replay a finding with the full report:
#
#     ASAN_OPTIONS=detect_leaks=0 TESSERA_FUZZ_TARGET=TARGET .build-fuzz/release/tessera-fuzz FILE
#
# Reproduce a finding without the sanitizer build:
#
#     swift run tessera-fuzz TARGET .build-fuzz/findings/TARGET/crash-…
#
# Each run ends with one summary line: target, seconds, executions, exec/s,
# corpus size, crashes. The seed corpora themselves run as plain tests in
# the normal suite (Tests/TesseraTests/Fuzz), so CI replays them on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(cookie-header set-cookie signed-value sealed-value tornado flask-session django cookies-txt api-key html-form jwt)

usage() {
    echo "usage: $0 [--debug] TARGET SECONDS [LIBFUZZER FLAGS...] | $0 [--debug] all SECONDS | $0 --list" >&2
    echo "targets: ${targets[*]}" >&2
    exit 2
}

configuration=release
build_dir=.build-fuzz
if [ "${1:-}" = "--debug" ]; then
    configuration=debug
    build_dir=.build
    shift
fi
[ "$#" -ge 1 ] || usage
if [ "$1" = "--list" ]; then
    printf '%s\n' "${targets[@]}"
    exit 0
fi
[ "$#" -ge 2 ] || usage
target=$1
seconds=$2
shift 2
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "fuzz: SECONDS must be a positive whole number, not '$seconds'" >&2; exit 2; }
if [ "$target" != all ] && ! printf '%s\n' "${targets[@]}" | grep -qx -- "$target"; then
    echo "fuzz: unknown target '$target'" >&2
    usage
fi

echo "fuzz: building the libFuzzer binary ($configuration, -sanitize=fuzzer,address on Tessera's modules) in $build_dir" >&2
# Package.swift puts the sanitizer flags on Tessera's own modules when
# TESSERA_FUZZ_INSTRUMENT=1; the dependencies build plainly.
TESSERA_FUZZ_INSTRUMENT=1 swift build -c "$configuration" --scratch-path "$build_dir" --product tessera-fuzz >&2
binary="$build_dir/$configuration/tessera-fuzz"
# Working corpora and findings live apart from any build products. A
# --debug run is a smoke test: it starts from the seeds alone, in a corpus
# of its own emptied first, not from what long release runs have gathered.
fuzz_dir=.build-fuzz
corpora="$fuzz_dir/corpus"
if [ "$configuration" = debug ]; then
    corpora="$fuzz_dir/corpus-smoke"
    rm -rf "$corpora"
fi

run_one() {
    local name=$1 work="$corpora/$1" findings="$fuzz_dir/findings/$1" log status
    shift
    mkdir -p "$work" "$findings"
    log=$(mktemp)
    set +e
    TESSERA_FUZZ_TARGET="$name" TESSERA_FUZZ_WRITE_SAMPLES="$work" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0}" \
        "$binary" "$work" "Fuzz/Corpus/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$@" >"$log" 2>&1
    status=$?
    set -e
    local runs rate size
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    size=$(find "$work" -type f | wc -l)
    local crashes
    crashes=$(find "$findings" -type f | wc -l)
    echo "fuzz: target=$name seconds=$seconds executions=${runs:-0} exec/s=${rate:-0} corpus=$size crashes=$crashes status=$status"
    if [ "$status" -ne 0 ]; then
        tail -40 "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

failed=0
if [ "$target" = all ]; then
    for name in "${targets[@]}"; do run_one "$name" "$@" || failed=1; done
else
    run_one "$target" "$@" || failed=1
fi
exit "$failed"
