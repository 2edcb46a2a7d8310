"""Faults under steady load (issue 8, "Faults"):

- PostgreSQL stopped for ten seconds, then started again: while it is down,
  protected endpoints answer 503 (or 401), never 200 to a request that could
  not be verified; once it is back, service returns within five seconds with
  no restart of `tessera serve`; every session acknowledged before the stop
  still works.
- Two servers on one PostgreSQL, one killed with SIGKILL: the other carries
  on, answering 200 for every session, and nothing is lost, not even a
  session or a change made through the killed one just before the kill.
"""

from __future__ import annotations

import time

import pytest

from load import Load, OpenLoop, Sample, Target, bare_http, tally
from tessera_e2e import (
    PostgresCluster, add_user, admin_login, api_login, assert_json, bearer, cookie_header, create_key, describe,
    password_tokens,
)

OUTAGE_SECONDS = 10.0
RECOVERY_SECONDS = 5.0
SESSIONS = 20
LOAD_THREADS = 8
PROBE_INTERVAL = 0.1


@pytest.fixture
def postgres_cluster():
    """A PostgreSQL of this test's own, which it may stop and start."""
    bindir = PostgresCluster.find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: the outage test needs a "
                    "PostgreSQL it can stop and start (scripts/with-postgres.sh installs them; or set TESSERA_PG_BINDIR)")
    cluster = PostgresCluster(bindir).create()
    yield cluster
    cluster.destroy()


def sign_in_many(server, count: int) -> list:
    """`count` sessions over the admin and three more users."""
    users = [("admin", server.admin_password)] + [(f"user{i}", add_user(server, f"user{i}")) for i in range(3)]
    return [api_login(server, *users[i % len(users)]) for i in range(count)]


def credential_targets(server, logins, key: str, access_token: str) -> list[Target]:
    """/api/me and /auth/verify with every session, the API key and the access token, plus /healthz."""
    targets = []
    for i, login in enumerate(logins):
        path = "/api/me" if i % 2 == 0 else "/auth/verify"
        targets.append(Target(f"{path} session#{i}", server.url(path), cookie_header(login.cookie)))
    for path in ("/api/me", "/auth/verify"):
        targets += [Target(f"{path} api-key", server.url(path), {"X-API-Key": key}),
                    Target(f"{path} jwt", server.url(path), bearer(access_token))] * 3
    targets.append(Target("/healthz", server.url("/healthz"), {}))
    return targets


def by_credential(samples: list[Sample]) -> str:
    """`session 30×503, jwt 12×503, …`: the answers per kind of credential."""
    kinds: dict[str, list[Sample]] = {}
    for s in samples:
        kind = s.target.label.split(" ")[-1].split("#")[0]
        kinds.setdefault(kind, []).append(s)
    return ", ".join(f"{kind} [{tally(group)}]" for kind, group in sorted(kinds.items()))


def describe_samples(samples: list[Sample], limit: int = 8) -> str:
    return "; ".join(f"{s.target.label} → {s.status or s.error} (sent {s.sent:.2f}, answered {s.answered:.2f})"
                     for s in samples[:limit])


def test_postgres_outage_fails_closed_and_recovers(postgres_cluster, make_sqlite_server):
    server = make_sqlite_server(store=postgres_cluster.url)
    pid = server.proc.pid
    logins = sign_in_many(server, SESSIONS)
    admin = logins[0]
    key = create_key(admin, "faults", ["read"])["key"]
    access_token = password_tokens(server, "admin", server.admin_password)["access_token"]
    targets = credential_targets(server, logins, key, access_token)

    # A closed loop (threads sending back to back) keeps the server busy; the
    # open loop sends one request every PROBE_INTERVAL whatever the answers
    # take, so the whole outage is covered even when each 503 takes seconds.
    load = Load(targets, threads=LOAD_THREADS).start()
    probes = OpenLoop(targets, interval=PROBE_INTERVAL).start()
    time.sleep(3)
    late = api_login(server, "admin", server.admin_password)  # acknowledged just before the stop

    stop_began = time.monotonic()
    postgres_cluster.stop()
    stopped = time.monotonic()
    time.sleep(max(0.0, stopped + OUTAGE_SECONDS - time.monotonic()))
    start_began = time.monotonic()
    postgres_cluster.start()
    started = time.monotonic()
    time.sleep(RECOVERY_SECONDS + 3)
    samples = load.stop() + probes.stop()

    assert server.running and server.proc.pid == pid, "tessera serve must survive the outage without a restart"
    before = [s for s in samples if s.answered < stop_began]
    outage = [s for s in samples if s.sent >= stopped and s.answered < start_began]
    after = [s for s in samples if s.sent >= started]
    straddling = [s for s in samples if stopped <= s.sent < start_began <= s.answered]
    waits = sorted(s.answered - s.sent for s in outage) or [0.0]
    summary = (f"before the stop: {tally(before)}; during the {start_began - stopped:.1f} s outage: {tally(outage)} "
               f"(answered in {waits[0]:.2f}–{waits[-1]:.2f} s, median {waits[len(waits) // 2]:.2f} s); "
               f"sent during it, answered after the restart began: {tally(straddling)}; "
               f"sent after the start: {tally(after)}; all: {len(samples)} requests")
    print(f"\noutage: {summary}\noutage: by credential during the outage: {by_credential(outage)}")

    assert before and all(s.status == 200 for s in before), \
        f"not every request was good before the stop: {describe_samples([s for s in before if s.status != 200])} ({summary})"
    assert len(outage) >= 0.5 * OUTAGE_SECONDS / PROBE_INTERVAL, f"too little load during the outage to judge it ({summary})"
    verified = [s for s in outage if s.status == 200]
    assert not verified, f"answered 200 while PostgreSQL was down: {describe_samples(verified)} ({summary})"
    broken = [s for s in outage if s.status not in (401, 503)]
    assert not broken, f"answers other than 503/401 (or no answer) during the outage: {describe_samples(broken)} ({summary})"
    no_answer = [s for s in samples if s.status is None]
    assert not no_answer, f"requests without an HTTP answer (reset, refused, timed out): {describe_samples(no_answer)} ({summary})"
    other_5xx = [s for s in samples if s.status is not None and s.status >= 500 and s.status != 503]
    assert not other_5xx, f"5xx other than 503: {describe_samples(other_5xx)} ({summary})"

    first_good = min((s.answered for s in after if s.status == 200), default=None)
    assert first_good is not None, f"no 200 after PostgreSQL came back ({summary})"
    late_failures = [s for s in after if s.sent >= started + RECOVERY_SECONDS and s.status != 200]
    failures_after = [s for s in after if s.status != 200]
    last_failure = max((s.answered - started for s in failures_after), default=None)
    recovery = (f"first 200 answered {first_good - started:.2f} s after PostgreSQL was up; "
                f"{len(failures_after)} non-200 among requests sent after that"
                + (f", the last answered at +{last_failure:.2f} s" if failures_after else ""))
    print(f"outage: recovery: {recovery}")
    assert first_good - started <= RECOVERY_SECONDS, f"no 200 within {RECOVERY_SECONDS:.0f} s of the restart ({recovery})"
    assert not late_failures, f"not 200 {RECOVERY_SECONDS:.0f} s after the restart: {describe_samples(late_failures)} ({recovery}; {summary})"
    untried = {t.label for t in targets} - {s.target.label for s in after if s.sent >= started + RECOVERY_SECONDS}
    assert not untried, f"not tried once service should be back: {sorted(untried)} ({summary})"

    # Every session acknowledged before the stop works after it, through the same server.
    client = bare_http()
    for i, login in enumerate(logins + [late]):
        r = client.get(server.url("/api/me"), headers=cookie_header(login.cookie))
        assert r.status_code == 200 and r.json()["method"] == "session", f"session #{i} lost in the outage: {describe(r)}"
    assert client.get(server.url("/api/me"), headers={"X-API-Key": key}).status_code == 200
    assert client.get(server.url("/api/me"), headers=bearer(access_token)).status_code == 200
    assert client.get(server.url("/healthz")).status_code == 200


@pytest.fixture
def pair(postgres_url, make_sqlite_server):
    """Two servers on one data directory and one PostgreSQL database, behind one
    public URL (see test_two_instances.py)."""
    a = make_sqlite_server(store=postgres_url, args=["--public-url", "http://127.0.0.1:{port}"])
    b = make_sqlite_server(store=postgres_url, data_dir=a.data_dir, args=["--public-url", a.base_url],
                           expect_admin_password=False)
    b.admin_password = a.admin_password
    return a, b


def test_sigkill_of_one_server_loses_nothing(pair):
    a, b = pair
    logins = [api_login(server, "admin", a.admin_password) for server in (a, b) for _ in range(SESSIONS // 2)]
    key = create_key(logins[0], "faults", ["read"])["key"]
    access_token = password_tokens(a, "admin", a.admin_password)["access_token"]
    targets = credential_targets(a, logins, key, access_token) + credential_targets(b, logins, key, access_token)
    load = Load(targets, threads=8).start()
    time.sleep(2)

    # Just before the kill, through A: a new session and a change to an old one.
    late = api_login(a, "admin", a.admin_password)
    changed = logins[1]
    r = changed.session.patch(a.url("/api/session/data"), json={"written-through": "a"}, headers=changed.csrf)
    assert_json(r, 200)

    killed_at = time.monotonic()
    a.proc.kill()
    a.returncode = a.proc.wait(10)  # gone: the pool's SIGTERM at teardown is not for this one
    time.sleep(3)
    samples = load.stop()

    on_b = [s for s in samples if s.target.url.startswith(b.base_url)]
    after_kill = [s for s in on_b if s.sent >= killed_at]
    summary = f"B before the kill: {tally([s for s in on_b if s.sent < killed_at])}; B after: {tally(after_kill)}"
    print(f"\nsigkill: {summary}")
    assert after_kill, f"no load reached B after the kill ({summary})"
    bad = [s for s in on_b if s.status != 200]
    assert not bad, f"B did not answer 200 to everything: {describe_samples(bad)} ({summary})"

    client = bare_http()
    for i, login in enumerate(logins + [late]):
        r = client.get(b.url("/api/me"), headers=cookie_header(login.cookie))
        assert r.status_code == 200 and r.json()["method"] == "session", f"session #{i} lost with A: {describe(r)}"
    r = client.get(b.url("/api/session/data"), headers=cookie_header(changed.cookie))
    assert assert_json(r)["data"] == {"written-through": "a"}, describe(r)
    assert client.get(b.url("/api/me"), headers={"X-API-Key": key}).status_code == 200
    assert client.get(b.url("/api/me"), headers=bearer(access_token)).status_code == 200
    # B still takes new sign-ins.
    api_login(b, "admin", a.admin_password)
