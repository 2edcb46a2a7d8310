"""Two `tessera serve` processes on one PostgreSQL store and one data
directory share everything (docs/serve-contract.md, "Starting"): a login,
a key or a token made through one is good on the other, and a revocation
through one is seen by the other at once."""

from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tessera_e2e import (
    admin_login, api_login, assert_json, assert_problem, bearer, cookie_header, create_key, describe, free_port, http,
    me, password_tokens, run_cli,
)


@pytest.fixture
def pair(postgres_url, make_sqlite_server):
    """Server A, then server B on the same data directory and PostgreSQL database,
    behind one public URL as a load balancer would put them (the URL is the
    tokens' issuer). make_sqlite_server is the factory not run once per
    store; the store here is the PostgreSQL database, set up first so that
    it is dropped after both servers stop."""
    a = make_sqlite_server(store=postgres_url, args=["--public-url", "http://127.0.0.1:{port}"])
    b = make_sqlite_server(store=postgres_url, data_dir=a.data_dir, args=["--public-url", a.base_url],
                           expect_admin_password=False)
    b.admin_password = a.admin_password
    return a, b


def test_second_server_prints_no_new_admin_password(pair):
    a, b = pair
    time.sleep(0.5)  # let any late line reach the pipe
    assert "admin password:" not in b.output_text(), b.output_text()
    api_login(b, "admin", a.admin_password)


def test_ASVS_7_4_1_a_session_from_one_server_is_revoked_through_the_other(pair):
    a, b = pair
    mine = admin_login(a)
    other = admin_login(a)

    on_b = mine.session  # a cookie is for 127.0.0.1 whatever the port: A's cookie goes to B
    r = on_b.get(b.url("/api/me"))
    assert r.status_code == 200 and r.json()["method"] == "session", describe(r)
    sessions = assert_json(on_b.get(b.url("/api/sessions")))["sessions"]
    assert len(sessions) == 2, sessions

    # Revoke the other session through B; A sees it at once.
    other_handle = other.handle()
    r = on_b.delete(b.url(f"/api/sessions/{other_handle}"), headers=mine.csrf)
    assert r.status_code == 204, describe(r)
    assert_problem(me(a, cookie_header(other.cookie)), 401)
    assert http().get(a.url("/auth/verify"), headers=cookie_header(other.cookie)).status_code == 401

    # Log out through B; the cookie is dead on A.
    r = on_b.delete(b.url("/api/session"), headers=mine.csrf)
    assert r.status_code == 204, describe(r)
    assert_problem(me(a, cookie_header(mine.cookie)), 401)
    assert http().get(a.url("/auth/verify"), headers=cookie_header(mine.cookie)).status_code == 401


def test_keys_and_tokens_from_one_server_work_on_the_other(pair):
    a, b = pair
    login = admin_login(a)
    key = create_key(login, "shared", ["read"])
    r = me(b, {"X-API-Key": key["key"]})
    assert r.status_code == 200 and r.json()["method"] == "api-key", describe(r)

    tokens = password_tokens(a, "admin", a.admin_password)
    r = me(b, bearer(tokens["access_token"]))
    assert r.status_code == 200 and r.json()["method"] == "jwt", describe(r)
    assert assert_json(http().get(a.url("/.well-known/jwks.json"))) == assert_json(http().get(b.url("/.well-known/jwks.json")))
    refreshed = assert_json(http().post(b.url("/api/tokens/refresh"), json={"refresh_token": tokens["refresh_token"]}))
    r = me(a, bearer(refreshed["access_token"]))
    assert r.status_code == 200, describe(r)

    # Revoked through B, dead on A.
    on_b = login.session
    assert on_b.delete(b.url(f"/api/keys/{key['id']}"), headers=login.csrf).status_code == 204
    assert_problem(me(a, {"X-API-Key": key["key"]}), 401)


def connections_to(database: str) -> int:
    """Client connections PostgreSQL has open to `database` right now."""
    done = subprocess.run(
        ["psql", os.environ["TESSERA_POSTGRES_URL"], "-qAtc",
         f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND backend_type = 'client backend'"],
        capture_output=True, text=True, timeout=60, check=True)
    return int(done.stdout.strip())


def test_a_server_holds_exactly_its_pool_size_of_connections_under_load(postgres_url, make_sqlite_server):
    """`?pool_size=3`: three connections open at start and stay three under
    32 concurrent clients (a fixed pool: no connection is opened or closed
    per burst, so no idle or keep-alive timer is started per query)."""
    database = urlsplit(postgres_url).path.lstrip("/")
    server = make_sqlite_server(store=postgres_url + ("&" if "?" in postgres_url else "?") + "pool_size=3")
    login = admin_login(server)
    deadline = time.monotonic() + 20
    while connections_to(database) != 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert connections_to(database) == 3

    def read(_):
        return http().get(server.url("/api/me"), headers=cookie_header(login.cookie)).status_code

    with ThreadPoolExecutor(32) as pool:
        statuses = list(pool.map(read, range(400)))
    assert statuses == [200] * 400, sorted(set(statuses))
    assert connections_to(database) == 3


@pytest.mark.parametrize("size", ["0", "101", "many"])
def test_a_bad_pool_size_stops_serve_at_start_with_a_reason_that_hides_the_password(postgres_url, tmp_path, size):
    parts = urlsplit(postgres_url)
    password = "hunter2-not-in-any-output"
    url = parts._replace(netloc=f"{parts.username}:{password}@{parts.hostname}:{parts.port}",
                         query="&".join(filter(None, [parts.query, f"pool_size={size}"]))).geturl()
    done = run_cli("serve", "--port", str(free_port()), data_dir=tmp_path / "data", store=url, check=False, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "pool_size must be a whole number of connections from 1 to 100" in output, output
    assert password not in output, output
