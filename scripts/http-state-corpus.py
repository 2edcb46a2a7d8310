#!/usr/bin/env python3
"""Run the IETF http-state parser corpus (parser.json) through `tessera jar`.

Usage: scripts/http-state-corpus.py /path/to/tessera --corpus PATH/parser.json [--verbose] [-k SUBSTRING]

The corpus (abarth/http-state, also in tough-cookie's test/ietf_data) is not
shipped with Tessera. It was written for RFC 6265; the jar follows RFC
6265bis, so the cases in KNOWN_DELTAS fail on purpose, each with its reason.
Exit status 0 when every other case passes.

For every test case {test, received: [...], sent: [{name, value}], "sent-to"?}:
  * a fresh jar path in a new temp dir (the file does not exist yet),
  * TESSERA jar set --jar JAR --url http://home.example.org:8888/cookie-parser?TEST R
    for each received string R (one argv element each),
  * TESSERA jar header --jar JAR --url URL, where URL is
    http://home.example.org:8888/cookie-parser-result?TEST or "sent-to" resolved
    against it with urllib.parse.urljoin,
  * stdout (one line, a Cookie header value, empty if none) is split on "; " and
    each part at the first "=" (no "=" -> name "" and value = part), then compared
    in order with `sent`.

`jar set` may exit non-zero when a cookie is ignored: not a failure by itself.
A crash (exit code >= 128 or negative) of any command is a failure, as is a
non-zero exit, a timeout, or undecodable output of `jar header`.
Cases whose received strings cannot be passed through argv (NUL bytes) are
reported as SKIP (skipped-unpassable).
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

PARSER_JSON = "parser.json"

SET_BASE = "http://home.example.org:8888/cookie-parser?"
RESULT_BASE = "http://home.example.org:8888/cookie-parser-result?"
TIMEOUT = 30  # seconds per subprocess

NAMELESS = "RFC 6265bis: a Set-Cookie without '=' (or with an empty name) is a nameless cookie; RFC 6265 dropped it"
EXPIRED = "the corpus's Expires date has passed since it was written (2017/2019); a correct jar treats it as expired"
KNOWN_DELTAS = {
    **{t: NAMELESS for t in ["0004", "0021", "0023", "0024", "0025", "0026", "0027", "0028", "CHROMIUM0009",
                             "CHROMIUM0010", "CHROMIUM0012", "MOZILLA0012", "MOZILLA0014", "MOZILLA0015",
                             "MOZILLA0016", "MOZILLA0017", "NAME0017", "NAME0023", "NAME0025", "NAME0028",
                             "NAME0031", "NAME0032", "NAME0033"]},
    **{t: EXPIRED for t in ["0002", "0003", "COMMA0006", "COMMA0007"]},
    "DISABLED_CHROMIUM0023": "RFC 6265bis ignores a cookie with a CR (a control character); disabled in the corpus too",
    "DISABLED_PATH0029": "paths are compared as sent, without percent-decoding, as browsers do; disabled in the corpus too",
    "ORDERING0001": "the corpus lists this case sorted by value; the jar sends the RFC's order "
                    "(longer paths first, then older), which test_K_37 checks",
}


class Unpassable(Exception):
    pass


def is_crash(rc):
    return rc < 0 or rc >= 128


def to_arg(s):
    """Return an argv element for s, or raise Unpassable (NUL bytes)."""
    if "\x00" in s:
        # Neither str nor bytes argv elements may contain NUL (execve uses
        # C strings); subprocess raises ValueError. Report explicitly.
        raise Unpassable("received string contains a NUL byte")
    return s


def run(cmd):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except ValueError as e:  # embedded null byte, as a last resort
        raise Unpassable(str(e))
    return p.returncode, p.stdout, p.stderr


def parse_header(line):
    if line == "":
        return []
    pairs = []
    for part in line.split("; "):
        if "=" in part:
            name, value = part.split("=", 1)
        else:
            name, value = "", part
        pairs.append({"name": name, "value": value})
    return pairs


def run_case(tessera, case):
    test = case["test"]
    received = case["received"]
    expected = [{"name": c["name"], "value": c["value"]} for c in case["sent"]]
    result_url = RESULT_BASE + test
    if "sent-to" in case:
        result_url = urllib.parse.urljoin(result_url, case["sent-to"])
    res = {"test": test, "received": received, "expected": expected,
           "url": result_url, "status": None, "reason": "", "actual": None,
           "raw": None, "log": []}
    tmpdir = tempfile.mkdtemp(prefix="http-state-")
    jar = os.path.join(tmpdir, "jar")
    try:
        try:
            args = [to_arg(r) for r in received]
        except Unpassable as e:
            res["status"], res["reason"] = "SKIP", "skipped-unpassable: %s" % e
            return res
        for r in args:
            cmd = [tessera, "jar", "set", "--jar", jar, "--url", SET_BASE + test, r]
            try:
                rc, out, err = run(cmd)
            except Unpassable as e:
                res["status"], res["reason"] = "SKIP", "skipped-unpassable: %s" % e
                return res
            except subprocess.TimeoutExpired:
                res["status"], res["reason"] = "FAIL", "jar set timed out: %r" % r
                return res
            res["log"].append(("set", r, rc, out, err))
            if is_crash(rc):
                res["status"] = "FAIL"
                res["reason"] = "jar set crashed (rc=%d) on %r: %s" % (
                    rc, r, err.decode("utf-8", "replace").strip())
                return res
        cmd = [tessera, "jar", "header", "--jar", jar, "--url", result_url]
        try:
            rc, out, err = run(cmd)
        except subprocess.TimeoutExpired:
            res["status"], res["reason"] = "FAIL", "jar header timed out"
            return res
        res["log"].append(("header", result_url, rc, out, err))
        if rc != 0:
            res["status"] = "FAIL"
            res["reason"] = "jar header %s (rc=%d): %s" % (
                "crashed" if is_crash(rc) else "failed", rc,
                err.decode("utf-8", "replace").strip())
            return res
        try:
            text = out.decode("utf-8")
        except UnicodeDecodeError:
            res["status"], res["reason"] = "FAIL", "jar header output is not UTF-8: %r" % out
            return res
        lines = text.split("\n")
        # Expect exactly one line (possibly without trailing newline).
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) > 1:
            res["status"], res["reason"] = "FAIL", "jar header printed %d lines" % len(lines)
            res["raw"] = text
            return res
        line = lines[0] if lines else ""
        if line.endswith("\r"):
            line = line[:-1]
        res["raw"] = line
        res["actual"] = parse_header(line)
        if res["actual"] == expected:
            res["status"] = "PASS"
        else:
            res["status"] = "FAIL"
            res["reason"] = "cookie mismatch"
        return res
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def fmt_pairs(pairs):
    if pairs is None:
        return "(none)"
    if not pairs:
        return "(no cookies)"
    return "; ".join("%s=%s" % (json.dumps(p["name"], ensure_ascii=False),
                                json.dumps(p["value"], ensure_ascii=False))
                     for p in pairs)


def short(s, n=120):
    r = json.dumps(s, ensure_ascii=False)
    return r if len(r) <= n else r[:n] + "...(%d chars)" % len(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tessera", help="path to the tessera binary")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="show details for every case, including passes")
    ap.add_argument("-k", dest="filter", default=None,
                    help="only run tests whose name contains this substring")
    ap.add_argument("--corpus", default=PARSER_JSON, help="path to parser.json")
    ap.add_argument("--jobs", "-j", type=int, default=4)
    opts = ap.parse_args()

    tessera = opts.tessera
    if not os.path.isfile(tessera) or not os.access(tessera, os.X_OK):
        sys.exit("not an executable: %s" % tessera)
    with open(opts.corpus, encoding="utf-8") as f:
        cases = json.load(f)
    if opts.filter:
        cases = [c for c in cases if opts.filter.lower() in c["test"].lower()]

    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as ex:
        results = list(ex.map(lambda c: run_case(tessera, c), cases))

    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    failed = []
    for r in results:
        counts[r["status"]] += 1
        note = "  [known delta]" if r["test"] in KNOWN_DELTAS and r["status"] == "FAIL" else ""
        line = "%s %s" % (r["status"], r["test"])
        if r["status"] == "SKIP":
            line += "  (%s)" % r["reason"]
        print(line + note)
        if r["status"] == "FAIL":
            failed.append(r["test"])
        if (r["status"] == "FAIL" and r["test"] not in KNOWN_DELTAS) or opts.verbose:
            for rec in r["received"]:
                print("    received: %s" % short(rec))
            print("    url:      %s" % r["url"])
            print("    expected: %s" % fmt_pairs(r["expected"]))
            print("    actual:   %s" % fmt_pairs(r["actual"]))
            if r["raw"] is not None:
                print("    header:   %s" % short(r["raw"]))
            if r["reason"] and r["status"] == "FAIL":
                print("    reason:   %s" % r["reason"])
            if opts.verbose:
                for kind, arg, rc, out, err in r["log"]:
                    print("    [%s rc=%d] %s stdout=%s stderr=%s" % (
                        kind, rc, short(arg, 60),
                        short(out.decode("utf-8", "replace"), 80),
                        short(err.decode("utf-8", "replace"), 80)))

    total = len(results)
    unexpected = [t for t in failed if t not in KNOWN_DELTAS]
    print()
    print("Total: %d  PASS: %d  FAIL: %d (known deltas: %d)  SKIP (skipped-unpassable): %d" % (
        total, counts["PASS"], counts["FAIL"], counts["FAIL"] - len(unexpected), counts["SKIP"]))
    for test in failed:
        if test in KNOWN_DELTAS:
            print("  known delta %s: %s" % (test, KNOWN_DELTAS[test]))
    if unexpected:
        print("Unexpected failures: %s" % " ".join(unexpected))
    sys.exit(0 if not unexpected else 1)


if __name__ == "__main__":
    main()
