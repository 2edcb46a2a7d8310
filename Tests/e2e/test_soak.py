"""A bounded soak (issue 8, "Soak"): mixed traffic against one `tessera serve`
for TESSERA_SOAK_SECONDS (45 by default; scripts/soak.sh runs 10 minutes),
once on SQLite and once on PostgreSQL — sign-ins, reads with a session, forward auth, API-key calls,
refreshes, session-data changes, sign-outs — while the server's resident
size is read from /proc every second.

Passes when every answer has the expected status and, after a warm-up of
the first 20% of the run, the resident size grows by less than 10%.

On PostgreSQL this is what catches a pool that starts timers per query:
postgres-nio's growing pool started an idle and a keep-alive timer each time
a connection went back to it, each cancelled timer held its memory for up to
60 s, and serve grew by a megabyte every few seconds at this load.
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from load import bare_http
from tessera_e2e import add_user, admin_login, create_key, password_tokens

SOAK_SECONDS = float(os.environ.get("TESSERA_SOAK_SECONDS", "45"))
WARM_UP = 0.2          # of the run
MAX_GROWTH = 0.10      # of the resident size at the end of the warm-up
WORKERS = 6
LIVE_SESSIONS = 8      # per worker; the oldest is signed out beyond this

# (action, weight): mostly reads, as a real auth server sees.
MIX = [("me-session", 30), ("verify-session", 20), ("me-api-key", 15), ("verify-api-key", 5), ("me-jwt", 10),
       ("refresh", 6), ("session-data", 4), ("login", 5), ("logout", 5)]


def resident_kib(pid: int) -> int:
    """VmRSS of `pid` in KiB, from /proc/PID/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS in /proc/{pid}/status")


class Worker(threading.Thread):
    """One client connection doing the mix until the deadline; every unexpected
    answer is recorded with the action."""

    def __init__(self, server, users, key: str, deadline: float, seed: int):
        super().__init__(daemon=True)
        self.server = server
        self.users = users
        self.key = key
        self.deadline = deadline
        self.random = random.Random(seed)
        self.client = bare_http()
        self.sessions: list[tuple[str, str]] = []  # (cookie value, CSRF token), oldest first
        self.counts: Counter = Counter()
        self.errors: list[str] = []
        self.refresh_token = ""
        self.access_token = ""
        self.actions = [a for a, _ in MIX]
        self.weights = [w for _, w in MIX]

    def request(self, action: str, method: str, path: str, expected: int, **kw):
        self.counts[action] += 1
        try:
            r = self.client.request(method, self.server.url(path), timeout=30, **kw)
        except Exception as error:
            self.errors.append(f"{action}: {type(error).__name__}: {error}")
            return None
        if r.status_code != expected:
            self.errors.append(f"{action}: {method} {path} → {r.status_code} (expected {expected}) {r.text[:200]}")
            return None
        return r

    def cookie(self, value: str) -> dict:
        return {"Cookie": f"tessera_session={value}"}

    def login(self):
        name, password = self.random.choice(self.users)
        r = self.request("login", "POST", "/api/session", 200, json={"username": name, "password": password})
        if r is not None:
            body = r.json()
            self.sessions.append((body["session"]["value"], body["csrfToken"]))
        while len(self.sessions) > LIVE_SESSIONS:
            self.logout()

    def logout(self):
        if not self.sessions:
            return self.login()
        cookie, csrf = self.sessions.pop(0)
        if self.request("logout", "DELETE", "/api/session", 204, headers={**self.cookie(cookie), "X-CSRF-Token": csrf}):
            self.request("logout", "GET", "/api/me", 401, headers=self.cookie(cookie))  # and it is dead

    def refresh(self):
        if not self.refresh_token:
            name, password = self.random.choice(self.users)
            r = self.request("refresh", "POST", "/api/tokens", 200, json={"username": name, "password": password})
        else:
            r = self.request("refresh", "POST", "/api/tokens/refresh", 200, json={"refresh_token": self.refresh_token})
        if r is not None:
            self.refresh_token, self.access_token = r.json()["refresh_token"], r.json()["access_token"]

    def step(self, action: str):
        if action in ("me-session", "verify-session", "session-data") and not self.sessions:
            action = "login"
        if action == "me-jwt" and not self.access_token:
            action = "refresh"
        if action == "login":
            self.login()
        elif action == "logout":
            self.logout()
        elif action == "refresh":
            self.refresh()
        elif action == "me-session":
            self.request(action, "GET", "/api/me", 200, headers=self.cookie(self.random.choice(self.sessions)[0]))
        elif action == "verify-session":
            self.request(action, "GET", "/auth/verify", 200, headers=self.cookie(self.random.choice(self.sessions)[0]))
        elif action == "me-api-key":
            self.request(action, "GET", "/api/me", 200, headers={"X-API-Key": self.key})
        elif action == "verify-api-key":
            self.request(action, "GET", "/auth/verify", 200, headers={"X-API-Key": self.key})
        elif action == "me-jwt":
            self.request(action, "GET", "/api/me", 200, headers={"Authorization": f"Bearer {self.access_token}"})
        elif action == "session-data":
            cookie, csrf = self.random.choice(self.sessions)
            self.request(action, "PATCH", "/api/session/data", 200, json={f"k{self.random.randrange(8)}": self.random.random()},
                         headers={**self.cookie(cookie), "X-CSRF-Token": csrf})

    def run(self):
        while time.monotonic() < self.deadline:
            self.step(self.random.choices(self.actions, self.weights)[0])
        while self.sessions:  # leave nothing behind
            self.logout()
        self.client.close()


@pytest.mark.timeout(SOAK_SECONDS + 120)
def test_soak_mixed_traffic_keeps_memory_flat_and_answers_right(make_server, store, capsys):
    server = make_server()
    store_name = "sqlite" if store is None else "postgres"
    pid = server.proc.pid
    users = [("admin", server.admin_password)] + [(f"soak{i}", add_user(server, f"soak{i}")) for i in range(3)]
    key = create_key(admin_login(server), "soak", ["read"])["key"]
    assert password_tokens(server, "admin", server.admin_password)["refresh_token"]

    started = time.monotonic()
    deadline = started + SOAK_SECONDS
    workers = [Worker(server, users, key, deadline, seed) for seed in range(WORKERS)]
    rss: list[tuple[float, int]] = [(0.0, resident_kib(pid))]
    for worker in workers:
        worker.start()
    while time.monotonic() < deadline:
        time.sleep(1)
        assert server.running, f"tessera serve exited during the soak: {server.output_text()[-2000:]}"
        rss.append((time.monotonic() - started, resident_kib(pid)))
    for worker in workers:
        worker.join(60)
    assert not any(w.is_alive() for w in workers), "a soak worker did not finish"
    elapsed = time.monotonic() - started
    rss.append((elapsed, resident_kib(pid)))

    counts = sum((w.counts for w in workers), Counter())
    errors = [e for w in workers for e in w.errors]
    total = sum(counts.values())
    settled = [kib for t, kib in rss if t >= WARM_UP * SOAK_SECONDS]
    baseline, end, peak = settled[0], settled[-1], max(settled)
    growth = peak / baseline - 1
    mib = lambda kib: f"{kib / 1024:.1f}"  # noqa: E731
    summary = (f"soak ({store_name}): {elapsed:.0f} s, {total} requests ({total / elapsed:.0f}/s), {len(errors)} errors; "
               f"RSS MiB start {mib(rss[0][1])}, after warm-up {mib(baseline)}, end {mib(end)}, max {mib(peak)} "
               f"(growth {growth * 100:+.1f}%, median {mib(statistics.median(settled))}); "
               + ", ".join(f"{a} {counts[a]}" for a, _ in MIX))
    with capsys.disabled():
        print("\n" + summary)

    assert not errors, f"{len(errors)} unexpected answers, first: {errors[:5]} ({summary})"
    assert all(counts[a] > 0 for a, _ in MIX), f"an action never ran ({summary})"
    assert growth < MAX_GROWTH, f"resident size grew {growth * 100:.1f}% after the warm-up (limit {MAX_GROWTH * 100:.0f}%): {summary}"
