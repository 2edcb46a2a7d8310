#!/usr/bin/env python3
"""Turns the results of scripts/bench.sh into docs/PERFORMANCE.md and a chart.

    performance-report.py collect --run .build-bench/run --out docs --mode full \\
        --build release --elapsed 700 --command "scripts/bench.sh"
    performance-report.py render [--json docs/performance.json] [--out docs]

`collect` reads the raw outputs of one run (in-process.jsonl from
`tessera bench`, http.json from scripts/bench-http.sh, serve.json from
scripts/bench-serve.sh), adds what the machine is, and writes
performance.json, PERFORMANCE.md and performance.svg to --out. `render`
writes the last two again from a performance.json. Standard library only.
"""

import argparse
import datetime
import html
import json
import math
import os
import platform
import subprocess
import sys

# The targets of the earlier issues, as (issue, what, how it is checked).
HTTP_TARGETS = {"signed-cookie": 0.90, "memory-session": 0.85, "sqlite-session": 0.60}
CODEC_TARGETS = {"signed_verify": 1.0, "sealed_open": 0.7}
MEMORY_LOAD_TARGET = 1_000_000
SQLITE_LOAD_TARGET = 50_000
OVERHEAD_TARGET = 300

CODEC_LABELS = {
    "signed_sign": ("signed value sign (S1)", "`HMAC<SHA256>.authenticationCode`"),
    "signed_verify": ("signed value verify (S1)", "`HMAC<SHA256>.isValidAuthenticationCode`"),
    "sealed_seal": ("sealed value seal (E1, AES-GCM)", "`AES.GCM.seal`"),
    "sealed_open": ("sealed value open (E1, AES-GCM)", "`AES.GCM.open` of a ready box"),
    "sealed_open_chacha20poly1305": ("sealed value open (ChaCha20-Poly1305)", "`ChaChaPoly.open` of a ready box"),
    "tornado_v2_verify": ("Tornado v2 signed value verify", "`HMAC<SHA256>.isValidAuthenticationCode`"),
}
ROUTE_LABELS = {
    "bare": "`/bare` (no Tessera)",
    "noop3": "`/noop3` (3 pass-through middlewares)",
    "signed-cookie": "signed user cookie",
    "sealed-session": "sealed session cookie",
    "memory-session": "memory session",
    "sqlite-session": "SQLite session",
    "jwt": "JWT (HS256)",
    "api-key": "API key (memory store)",
}
STORE_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


# --- Collecting ---------------------------------------------------------------

def command_output(arguments):
    try:
        done = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (done.stdout or "") + (done.stderr or "")
    return text.strip() or None


def machine():
    info = {"cores": os.cpu_count(), "kernel": platform.release(), "architecture": platform.machine()}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                info["memory_bytes"] = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                info["os"] = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    swift = command_output(["swift", "--version"])
    if swift:
        info["swift"] = next((line for line in swift.splitlines() if "Swift version" in line), swift.splitlines()[0])
    wrk = command_output(["wrk", "-v"])
    if wrk:
        info["wrk"] = wrk.splitlines()[0].split(" Copyright")[0]
    url = os.environ.get("TESSERA_POSTGRES_URL")
    if url:
        version = command_output(["psql", url, "-XtAc", "show server_version"])
        if version and "\n" not in version:
            info["postgresql"] = version
    return info


def git_state():
    commit = command_output(["git", "rev-parse", "HEAD"])
    changes = command_output(["git", "status", "--porcelain", "--untracked-files=no"])
    return {"commit": commit, "uncommitted_changes": bool(changes)}


def read_load(path):
    """The 1-, 5- and 15-minute load averages of a copy of /proc/loadavg, or None."""
    try:
        return [float(value) for value in open(path).read().split()[:3]]
    except (OSError, ValueError):
        return None


def read_in_process(path):
    codecs, stores, logins, footprint = [], [], [], None
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        name = entry["name"]
        if name.startswith("login."):
            logins.append(entry)
        elif name == "memory store bytes per session":
            footprint = entry
        elif " store " in name:
            stores.append(entry)
        elif entry.get("baseline") is not None:
            codecs.append(entry)
    return {"codecs": codecs, "stores": stores, "login_latency": logins, "footprint": footprint}


def read_optional_json(path):
    return json.load(open(path)) if os.path.exists(path) else {}


def collect(arguments):
    run = arguments.run
    report = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": arguments.mode,
        "build": arguments.build,
        "elapsed_seconds": arguments.elapsed,
        "command": arguments.command,
        "git": git_state(),
        "machine": machine(),
        "load_average": {moment: read_load(os.path.join(run, f"loadavg-{moment}")) for moment in ("start", "end")},
        "in_process": read_in_process(os.path.join(run, "in-process.jsonl")),
        "http": json.load(open(os.path.join(run, "http.json"))),
        "serve": json.load(open(os.path.join(run, "serve.json"))),
        "in_process_profile": read_optional_json(os.path.join(run, "in-process-profile.json")),
    }
    os.makedirs(arguments.out, exist_ok=True)
    with open(os.path.join(arguments.out, "performance.json"), "w") as handle:
        json.dump(report, handle, indent=1, sort_keys=True)
        handle.write("\n")
    write_outputs(report, arguments.out)


# --- Formatting ---------------------------------------------------------------

def rate(value):
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:.2f} M/s"
    if value >= 1e4:
        return f"{value / 1e3:.0f} k/s"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k/s"
    return f"{value:.0f}/s"


def rps(value):
    return "–" if value is None else f"{value:,.0f}"


def ms(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value >= 100:
        return f"{value:,.0f} ms"
    return f"{value:.2f} ms"


def ratio(value):
    return "–" if value is None else f"{value:.2f}×"


def micros(value):
    return "–" if value is None else f"{value:.1f} µs"


def mib(value):
    return "–" if not value else f"{value / 1048576:,.1f} MiB"


def verdict(met):
    return "**met**" if met else "**missed**"


def store_label(name):
    """`sqlite store load` → `SQLite store load`."""
    return name.replace("sqlite", "SQLite").replace("postgres", "PostgreSQL")


def in_store_order(values):
    """(store, value) pairs of a dict keyed by store, SQLite first."""
    order = list(STORE_LABELS)
    return sorted(values.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


def by_name(entries):
    return {entry["name"]: entry for entry in entries}


def route(report, name):
    return next((entry for entry in report["http"]["routes"] if entry["route"] == name), None)


def cpu_ratio(entry):
    """The paired /bare's server CPU per request ÷ the route's: the req/s ratio a CPU-bound server would reach."""
    bare, ours = entry.get("bare_cpu_us_per_request"), entry.get("cpu_us_per_request")
    return bare / ours if bare and ours else None


# --- Targets ------------------------------------------------------------------

def targets(report):
    """Rows of (issue, target, measured, met, gap) for every target with a figure in this run."""
    rows = []
    codecs = by_name(report["in_process"]["codecs"])
    for name, target in CODEC_TARGETS.items():
        entry = codecs.get(name)
        if entry:
            measured = entry["ratio"]
            rows.append(("1 (foundation)", f"{CODEC_LABELS[name][0]} ≥ {target:.1f}× raw", ratio(measured), measured >= target,
                         gap_ratio(measured, target)))
    stores = by_name(report["in_process"]["stores"])
    memory = stores.get("memory store load")
    if memory:
        rows.append(("3 (sessions)", "memory store load ≥ 1 M/s, one thread", rate(memory["ops_per_sec"]),
                     memory["ops_per_sec"] >= MEMORY_LOAD_TARGET, gap_rate(memory["ops_per_sec"], MEMORY_LOAD_TARGET)))
    sqlite = stores.get("sqlite store load")
    if sqlite:
        rows.append(("3 (sessions)", "SQLite store load ≥ 50 k/s", rate(sqlite["ops_per_sec"]),
                     sqlite["ops_per_sec"] >= SQLITE_LOAD_TARGET, gap_rate(sqlite["ops_per_sec"], SQLITE_LOAD_TARGET)))
    footprint = report["in_process"]["footprint"]
    if footprint:
        overhead = footprint["overhead_bytes"]
        rows.append(("3 (sessions)", "memory store ≤ 300 bytes per session beyond its data, at 1 M sessions",
                     f"{overhead} bytes", overhead <= OVERHEAD_TARGET,
                     "–" if overhead <= OVERHEAD_TARGET else f"{overhead - OVERHEAD_TARGET} bytes over"))
    logins = by_name(report["in_process"]["login_latency"])
    idle, pool = logins.get("login.cheap_request_latency.idle"), logins.get("login.cheap_request_latency.pool")
    if idle and pool:
        rows.append(("4 (credentials)", "other requests' latency holds while logins hash (no number set): in-process, 2 logins",
                     f"p99 {ms(idle['p99_ms'])} → {ms(pool['p99_ms'])}", None,
                     f"p99 × {pool['p99_ms'] / idle['p99_ms']:.1f}" if idle["p99_ms"] else "–"))
    quiet = {entry["store"]: entry for entry in report["serve"]["logins"] if entry["concurrent_logins"] == 0}
    for entry in report["serve"]["logins"]:
        base = quiet.get(entry["store"])
        if entry["concurrent_logins"] != 2 or not base:
            continue
        rows.append(("4 (credentials)", f"the same over HTTP: serve `GET /api/me` on {STORE_LABELS.get(entry['store'], entry['store'])}, "
                     "2 logins", f"p99 {contention_p99(base)} → {contention_p99(entry)}", None,
                     f"p99 × {entry['p99_ms'] / base['p99_ms']:.1f}" if base["p99_ms"] and entry["requests_per_sec"] else "–"))
    for name, target in HTTP_TARGETS.items():
        entry = route(report, name)
        if entry:
            by_cpu = cpu_ratio(entry)
            measured = f"{against(entry['ratio'], target)}×" + ("" if by_cpu is None else f" (by CPU: {by_cpu:.2f}×)")
            rows.append(("5 (Hummingbird)", f"{ROUTE_LABELS[name]} ≥ {target:.2f}× bare over HTTP", measured,
                         entry["ratio"] >= target, gap_ratio(entry["ratio"], target)))
    return rows


def contention_p99(entry):
    """The p99 of a paced /api/me window, or what happened when none of its requests was answered."""
    if not entry["requests_per_sec"]:
        return "no answer within the window"
    return ms(entry["p99_ms"])


def against(value, target):
    """`value` with enough decimals that it does not read as the other side of `target` (0.8951 is "0.895", not "0.90")."""
    digits = 2
    while digits < 4 and (round(value, digits) >= target) != (value >= target):
        digits += 1
    return f"{value:.{digits}f}"


def gap_ratio(measured, target):
    gap = abs(measured - target)
    shown = f"{gap:.3f}" if gap < 0.01 else f"{gap:.2f}"
    if measured >= target:
        return f"+{shown} above"
    return f"{shown} short ({gap / target:.1%} below)"


def gap_rate(measured, target):
    if measured >= target:
        return f"{rate(measured - target)} above"
    return f"{rate(target - measured)} short ({(target - measured) / target:.0%} below)"


# --- Cost breakdown -----------------------------------------------------------

# The one operation each route adds, measured in-process by `tessera bench`,
# and the middlewares the route runs (Sources/TesseraCLI/BenchServerCommand.swift).
CORE_OPERATIONS = {
    "signed-cookie": ("signed_verify", "signed value verify"),
    "sealed-session": ("sealed_open", "sealed value open"),
    "memory-session": ("memory store load", "memory store load"),
    "sqlite-session": ("sqlite store load", "SQLite store load"),
}
ROUTE_MIDDLEWARES = {
    "noop3": "three pass-through middlewares",
    "signed-cookie": "SignedCookieAuthenticator and RequireAuthentication",
    "sealed-session": "TesseraSessionMiddleware, SessionAuthenticator and RequireAuthentication",
    "memory-session": "TesseraSessionMiddleware, SessionAuthenticator and RequireAuthentication",
    "sqlite-session": "TesseraSessionMiddleware, SessionAuthenticator and RequireAuthentication",
    "jwt": "JWTAuthenticator and RequireAuthentication",
    "api-key": "APIKeyAuthenticator and RequireAuthentication",
}
# Operations whose 1 ÷ rate is wall time spent waiting on another thread,
# not CPU on the request's thread: no subtraction from the route's CPU.
WALL_TIME_OPERATIONS = {"sqlite store load"}


def breakdown_rows(report):
    """(route, extra CPU µs over bare, core operation, its µs, rest µs) from this run's figures."""
    codecs, stores = by_name(report["in_process"]["codecs"]), by_name(report["in_process"]["stores"])
    rows = []
    for entry in report["http"]["routes"]:
        name = entry["route"]
        if name == "bare" or entry.get("cpu_us_per_request") is None or entry.get("bare_cpu_us_per_request") is None:
            continue
        extra = entry["cpu_us_per_request"] - entry["bare_cpu_us_per_request"]
        core = CORE_OPERATIONS.get(name)
        figure = None
        if core:
            source = codecs.get(core[0]) or stores.get(core[0])
            if source and source["ops_per_sec"]:
                figure = 1e6 / source["ops_per_sec"]
        rest = None if figure is None or core[0] in WALL_TIME_OPERATIONS else extra - figure
        rows.append((name, entry["bare_cpu_us_per_request"], entry["cpu_us_per_request"], extra,
                     core[1] if core else None, figure, rest))
    return rows


# --- Markdown -----------------------------------------------------------------

def markdown(report):
    machine, git = report["machine"], report["git"]
    http, serve = report["http"], report["serve"]
    lines = []
    add = lines.append
    commit = (git.get("commit") or "unknown")[:12]
    dirty = " with uncommitted changes" if git.get("uncommitted_changes") else ""
    minutes = report["elapsed_seconds"] / 60
    add("# Performance")
    add("")
    add(f"Measured by `{report['command']}` on **{report['generated_at'][:10]}** "
        f"({report['generated_at']}), commit `{commit}`{dirty}, {report['build']} build, "
        f"{report['mode']} mode; the measurements took {minutes:.1f} minutes. "
        "This file, `performance.svg` and `performance.json` are written by the script "
        "(`scripts/performance-report.py render` redraws them from the JSON).")
    add("")
    if report["mode"] != "full" or report["build"] != "release":
        add("> **Smoke run:** a quick or debug run checks that the pipeline works; its figures are not representative.")
        add("")
    add("**Read the ratios.** The machine is a shared 2-core VM where absolute rates move by up to 2× "
        "from one run to the next. Every ratio here compares two things measured in this one run, "
        "interleaved, so noise reaches both alike; the absolute figures are this run's and only give the scale.")
    add("")
    add("## Machine")
    add("")
    add("| | |")
    add("| --- | --- |")
    add(f"| CPU | {machine.get('cpu', 'unknown')}, {machine.get('cores', '?')} cores ({machine.get('architecture', '')}) |")
    add(f"| memory | {machine.get('memory_bytes', 0) / 2**30:.1f} GiB |")
    add(f"| OS | {machine.get('os', 'unknown')}, Linux {machine.get('kernel', '')} |")
    add(f"| Swift | {machine.get('swift', 'unknown')} |")
    add(f"| load generator | {machine.get('wrk', 'wrk').split(' Copyright')[0]}, on the same cores as the server |")
    if machine.get("postgresql"):
        add(f"| PostgreSQL | {machine['postgresql']} (throwaway, `scripts/with-postgres.sh`: fsync off) |")
    load = report.get("load_average") or {}
    if load.get("start") and load.get("end"):
        add(f"| load average (1, 5, 15 min) | {', '.join(f'{v:.2f}' for v in load['start'])} at the start, "
            f"{', '.join(f'{v:.2f}' for v in load['end'])} at the end (the benchmark itself keeps about 2 busy; "
            "more means other work shared the cores) |")
    add(f"| date | {report['generated_at']} |")
    add(f"| commit | `{git.get('commit') or 'unknown'}`{dirty} |")
    add("")

    add("## Targets")
    add("")
    add("| issue | target | this run | met? | gap |")
    add("| --- | --- | --- | --- | --- |")
    for issue, what, measured, met, gap in targets(report):
        add(f"| {issue} | {what} | {measured} | {'–' if met is None else verdict(met)} | {gap} |")
    add("")
    add("Met or missed is judged on the req/s ratio, as the issues define it. \"By CPU\" is the paired `/bare`'s "
        "server CPU per request divided by the route's: on a shared machine where other work takes cores at random "
        "moments it is the steadier of the two (see Method). Why a target is missed, as far as this run shows it, "
        "is under [Where the time goes](#where-the-time-goes).")
    add("")
    add("![HTTP requests per second relative to a bare route, p99 of /api/me while logins hash, "
        "and in-process ratios to the raw primitives](performance.svg)")
    add("")

    add("## Method")
    add("")
    add("- Everything runs on 127.0.0.1: the servers, wrk and PostgreSQL share the machine's cores.")
    add(f"- **In-process** (`tessera bench`): each operation is measured on one thread in slices interleaved "
        "with the raw primitive it is built on, over the same bytes (200-byte JSON payload for the codecs); "
        "ratio = ours ÷ raw over the whole run.")
    add(f"- **HTTP** (wrk, {http['connections']} connections, 2 threads, {http['rounds']} rounds × {http['seconds']:g} s): "
        "every route is measured right after the bare route receiving the very same request, rounds interleave "
        "all routes, and the ratio is the **median of the per-round paired ratios** (range in brackets). "
        "p50/p99 are wrk's, the median over rounds, at saturation (closed loop). "
        "The server's CPU per request comes from its user+system time in `/proc/PID/stat` during each measurement, "
        "summed over the rounds and divided by the requests wrk counted; \"by CPU\" = the paired `/bare`'s CPU per "
        "request ÷ the route's. A burst of other work on the machine during one 3-second measurement moves that "
        "measurement's req/s (hence the wide ranges), but hardly the CPU each request costs.")
    add("- **`tessera serve`'s bare baseline** is `tessera bench-server`'s `/bare` (the same Hummingbird with no "
        "Tessera, a separate process), because serve's `/healthz` is not bare: it runs serve's whole middleware "
        "chain and reads the store once (a user lookup). `/healthz` is measured too, without a cookie. "
        "The user is created with `tessera users add`, the session cookie comes from `POST /api/session`.")
    contention = serve["contention"]
    add(f"- **Logins while reading**: 0, 1 or 2 shell loops of `POST /api/session` (default scrypt cost, N=2^17) run while "
        f"wrk sends `GET /api/me` at a paced rate ({contention['connections']} connections, each waiting "
        f"{contention['delay_ms']} ms between an answer and its next request), {contention['rounds']} rounds × "
        f"{contention['seconds']:g} s, median p99. Paced, so the p99 shows what hashing does to a request, not queueing "
        "at saturation; a stall is counted once per connection (closed loop).")
    add("- **Resident size**: `VmRSS` of `/proc/PID/status`, sampled every 0.2 s.")
    add("")

    add("## In-process: `tessera bench`")
    add("")
    add("| operation | ours | raw primitive | raw | ratio |")
    add("| --- | --- | --- | --- | --- |")
    for entry in report["in_process"]["codecs"]:
        label, raw = CODEC_LABELS.get(entry["name"], (entry["name"], entry["baseline"]))
        add(f"| {label} | {rate(entry['ops_per_sec'])} | {raw} | {rate(entry.get('baseline_ops_per_sec'))} | {ratio(entry['ratio'])} |")
    for entry in report["in_process"]["stores"]:
        add(f"| {store_label(entry['name'])} | {rate(entry['ops_per_sec'])} | {entry['baseline']} | "
            f"{rate(entry.get('baseline_ops_per_sec'))} | {ratio(entry['ratio'])} |")
    if not any(entry["name"].startswith("postgres") for entry in report["in_process"]["stores"]):
        add("| PostgreSQL store | not measured in this run (no PostgreSQL) | | | |")
    add("")
    footprint = report["in_process"]["footprint"]
    if footprint:
        add(f"**Memory store with {footprint['sessions']:,} live sessions:** the allocator hands out "
            f"{footprint['bytes_per_session']} bytes per session ({footprint['overhead_bytes']} beyond the "
            f"{footprint['payload_bytes']}-byte user id), against {footprint['baseline_bytes_per_session']} for a plain "
            f"`[SessionLookupKey: SessionRecord]` (ratio {footprint['ratio']:.2f}).")
        if footprint.get("rss_growth_bytes") is not None:
            add(f"The process's resident size grew by {mib(footprint['rss_growth_bytes'])} while the store filled "
                f"({footprint['rss_growth_bytes'] / footprint['sessions']:.0f} bytes per session, allocator slack included); "
                f"the whole benchmark process then held {mib(footprint['rss_bytes'])}, which includes the "
                "million source records it inserted.")
        add("")
    logins = report["in_process"]["login_latency"]
    if logins:
        add("Latency of a cheap request (an API key check, 500/s open loop, in-process) while two scrypt logins run:")
        add("")
        add("| logins | p50 | p99 | p99 ÷ idle p99 | logins/s |")
        add("| --- | --- | --- | --- | --- |")
        names = {
            "idle": "none",
            "pool": "2, on NIO's shared thread pool (the library's default)",
            "pool_one_thread": "2, on a dedicated 1-thread pool",
            "inline": "2, hashed inline on the async executor (what not to do)",
        }
        for entry in logins:
            scenario = entry["name"].rsplit(".", 1)[1]
            add(f"| {names.get(scenario, scenario)} | {ms(entry['p50_ms'])} | {ms(entry['p99_ms'])} | "
                f"{entry.get('p99_ratio_vs_idle', 1):.2f} | {entry['logins_per_sec']:.2f} |")
        add("")

    add("## HTTP: each authenticator (`scripts/bench-http.sh`)")
    add("")
    add("`tessera bench-server`: one route per way of authenticating, each behind only its own middleware, all "
        "answering `ok`.")
    add("")
    add("| route | req/s | p50 | p99 | `/bare` req/s (paired) | ratio to bare | server CPU per request | by CPU | target |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for entry in http["routes"]:
        name = entry["route"]
        spread = f" ({min(entry['ratios']):.2f}–{max(entry['ratios']):.2f})" if len(entry["ratios"]) > 1 and name != "bare" else ""
        target = entry.get("target")
        goal = "" if target is None else f"≥ {target:.2f}: {verdict(entry['ratio'] >= target)}"
        add(f"| {ROUTE_LABELS.get(name, name)} | {rps(entry['requests_per_sec'])} | {ms(entry['p50_ms'])} | {ms(entry['p99_ms'])} | "
            f"{rps(entry['bare_requests_per_sec'])} | {ratio(entry['ratio']) if target is None else against(entry['ratio'], target) + '×'}"
            f"{spread} | {micros(entry.get('cpu_us_per_request'))} | {ratio(cpu_ratio(entry))} | {goal} |")
    add("")

    add("## HTTP: `tessera serve`")
    add("")
    add("Session cookie from `POST /api/session`; `GET /api/me` loads the session and the user "
        "(`{\"username\",\"method\",\"scopes\"}`), `GET /auth/verify` is the forward-auth check (200 with "
        "`X-Tessera-User`). Bare = `bench-server`'s `/bare` measured just before, with the same Cookie header.")
    add("")
    add("| store | route | req/s | p50 | p99 | bare req/s (paired) | ratio to bare | server CPU per request | by CPU |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for entry in serve["routes"]:
        spread = f" ({min(entry['ratios']):.2f}–{max(entry['ratios']):.2f})" if len(entry["ratios"]) > 1 else ""
        label = "`/healthz` (no cookie; not bare: middleware chain + one store read)" if entry["route"] == "healthz" else f"`/{entry['route']}`"
        add(f"| {STORE_LABELS.get(entry['store'], entry['store'])} | {label} | {rps(entry['requests_per_sec'])} | "
            f"{ms(entry['p50_ms'])} | {ms(entry['p99_ms'])} | {rps(entry['bare_requests_per_sec'])} | "
            f"{ratio(entry['ratio'])}{spread} | {micros(entry.get('cpu_us_per_request'))} | {ratio(cpu_ratio(entry))} |")
    add("")

    serve_profile = serve_profiles(report)
    if serve_profile:
        add("**Where serve's CPU goes** (`perf record -g` of each process under `/api/me`'s load, split as under "
            "[Where the time goes](#where-the-time-goes)), µs per request:")
        add("")
        add("| process | CPU per request | Tessera's code | its largest parts | sqlite-nio + SQLite | postgres-nio | kernel | the rest | of the rest: allocation, retain/release, concurrency runtime |")
        add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        stores = in_store_order({name: parts for name, parts in serve_profile.items() if name != "bare"})
        for name, parts in ([("bare", serve_profile["bare"])] if "bare" in serve_profile else []) + stores:
            label = "bench-server `/bare`" if name == "bare" else f"serve `/api/me` on {STORE_LABELS.get(name, name)}"
            largest = ", ".join(f"{kind} {value:.1f}" for kind, value in parts["tessera_by_type"][:3]) or "–"
            kinds = " / ".join(f"{parts['kinds'].get(kind, 0):.1f}" for kind in ("allocation", "retain/release", "concurrency runtime"))
            add(f"| {label} | {parts['cpu']:.1f} | {parts['tessera']:.1f} | {largest} | {parts['sqlite']:.1f} | "
                f"{parts['postgres']:.1f} | {parts['kernel']:.1f} | {parts['other']:.1f} | {kinds} |")
        add("")
        sqlite, postgres = serve_profile.get("sqlite"), serve_profile.get("postgres")
        if sqlite and postgres:
            add(f"On PostgreSQL `/api/me` costs {postgres['cpu']:.0f} µs of serve's CPU against {sqlite['cpu']:.0f} µs on "
                f"SQLite. The difference is the client side of talking to a server: postgres-nio's own code takes "
                f"{postgres['postgres']:.0f} µs per request, the kernel {postgres['kernel']:.0f} µs against "
                f"{sqlite['kernel']:.0f} (a socket write and read per query, and a wakeup of each side, with PostgreSQL "
                f"and wrk on the same cores), the rest of the runtime and SwiftNIO (which also runs the database "
                f"connections) {postgres['other']:.0f} µs against {sqlite['other']:.0f} (allocation alone "
                f"{postgres['kinds'].get('allocation', 0):.0f} against {sqlite['kinds'].get('allocation', 0):.0f}), "
                "and Tessera's PostgreSQL stores with their deadline "
                f"{sum(value for kind, value in postgres['tessera_by_type'] if kind.startswith('Postgres') or kind == 'ResumeOnce'):.0f} µs. "
                "Each `/api/me` makes two queries (the session, then the user); PostgreSQL's own CPU for them is not in "
                "these figures but shares the same two cores, which is why its req/s ratio falls further than its CPU ratio.")
            add("")

    add("## `GET /api/me` while logins hash passwords")
    add("")
    add("| store | concurrent logins | logins/s | req/s (paced) | p50 | p99 | worst round's p99 | p99 ÷ p99 with no logins |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- |")
    quiet = {entry["store"]: entry for entry in serve["logins"] if entry["concurrent_logins"] == 0}
    for entry in serve["logins"]:
        base = quiet.get(entry["store"])
        answered = bool(entry["requests_per_sec"])
        factor = "1" if entry["concurrent_logins"] == 0 else (
            f"{entry['p99_ms'] / base['p99_ms']:.1f}" if base and base["p99_ms"] and answered else "–")
        timeouts = f" ({entry['timeouts']} over 10 s)" if entry.get("timeouts") else ""
        add(f"| {STORE_LABELS.get(entry['store'], entry['store'])} | {entry['concurrent_logins']} | {entry['logins_per_sec']:.2f} | "
            f"{rps(entry['requests_per_sec'])} | {ms(entry['p50_ms']) if answered else '–'} | {contention_p99(entry)}{timeouts} | "
            f"{ms(entry['p99_ms_max']) if answered else '–'} | {factor} |")
    add("")
    add(contention_text(report))
    add("")

    add("## Memory")
    add("")
    add("| what | resident size |")
    add("| --- | --- |")
    if footprint and footprint.get("rss_growth_bytes") is not None:
        add(f"| memory store: growth for {footprint['sessions']:,} live sessions (`tessera bench`) | {mib(footprint['rss_growth_bytes'])} |")
    moments = [("started_bytes", "just started"), ("rest_bytes", "at rest, after one sign-in"),
               ("load_peak_bytes", "peak under the wrk read load"), ("logins_peak_bytes", "peak while logins hash (128 MiB each)"),
               ("end_bytes", "at the end")]
    for store, values in in_store_order(serve["rss"]):
        for key, label in moments:
            if key in values:
                add(f"| `tessera serve` on {STORE_LABELS.get(store, store)}: {label} | {mib(values[key])} |")
    add("")
    for store, values in in_store_order(serve["rss"]):
        rest, end = values.get("rest_bytes"), values.get("end_bytes")
        if rest and end and end > 2 * rest:
            add(f"On {STORE_LABELS.get(store, store)}, serve's resident size grew from {mib(rest)} at rest to {mib(end)} and "
                "had not come back down at the end of the run; why is not yet analysed (this run does not tell a leak "
                "from memory the allocator or the connection pool keeps).")
            add("")
    if "postgres" in serve["rss"]:
        add("Serve on PostgreSQL used to grow under load: from 48.1 MiB at rest to 158.4 MiB in the run of "
            "2026-12-07T14:04Z, and to 259 MiB in a 120 s `/healthz` load by hand. heaptrack showed what held it: one "
            "Swift task and one dispatch timer per `Task.sleep` in postgres-nio's pool, which started an idle timer and a "
            "keep-alive timer each time a connection went back to it and cancelled them when it was leased again. On "
            "Linux a cancelled `Task.sleep` keeps its memory until its deadline would have passed (30 and 60 s later; "
            "100,000 cancelled 20 s sleeps held 63 and 72 MiB in two runs of `scripts/experiments/cancelled-sleep-memory.swift`). The storage now keeps a fixed pool "
            "(`pool_size` connections, 10 by default) with postgres-nio's keep-alive off, so a query starts no timer, "
            "and pings its connections itself every 30 s. `Tests/e2e/test_soak.py` runs on PostgreSQL too and fails "
            "if the resident size grows by 10% after its warm-up.")
        add("")

    add("## Where the time goes")
    add("")
    add("The server's CPU per request (user + system time of the server process from `/proc`, over all rounds, "
        "divided by the requests wrk counted), next to the in-process time of the one operation each authenticator "
        "adds (1 ÷ its `tessera bench` rate on one thread). The rest is what else the route runs; the CPU profile "
        "below splits it.")
    add("")
    add("| route | middlewares | `/bare` CPU | route CPU | added | core operation | its time in-process | the rest |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = breakdown_rows(report)
    for name, bare_cpu, route_cpu, extra, core, figure, rest in rows:
        if rest is not None and rest < 1:
            remainder = "≈ 0 (the operation is all the route adds)"
        elif rest is not None:
            remainder = micros(rest)
        elif figure is not None:
            remainder = "– (wall time on sqlite-nio's thread, not CPU of this one)"
        else:
            remainder = "see the profile below"
        add(f"| {ROUTE_LABELS.get(name, name)} | {ROUTE_MIDDLEWARES.get(name, '')} | {micros(bare_cpu)} | {micros(route_cpu)} | "
            f"{micros(extra)} | {core or '–'} | {micros(figure)} | {remainder} |")
    add("")
    profile = route_profiles(report)
    if profile:
        add("**The CPU profile.** Each route was then profiled under the same load (`perf record -g` of the server "
            "process; `scripts/profile-attribution.py`), and its CPU per request split by where the samples fell: "
            "Tessera's own code (each sample counted for the innermost Tessera function on its stack, so a call into "
            "swift-crypto counts for the Tessera type that made it), sqlite-nio and SQLite, the kernel (sockets, "
            "scheduling), and the rest (Hummingbird, SwiftNIO, the Swift runtime, the allocator). µs per request, "
            "the change from `/bare` in brackets:")
        add("")
        add("| route | CPU per request | Tessera's code | its largest parts | sqlite-nio + SQLite | kernel | the rest | of the rest: retain/release, allocation, concurrency runtime |")
        add("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for name, parts in profile.items():
            def cell(key, parts=parts):
                text = f"{parts[key]:.1f}"
                baseline = parts.get("baseline")
                return text if baseline is None else f"{text} ({parts[key] - baseline[key]:+.1f})"
            largest = ", ".join(f"{kind} {value:.1f}" for kind, value in parts["tessera_by_type"][:3]) or "–"
            kinds = " / ".join(f"{parts['kinds'].get(kind, 0):.1f}" for kind in ("retain/release", "allocation", "concurrency runtime"))
            add(f"| {ROUTE_LABELS.get(name, name)} | {cell('cpu')} | {cell('tessera')} | {largest} | {cell('sqlite')} | "
                f"{cell('kernel')} | {cell('other')} | {kinds} |")
        add("")
    add(gap_text(report, rows, profile))
    add("")
    return "\n".join(lines)


# What the groups of functions SealedValueCodec.open calls are, in words.
CALLEE_LABELS = {
    "Base64": "base64 decoding",
    "TokenFields": "splitting the fields",
    "swift": "reference counting",
    "_copyCollectionToContiguousArray": "copying the plaintext out of `Data`",
    "Data": "building the box's `Data`",
    "(its own code)": "its own code",
    "Array": "arrays",
}


def split_cpu(share, cpu):
    """A profile's shares times a CPU time per request: µs per part."""
    return {
        "cpu": cpu,
        "tessera": share["tessera"] * cpu, "sqlite": share["sqlite"] * cpu, "postgres": share.get("postgres", 0) * cpu,
        "kernel": share["kernel"] * cpu, "other": share["other"] * cpu,
        "kinds": {kind: value * cpu for kind, value in share.get("other_by_kind", {}).items()},
        "tessera_by_type": sorted(((kind, value * cpu) for kind, value in share["tessera_by_type"].items()),
                                  key=lambda item: -item[1]),
    }


def serve_profiles(report):
    """serve's /api/me per store and bench-server's /bare, each profile's shares times its CPU per request."""
    shares = report["serve"].get("profile") or {}
    result = {}
    me = {entry["store"]: entry for entry in report["serve"]["routes"] if entry["route"] == "api/me"}
    for name, share in shares.items():
        if not share.get("samples"):
            continue
        if name == "bare":
            paired = [entry.get("bare_cpu_us_per_request") for entry in me.values() if entry.get("bare_cpu_us_per_request")]
            cpu = sum(paired) / len(paired) if paired else None
        else:
            cpu = (me.get(name) or {}).get("cpu_us_per_request")
        if cpu:
            result[name] = split_cpu(share, cpu)
    return result


def route_profiles(report):
    """Each profiled route's CPU per request split into µs, with `/bare`'s profile scaled to the CPU of the `/bare`
    measured beside that route (its "baseline"), so each route's parts and its baseline's add up to the "added" column."""
    shares = report["http"].get("profile") or {}
    bare_share = shares.get("bare") if (shares.get("bare") or {}).get("samples") else None
    result = {}
    for entry in report["http"]["routes"]:
        name, cpu = entry["route"], entry.get("cpu_us_per_request")
        share = shares.get(name)
        if share is None or cpu is None or not share.get("samples"):
            continue
        result[name] = split_cpu(share, cpu)
        paired = entry.get("bare_cpu_us_per_request")
        if name != "bare" and bare_share and paired:
            result[name]["baseline"] = split_cpu(bare_share, paired)
    return result


def profile_text(profile, name, curve):
    """One sentence on where a route's extra CPU over /bare went, from its profile; `curve` is /bare's CPU per
    request at several connection counts."""
    parts = profile.get(name)
    bare = parts.get("baseline") if parts else None
    if not parts or not bare:
        return None
    def delta(key):
        return parts[key] - bare[key]
    bare_types = dict(bare["tessera_by_type"])
    ours = ", ".join(f"{kind} {value - bare_types.get(kind, 0):.1f}" for kind, value in parts["tessera_by_type"][:4])
    kinds = ", ".join(f"{kind} {parts['kinds'].get(kind, 0) - bare['kinds'].get(kind, 0):+.1f}"
                      for kind in ("retain/release", "allocation", "concurrency runtime"))
    text = (f"The CPU profile puts {delta('tessera'):.1f} µs of the difference in Tessera's own code ({ours} µs)")
    if parts["sqlite"] >= 0.5:
        text += f", {delta('sqlite'):.1f} µs in sqlite-nio and SQLite"
    text += (f", {delta('kernel'):+.1f} µs in the kernel and {delta('other'):+.1f} µs in Hummingbird, SwiftNIO and the "
             f"Swift runtime ({kinds} µs). That last part is framework work done per request: a sampling profile does not "
             "show which of it our middlewares cause (an async function's samples lose its callers), and the load moves "
             "it too")
    if curve:
        text += (": in this run `/bare` alone cost " + ", ".join(
            f"{point['cpu_us_per_request']:.0f} µs" + (" of CPU per request" if index == 0 else "")
            + f" at {point['connections']}" + (" connections" if index == 0 else "")
            for index, point in enumerate(curve)))
    return text + "."


def contention_text(report):
    """What the login rows show, from this run's figures and the code's thread pools."""
    cores = report["machine"].get("cores", "?")
    threads = max(1, cores - 1) if isinstance(cores, int) else "cores − 1"
    text = (f"serve hashes passwords on a thread pool of its own, one thread fewer than the machine has cores "
            f"({threads} here; `PasswordHashingPool`), so logins queue for those threads and never take the last core, "
            "nor NIO's shared blocking pool, where sqlite-nio runs every SQLite statement (`SQLiteConnection.open`'s "
            "default). postgres-nio uses no pool thread.")
    rows = {(entry["store"], entry["concurrent_logins"]): entry for entry in report["serve"]["logins"]}
    for store, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        busy, quiet = rows.get((store, 2)), rows.get((store, 0))
        if busy and quiet and quiet["p99_ms"]:
            text += (f" With two logins hashing, `/api/me` on {label} went from p99 {contention_p99(quiet)} to "
                     f"{contention_p99(busy)}.")
    text += (" Before serve had its own pool (hashing on NIO's shared pool, run of 2026-12-07T06:10Z), two logins took "
             "the p99 on SQLite from 4.18 ms to 712 ms, as SQLite's reads queued behind the hashes.")
    text += (" The in-process table above shows the same effect with the library's default pool and with a dedicated "
             "one-thread pool (`PasswordHasher(threadPool:)`).") if report["in_process"]["login_latency"] else ""
    return text


def gap_text(report, rows, profile):
    """What this run shows about each missed target; "not yet analysed" where it shows nothing."""
    noop = next((row for row in rows if row[0] == "noop3"), None)
    stores = by_name(report["in_process"]["stores"])
    codecs = by_name(report["in_process"]["codecs"])
    notes = []
    for name, target in HTTP_TARGETS.items():
        entry, row = route(report, name), next((row for row in rows if row[0] == name), None)
        if not entry or entry["ratio"] >= target:
            continue
        if row is None:
            notes.append(f"- **{ROUTE_LABELS[name]}** ({against(entry['ratio'], target)}× vs {target:.2f}×): not yet analysed (no CPU figures).")
            continue
        _, _, _, extra, core, figure, rest = row
        text = (f"- **{ROUTE_LABELS[name]}** ({against(entry['ratio'], target)}× vs {target:.2f}×): the route costs {extra:.1f} µs of server "
                f"CPU per request more than `/bare`.")
        curve = [point for point in report["http"].get("bare_by_connections", []) if point.get("cpu_us_per_request")]
        explained = profile_text(profile, name, curve)
        if figure is not None and rest is not None:
            text += f" Its {core} takes {figure:.1f} µs in-process"
            if rest >= 1:
                text += f"; the other {rest:.1f} µs go to the rest of what the route runs ({ROUTE_MIDDLEWARES[name]})"
                if noop:
                    text += f" (for scale, `/noop3`'s three middlewares that do nothing add {noop[3]:.1f} µs)"
            text += "."
        elif figure is not None:
            text += (f" Its {core} takes {figure:.1f} µs per call in-process, but that is wall time including the hop to "
                     "sqlite-nio's thread, not CPU that can be subtracted.")
        text += " " + (explained or "How that splits is not yet analysed (no CPU profile in this run).")
        if name == "sqlite-session" and stores.get("sqlite store load"):
            store = stores["sqlite store load"]
            text += (f" In-process, the SQLite store loads at {rate(store['ops_per_sec'])} against "
                     f"{rate(store['baseline_ops_per_sec'])} for a raw sqlite-nio `SELECT` by primary key.")
        notes.append(text)
    memory = stores.get("memory store load")
    if memory and memory["ops_per_sec"] < MEMORY_LOAD_TARGET:
        notes.append(f"- **Memory store load** ({rate(memory['ops_per_sec'])} vs 1 M/s): the raw `Mutex<Dictionary>` lookup it "
                     f"is compared with runs at {rate(memory['baseline_ops_per_sec'])} here ({memory['ratio']:.2f}×); "
                     "the split of the store's own cost is not yet analysed in this run.")
    sqlite = stores.get("sqlite store load")
    if sqlite and sqlite["ops_per_sec"] < SQLITE_LOAD_TARGET:
        parallel = stores.get("sqlite store load (8 in flight)")
        text = (f"- **SQLite store load** ({rate(sqlite['ops_per_sec'])} vs 50 k/s): the raw sqlite-nio `SELECT` by primary "
                f"key, one at a time, runs at {rate(sqlite['baseline_ops_per_sec'])} in this run")
        if sqlite["baseline_ops_per_sec"] < SQLITE_LOAD_TARGET:
            text += (", below the target itself, so no store built on sqlite-nio reaches it here: each query goes to "
                     "sqlite-nio's thread pool and its answer comes back to the caller's task, two thread hops per lookup. "
                     f"The store keeps {sqlite['ratio']:.2f}× of that raw rate (it also decodes "
                     "the record and checks its expiry)")
        else:
            text += f"; the store keeps {sqlite['ratio']:.2f}× of it (it also decodes the record and checks its expiry)"
        if parallel:
            text += (f". With 8 loads in flight, as a server under load makes them, the store does "
                     f"{rate(parallel['ops_per_sec'])} (raw {rate(parallel['baseline_ops_per_sec'])})")
        notes.append(text + ".")
    sealed = codecs.get("sealed_open")
    if sealed and sealed["ratio"] < CODEC_TARGETS["sealed_open"]:
        text = (f"- **Sealed value open** ({sealed['ratio']:.2f}× vs 0.70×): the raw side opens a ready "
                "`AES.GCM.SealedBox`; ours also decodes the base64, splits the fields, builds the associated data and "
                "the box, and copies the plaintext out of swift-crypto's `Data`.")
        callees = (report.get("in_process_profile") or {}).get("sealed_open", {}).get("callees")
        if callees:
            callees = dict(sorted(callees.items(), key=lambda item: -item[1]))
            aead = sum(share for name, share in callees.items() if name in ("AES", "ChaChaPoly"))
            others = [(CALLEE_LABELS.get(name, name), share) for name, share in callees.items()
                      if name not in ("AES", "ChaChaPoly")][:5]
            text += (f" In its CPU profile, the AEAD open itself (what the raw side runs) is {aead:.0%} of "
                     "`SealedValueCodec.open`'s time; the rest is " + ", ".join(f"{name} {share:.0%}" for name, share in others)
                     + f". With the AEAD open taking as long in both, the ratio comes out near that share; 0.70× needs the "
                     f"rest at most 0.43× of the AEAD's time, and it is {(1 - aead) / aead:.2f}× here." if aead else "")
        notes.append(text)
    if not notes:
        return "Every target with a figure in this run is met."
    return "Missed targets:\n\n" + "\n".join(notes)


# --- SVG ----------------------------------------------------------------------

GREEN, ORANGE, BLUE, GREY, RED, INK = "#2e7d32", "#e07b00", "#3b6fb6", "#9e9e9e", "#c62828", "#222222"


class Chart:
    """A tiny SVG writer for stacked panels of horizontal bars."""

    def __init__(self, width):
        self.width = width
        self.parts = []
        self.y = 0

    def text(self, x, y, value, size=12, anchor="start", weight="normal", fill=INK):
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                          f'font-weight="{weight}" fill="{fill}">{html.escape(value)}</text>')

    def rect(self, x, y, width, height, fill, title=None):
        tip = f"<title>{html.escape(title)}</title>" if title else ""
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" fill="{fill}">{tip}</rect>')

    def line(self, x1, y1, x2, y2, stroke, width=1.0, dash=None):
        pattern = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" stroke-width="{width}"{pattern}/>')

    def panel(self, title, subtitle, rows, top_value, unit, reference=None, label_width=330):
        """rows: (label, value, colour, marker or None, (low, high) or None, value text[, second value])."""
        left, right = label_width, self.width - 190
        span = right - left
        step, scale_max = ticks(top_value)
        x = lambda value: left + span * min(value, scale_max) / scale_max
        self.y += 28
        self.text(16, self.y, title, size=15, weight="bold")
        self.y += 18
        self.text(16, self.y, subtitle, size=11, fill="#555555")
        # Room under the subtitle for the reference line's label.
        self.y += 24 if reference is not None else 14
        top = self.y
        row_height = 22
        bottom = top + row_height * len(rows)
        for index in range(0, round(scale_max / step) + 1):
            tick = step * index
            self.line(x(tick), top, x(tick), bottom, "#e6e6e6")
            self.text(x(tick), bottom + 14, f"{tick:g}{unit}", size=10, anchor="middle", fill="#555555")
        if reference is not None:
            self.line(x(reference[0]), top - 4, x(reference[0]), bottom, INK, 1.2, "4 3")
            self.text(x(reference[0]) + 3, top - 6, reference[1], size=10, fill=INK)
        for index, (label, value, colour, marker, spread, value_text, *second) in enumerate(rows):
            row_top = top + index * row_height
            self.text(left - 8, row_top + 15, label, anchor="end")
            self.rect(left, row_top + 4, x(value) - left, row_height - 8, colour, title=f"{label}: {value_text}")
            if spread:
                middle = row_top + row_height / 2
                self.line(x(spread[0]), middle, x(spread[1]), middle, INK, 1)
                self.line(x(spread[0]), middle - 4, x(spread[0]), middle + 4, INK, 1)
                self.line(x(spread[1]), middle - 4, x(spread[1]), middle + 4, INK, 1)
            if marker is not None:
                self.line(x(marker), row_top + 1, x(marker), row_top + row_height - 1, RED, 3)
            if second and second[0] is not None:
                self.diamond(x(second[0]), row_top + row_height / 2)
            end = max(x(value), x(spread[1]) if spread else 0, x(marker) if marker is not None else 0,
                      x(second[0]) + 5 if second and second[0] is not None else 0)
            self.text(end + 6, row_top + 15, value_text, size=11, weight="bold")
        self.y = bottom + 20

    def diamond(self, cx, cy, size=5):
        self.parts.append(f'<path d="M {cx:.1f} {cy - size:.1f} L {cx + size:.1f} {cy:.1f} L {cx:.1f} {cy + size:.1f} '
                          f'L {cx - size:.1f} {cy:.1f} Z" fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>')

    def legend(self, items):
        self.y += 8
        x = 16
        for colour, label in items:
            if colour == RED:
                self.line(x, self.y - 10, x, self.y + 2, RED, 2.5)
            elif colour == "diamond":
                self.diamond(x + 1, self.y - 4)
            else:
                self.rect(x - 5, self.y - 10, 12, 12, colour)
            self.text(x + 12, self.y, label, size=11)
            x += 22 + 6.2 * len(label)
        self.y += 6

    def svg(self):
        height = self.y + 16
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{height:.0f}" '
                f'viewBox="0 0 {self.width} {height:.0f}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">\n'
                f'<rect width="100%" height="100%" fill="#ffffff"/>\n' + "\n".join(self.parts) + "\n</svg>\n")


def ticks(value):
    """A round tick step and the axis end at or above `value`, with 4 to 10 ticks."""
    value = max(value, 1e-9)
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if value / step <= 10:
            return step, step * math.ceil(value / step - 1e-9)
    return magnitude * 10, magnitude * 10 * math.ceil(value / (magnitude * 10))


def chart(report):
    chart = Chart(960)
    date, commit = report["generated_at"][:10], (report["git"].get("commit") or "")[:12]
    chart.y = 6
    chart.text(16, chart.y + 18, f"Tessera performance — {date}, commit {commit}, {report['build']} build, "
               f"{report['machine'].get('cores', '?')}-core {report['machine'].get('cpu', '')}"[:140], size=13)
    chart.y += 20

    rows = []
    for entry in report["http"]["routes"]:
        if entry["route"] == "bare":
            continue
        target = entry.get("target")
        colour = BLUE if target is None else (GREEN if entry["ratio"] >= target else ORANGE)
        spread = (min(entry["ratios"]), max(entry["ratios"])) if len(entry["ratios"]) > 1 else None
        label = ROUTE_LABELS.get(entry["route"], entry["route"]).replace("`", "")
        label += "" if target is None else f" (target {target:.2f})"
        rows.append((label, entry["ratio"], colour, target, spread,
                     f"{entry['ratio']:.2f}×  {entry['requests_per_sec'] / 1000:.1f}k req/s", cpu_ratio(entry)))
    for entry in report["serve"]["routes"]:
        spread = (min(entry["ratios"]), max(entry["ratios"])) if len(entry["ratios"]) > 1 else None
        rows.append((f"serve {STORE_LABELS.get(entry['store'], entry['store'])} /{entry['route']}", entry["ratio"], GREY, None, spread,
                     f"{entry['ratio']:.2f}×  {entry['requests_per_sec'] / 1000:.1f}k req/s", cpu_ratio(entry)))
    top = max([row[1] for row in rows] + [row[4][1] for row in rows if row[4]] + [row[6] for row in rows if row[6]] + [1.0])
    chart.panel("HTTP requests/s relative to a bare Hummingbird route (wrk, loopback)",
                f"bars: median of {report['http']['rounds']} paired rounds; whiskers: lowest and highest round; "
                "diamonds: bare's server CPU per request ÷ the route's", rows, max(top, 1.0) * 1.04, "×", reference=(1.0, "bare = 1"))
    chart.legend([(GREEN, "target met"), (ORANGE, "target missed"), (BLUE, "no target"),
                  (GREY, "tessera serve (bare: bench-server /bare)"), (RED, "issue-5 target"), ("diamond", "by CPU")])

    rows = []
    for entry in report["serve"]["logins"]:
        count = entry["concurrent_logins"]
        answered = bool(entry["requests_per_sec"])
        rows.append((f"{STORE_LABELS.get(entry['store'], entry['store'])}, {count} login{'s' if count != 1 else ''} hashing",
                     entry["p99_ms"] if answered else 0, BLUE if count == 0 else ORANGE, None, None,
                     f"p99 {ms(entry['p99_ms'])} (p50 {ms(entry['p50_ms'])})" if answered else "no answer within the window"))
    if rows:
        top = max(row[1] for row in rows)
        chart.panel("p99 latency of GET /api/me while logins hash passwords (tessera serve)",
                    "paced wrk, median over rounds; each login is one scrypt hash at the default cost (N=2^17, r=8, p=1)",
                    rows, max(top, 1.0) * 1.04, " ms")

    rows = []
    codecs = report["in_process"]["codecs"]
    for entry in codecs:
        target = CODEC_TARGETS.get(entry["name"])
        colour = BLUE if target is None else (GREEN if entry["ratio"] >= target else ORANGE)
        label = CODEC_LABELS.get(entry["name"], (entry["name"],))[0] + ("" if target is None else f" (target {target:.1f})")
        rows.append((label, entry["ratio"], colour, target, None,
                     f"{entry['ratio']:.2f}×  {rate(entry['ops_per_sec'])}"))
    for entry in report["in_process"]["stores"]:
        rows.append((store_label(entry["name"]), entry["ratio"], BLUE, None, None, f"{entry['ratio']:.2f}×  {rate(entry['ops_per_sec'])}"))
    if rows:
        top = max(row[1] for row in rows)
        chart.panel("In-process throughput relative to the raw primitive (tessera bench, one thread)",
                    "raw: the swift-crypto call over the same bytes; for stores the Mutex<Dictionary>, sqlite-nio or "
                    "postgres-nio query underneath", rows, max(top, 1.0) * 1.04, "×", reference=(1.0, "raw = 1"))
    return chart.svg()


def write_outputs(report, out):
    with open(os.path.join(out, "PERFORMANCE.md"), "w") as handle:
        handle.write(markdown(report))
    with open(os.path.join(out, "performance.svg"), "w") as handle:
        handle.write(chart(report))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command_name", required=True)
    gather = commands.add_parser("collect", help="merge one run's raw results and write the report")
    gather.add_argument("--run", required=True, help="the directory with in-process.jsonl, http.json and serve.json")
    gather.add_argument("--out", default="docs")
    gather.add_argument("--mode", default="full")
    gather.add_argument("--build", default="release")
    gather.add_argument("--elapsed", type=float, required=True, help="seconds the measurements took")
    gather.add_argument("--command", default="scripts/bench.sh")
    again = commands.add_parser("render", help="write PERFORMANCE.md and performance.svg again from performance.json")
    again.add_argument("--json", default="docs/performance.json")
    again.add_argument("--out", default=None, help="default: the JSON file's directory")
    arguments = parser.parse_args()
    if arguments.command_name == "collect":
        for name in ("in-process.jsonl", "http.json", "serve.json"):
            if not os.path.exists(os.path.join(arguments.run, name)):
                sys.exit(f"performance-report: {os.path.join(arguments.run, name)} is missing; run scripts/bench.sh")
        collect(arguments)
    else:
        if not os.path.exists(arguments.json):
            sys.exit(f"performance-report: {arguments.json} does not exist; run scripts/bench.sh first")
        write_outputs(json.load(open(arguments.json)), arguments.out or os.path.dirname(arguments.json) or ".")


if __name__ == "__main__":
    main()
