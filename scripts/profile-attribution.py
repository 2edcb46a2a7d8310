#!/usr/bin/env python3
"""Splits a `perf record -g` CPU profile into where the time went.

Used by scripts/bench-http.sh and scripts/bench.sh; not run by hand as a rule.

    profile-attribution.py routes OUT.json NAME=PERF.DATA...
        For each HTTP route's profile of the server process, the share of
        samples in each part: Tessera's own code (grouped by the type whose
        code ran, found as the innermost Tessera frame of the stack, so a
        call into swift-crypto counts for the Tessera type that made it),
        sqlite-nio and SQLite, postgres-nio, the kernel, and everything else (Hummingbird,
        SwiftNIO, the Swift runtime and the allocator), that last part also
        split by what its leaf function was doing (retain/release,
        allocation, the concurrency runtime, type metadata, the rest).

    profile-attribution.py calls OUT.json NAME=PERF.DATA:FRAME_REGEX...
        For an in-process benchmark's profile, the samples under the frame
        matching FRAME_REGEX, split by the group of the function it called.

Shares are fractions of samples; a caller multiplies them by a CPU time it
measured (perf's own overhead makes its sample counts a poor clock).
"""
import json
import re
import subprocess
import sys
from collections import Counter

TESSERA_MODULE = re.compile(r"^\$s\d+(Tessera|TesseraHummingbird|TesseraSQLite|TesseraPostgres|TesseraServer|TesseraClient)(?=[A-Z0-9_])")
KERNEL_DSO = re.compile(r"kernel|\.ko$|vmlinux")
SQLITE = re.compile(r"sqlite3|SQLiteNIO")
POSTGRES = re.compile(r"PostgresNIO|_ConnectionPoolModule")
# What the leaf function of a sample outside Tessera's code was doing.
OTHER_KINDS = [
    ("retain/release", re.compile(r"^swift_(retain|release|bridgeObjectRetain|bridgeObjectRelease|unknownObject|isUniquelyReferenced)|doDecrementSlow|RefCounts")),
    ("allocation", re.compile(r"malloc|free$|^_int_|tcache|^swift_(slowAlloc|slowDealloc|allocObject|deallocObject|deallocClassInstance|task_alloc|task_dealloc)|StackAllocator|__libc_")),
    ("concurrency runtime", re.compile(r"^swift_(task|job|continuation|asyncLet)|AsyncTask|runJob|_dispatch|^swift::|pthread_|futex|Continuation")),
    ("type metadata", re.compile(r"Metadata|getCache|conformsToProtocol|WitnessTable|dynamicCast")),
]
PREFIXES = re.compile(r"^(?:(?:specialized|static|protocol witness for|partial apply for|merged|outlined (?:copy|consume|destroy|init with take|init with copy|retain|release) of|destroy for|initializeWithCopy for|initializeWithTake for|assignWithCopy for|assignWithTake for|reabstraction thunk helper from|thunk for|implicit closure #\d+ in|closure #\d+ (?:\(.*?\) )?in|function signature specialization <.*?> of|generic specialization <.*?> of|\(extension in [\w.]+\):|async function pointer to|\(\d+\)\s+suspend resume partial function for|\(\d+\)\s+await resume partial function for)\s*)+")


def samples(path):
    """Yields each sample's stack as (symbol, dso) pairs, leaf first."""
    out = subprocess.run(["perf", "script", "-F", "ip,sym,dso", "-i", path], capture_output=True, text=True, check=True).stdout
    stack = []
    for line in out.split("\n"):
        line = line.strip()
        if not line:
            if stack:
                yield stack
            stack = []
            continue
        parts = line.split(None, 1)
        if len(parts) < 2:
            continue
        text = parts[1]
        dso = ""
        if text.endswith(")") and " (" in text:
            text, dso = text.rsplit(" (", 1)
            dso = dso[:-1]
        stack.append((re.sub(r"\+0x[0-9a-f]+$", "", text), dso))
    if stack:
        yield stack


def demangled(symbols):
    symbols = list(symbols)
    if not symbols:
        return {}
    out = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(symbols), capture_output=True, text=True).stdout
    return dict(zip(symbols, out.split("\n")))


def group(name):
    """`specialized static RequestCookies.parse(…)` → `RequestCookies`."""
    name = PREFIXES.sub("", name).strip()
    if name.startswith("("):
        return "tuple copies"
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", name)
    return match.group(0) if match else name[:40]


def routes(out_path, pairs):
    report = {}
    for name, path in pairs:
        parts, tessera_symbols, other_kinds = Counter(), Counter(), Counter()
        total = 0
        for stack in samples(path):
            total += 1
            tessera = next((symbol for symbol, _ in stack if TESSERA_MODULE.match(symbol)), None)
            if tessera:
                tessera_symbols[tessera] += 1
            elif KERNEL_DSO.search(stack[0][1]):
                parts["kernel"] += 1
            elif any(SQLITE.search(symbol) or "sqlite" in dso.lower() for symbol, dso in stack):
                parts["sqlite"] += 1
            elif any(POSTGRES.search(symbol) for symbol, _ in stack):
                parts["postgres"] += 1
            else:
                parts["other"] += 1
                leaf = stack[0][0]
                kind = next((label for label, pattern in OTHER_KINDS if pattern.search(leaf)), "Hummingbird, NIO and the rest")
                other_kinds[kind] += 1
        names = demangled(tessera_symbols)
        tessera_groups = Counter()
        for symbol, count in tessera_symbols.items():
            tessera_groups[group(names.get(symbol, symbol))] += count
        report[name] = {
            "samples": total,
            "tessera": sum(tessera_groups.values()) / total if total else 0,
            "tessera_by_type": {key: value / total for key, value in tessera_groups.most_common()},
            "sqlite": parts["sqlite"] / total if total else 0,
            "postgres": parts["postgres"] / total if total else 0,
            "kernel": parts["kernel"] / total if total else 0,
            "other": parts["other"] / total if total else 0,
            "other_by_kind": {key: value / total for key, value in other_kinds.most_common()},
        }
    json.dump(report, open(out_path, "w"), indent=1)


def calls(out_path, specs):
    report = {}
    for name, path, frame in specs:
        pattern = re.compile(frame)
        callees = Counter()
        total = under = 0
        for stack in samples(path):
            total += 1
            index = next((i for i, (symbol, _) in enumerate(stack) if pattern.search(symbol)), None)
            if index is None:
                continue
            under += 1
            callees["(its own code)" if index == 0 else stack[index - 1][0]] += 1
        names = demangled(key for key in callees if key != "(its own code)")
        groups = Counter()
        for symbol, count in callees.items():
            groups[group(names.get(symbol, symbol)) if symbol != "(its own code)" else symbol] += count
        report[name] = {"samples": total, "under_frame": under,
                        "callees": {key: value / under for key, value in groups.most_common()} if under else {}}
    json.dump(report, open(out_path, "w"), indent=1)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("routes", "calls"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    pairs = [argument.split("=", 1) for argument in sys.argv[3:]]
    if sys.argv[1] == "routes":
        routes(sys.argv[2], pairs)
    else:
        calls(sys.argv[2], [(name, *spec.rsplit(":", 1)) for name, spec in pairs])


if __name__ == "__main__":
    main()
