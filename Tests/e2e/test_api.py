"""The JSON API, the admin CLI and the configuration of `tessera serve`,
end to end over HTTP (docs/serve-contract.md)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from tessera_e2e import (
    COOKIE, P256, WRONG_CREDENTIALS, add_user, admin_login, api_login, assert_json, assert_problem,
    assert_recent, bearer, cookie_header, create_key, describe, free_port, http, jwk_point,
    jwt_parts, me, parse_timestamp, password_tokens, session_set_cookie, strong_password, verify,
)

# The reuse grace window the refresh tests run with (--refresh-grace-seconds),
# short so the test waits seconds, not the default 30.
REFRESH_GRACE = 2


def assert_me(r, username, method, scopes=None):
    body = assert_json(r, 200)
    assert body["username"] == username, describe(r)
    assert body["method"] == method, describe(r)
    assert isinstance(body["scopes"], list), describe(r)
    if scopes is not None:
        assert sorted(body["scopes"]) == sorted(scopes), describe(r)
    return body


def psql(sql: str) -> None:
    """SQL as the owner of the test databases (TESSERA_POSTGRES_URL's user)."""
    done = subprocess.run(["psql", os.environ["TESSERA_POSTGRES_URL"], "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"psql {sql!r}: {done.stderr}"


def wait_for(probe, done, seconds: float):
    """probe() until done(answer) or `seconds` pass; the last answer."""
    deadline = time.monotonic() + seconds
    while True:
        answer = probe()
        if done(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.25)


def login_as(server, username, password, user_agent):
    s = http()
    s.headers["User-Agent"] = user_agent
    return api_login(server, username, password, session=s)


# --- Starting --------------------------------------------------------------------


def test_healthz_and_metrics(server):
    r = http().get(server.url("/healthz"))
    assert assert_json(r) == {"status": "ok"}

    r = http().get(server.url("/metrics"))
    assert r.status_code == 200, describe(r)
    assert r.headers.get("Content-Type", "").startswith("text/plain"), describe(r)
    samples = [line for line in r.text.splitlines() if line and not line.startswith("#")]
    assert samples, f"no samples in /metrics: {r.text[:500]}"
    sample = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?\d+)?")
    bad = [line for line in samples if not sample.fullmatch(line)]
    assert not bad, f"lines that are not Prometheus samples: {bad[:5]}"


def test_first_start_creates_admin_and_the_printed_password_logs_in(server):
    login = admin_login(server)
    body = login.body
    assert body["user"]["username"] == "admin", body
    assert body["session"]["name"] == COOKIE, body
    assert isinstance(body["session"]["value"], str) and len(body["session"]["value"]) >= 22, body
    assert isinstance(body["csrfToken"], str) and len(body["csrfToken"]) >= 22, body
    cookie = session_set_cookie(login.response)
    assert cookie is not None and cookie.value == body["session"]["value"], login.response.headers

    assert_me(login.get("/api/me"), "admin", "session", ["*"])


def test_admin_password_is_printed_on_first_start_only(make_server):
    first = make_server()
    password = first.admin_password
    assert first.stop() == 0, first.output_text()

    again = make_server(data_dir=first.data_dir, store=first.store, expect_admin_password=False)
    time.sleep(0.5)  # let any late line reach the pipe
    assert "admin password:" not in again.output_text(), again.output_text()
    api_login(again, "admin", password)


def test_data_directory_files_are_created_private(server, store):
    files = ["keyring.json", "jwt-signing-key.pem"] + (["tessera.db"] if store is None else [])
    for name in files:
        path = server.data_dir / name
        assert path.is_file(), f"{name} missing from the data directory: {sorted(p.name for p in server.data_dir.iterdir())}"
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o600, f"{name} has mode {mode:o}, not 600"
    if store is not None:
        assert not (server.data_dir / "tessera.db").exists(), "a SQLite store was made although --store names PostgreSQL"


def test_ASVS_16_5_3_store_outage_answers_503_and_never_lets_anyone_in(postgres_url, make_sqlite_server):
    """PostgreSQL refuses connections for a while (ALLOW_CONNECTIONS false, the server's
    connections ended): /healthz says 503, a good cookie gets no answer that lets it in,
    and once the database is back the same cookie works again."""
    server = make_sqlite_server(store=postgres_url)
    login = admin_login(server)
    database = urlsplit(postgres_url).path.lstrip("/")
    psql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    try:
        psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
        down = wait_for(lambda: http().get(server.url("/healthz")), lambda r: r.status_code == 503, 20)
        assert down.status_code == 503, f"/healthz never said 503 while the store was down: {describe(down)}"

        r = login.get("/api/me")
        assert r.status_code in (401, 503), f"a request was let in while the store was down: {describe(r)}"
        if r.status_code == 503:
            assert_problem(r, 503)
        assert verify(server, cookie_header(login.cookie)).status_code in (401, 503)
    finally:
        psql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')

    health = wait_for(lambda: http().get(server.url("/healthz")), lambda r: r.status_code == 200, 60)
    assert health.status_code == 200, f"/healthz did not recover within 60 s of the store's return: {describe(health)}"
    assert_me(login.get("/api/me"), "admin", "session")
    # Checked last, so that a missing header does not hide how the rest went.
    assert re.fullmatch(r"\d+", down.headers.get("Retry-After", "")), f"/healthz's 503 has no Retry-After: {describe(down)}"


def test_ASVS_16_2_5_server_output_never_shows_passwords_or_tokens(server):
    wrong = "e2e-wrong-" + strong_password()
    assert_problem(http().post(server.url("/api/session"), json={"username": "admin", "password": wrong}), 401)
    login = admin_login(server)
    key = create_key(login)["key"]
    tokens = password_tokens(server, "admin", server.admin_password)
    refreshed = assert_json(http().post(server.url("/api/tokens/refresh"), json={"refresh_token": tokens["refresh_token"]}))
    assert login.delete("/api/session", headers=login.csrf).status_code == 204

    assert server.stop() == 0
    output = server.output_text()
    assert sum(server.admin_password in line for line in output.splitlines()) == 1, \
        "the admin password appears in more than its one `admin password:` line"
    secrets_ = {
        "a wrong password": wrong, "the session cookie": login.cookie, "the CSRF token": login.body["csrfToken"],
        "an API key": key, "an access token": tokens["access_token"], "a refresh token": tokens["refresh_token"],
        "a rotated refresh token": refreshed["refresh_token"],
    }
    leaked = [what for what, value in secrets_.items() if value in output]
    assert not leaked, f"the server's output shows {', '.join(leaked)}"


# --- Logging in ------------------------------------------------------------------


def test_ASVS_6_3_8_wrong_password_and_unknown_user_get_the_same_401(server):
    client = http()
    wrong_password = client.post(server.url("/api/session"), json={"username": "admin", "password": "not-" + server.admin_password})
    unknown_user = client.post(server.url("/api/session"), json={"username": "nobody-here", "password": server.admin_password})
    a = assert_problem(wrong_password, 401)
    b = assert_problem(unknown_user, 401)
    assert a["detail"] == WRONG_CREDENTIALS, describe(wrong_password)
    assert a == b, f"the answers differ:\n{describe(wrong_password)}\n{describe(unknown_user)}"
    assert session_set_cookie(wrong_password) is None or not session_set_cookie(wrong_password).value
    assert me(server, session=client).status_code == 401


def test_ASVS_3_5_2_login_refuses_simple_content_types_with_415(sqlite_server):
    server = sqlite_server
    credentials = json.dumps({"username": "admin", "password": server.admin_password})
    for content_type in ["text/plain", "application/x-www-form-urlencoded"]:
        client = http()
        r = client.post(server.url("/api/session"), data=credentials, headers={"Content-Type": content_type})
        assert_problem(r, 415)
        assert me(server, session=client).status_code == 401, f"a {content_type} login made a session"
    api_login(server, "admin", server.admin_password)  # the very same credentials, as JSON


def test_CS_S13_answers_that_set_or_clear_the_cookie_are_not_cacheable(sqlite_server):
    server = sqlite_server
    login = admin_login(server)
    logout = login.delete("/api/session", headers=login.csrf)
    for r in (login.response, logout):
        assert "no-store" in r.headers.get("Cache-Control", ""), describe(r) + f" Cache-Control: {r.headers.get('Cache-Control')}"


def test_ASVS_6_3_1_repeated_wrong_passwords_end_in_429_with_retry_after(server):
    client = http()
    wrong = {"username": "admin", "password": "not-the-password"}
    statuses = []
    throttled = None
    for _ in range(8):
        r = client.post(server.url("/api/session"), json=wrong)
        statuses.append(r.status_code)
        if r.status_code == 429:
            throttled = r
            break
    assert statuses[:5] == [401] * 5, f"statuses {statuses}: five failures must be answered 401"
    assert throttled is not None and len(statuses) in (6, 7), f"statuses {statuses}: no 429 after five failures"
    assert_problem(throttled, 429)

    # While the delay runs no password is checked, the right one included.
    right = {"username": "admin", "password": server.admin_password}
    r = client.post(server.url("/api/session"), json=right)
    assert_problem(r, 429)

    retry_after = int(r.headers["Retry-After"])
    assert retry_after >= 1
    if retry_after <= 5:  # the contract's first delay; a wait that long is not worth a test
        time.sleep(retry_after + 0.5)
        r = client.post(server.url("/api/session"), json=right)
        assert r.status_code == 200, f"after waiting Retry-After ({retry_after} s): {describe(r)}"


def test_ASVS_6_3_1_throttling_one_account_leaves_another_alone(server):
    bob = add_user(server, "bob")
    client = http()
    for _ in range(8):
        if client.post(server.url("/api/session"), json={"username": "admin", "password": "nope-nope"}).status_code == 429:
            break
    else:
        pytest.fail("admin was never throttled")
    assert_problem(client.post(server.url("/api/session"), json={"username": "bob", "password": "nope-nope"}), 401)
    api_login(server, "bob", bob)


# --- Fixation ----------------------------------------------------------------------


def test_ASVS_7_2_4_login_rotates_session_id(server):
    client = http()
    page = client.get(server.url("/login"))
    assert page.status_code == 200, describe(page)
    before = client.cookies.get(COOKIE)

    login = admin_login(server, session=client)
    after = login.cookie
    assert after != before, "the session cookie presented before login is the one after login"
    assert client.cookies.get(COOKIE) == after
    assert_me(login.get("/api/me"), "admin", "session")
    if before is not None:
        for path in ("/api/me", "/api/session"):
            r = http().get(server.url(path), headers=cookie_header(before))
            assert r.status_code == 401, f"the pre-login cookie still works: {describe(r)}"


def test_CS_S3_attacker_chosen_cookie_is_never_adopted(server):
    chosen = "e2e" + "A" * 40
    client = http()
    r = client.post(server.url("/api/session"), json={"username": "admin", "password": server.admin_password},
                    headers=cookie_header(chosen))
    body = assert_json(r)
    assert body["session"]["value"] != chosen
    cookie = session_set_cookie(r)
    assert cookie is not None and cookie.value != chosen, r.headers
    assert me(server, cookie_header(chosen)).status_code == 401
    assert_me(me(server, cookie_header(body["session"]["value"])), "admin", "session")


def test_ASVS_7_2_4_logging_in_again_ends_the_previous_session(server):
    first = admin_login(server)
    second = admin_login(server, session=first.session, headers=first.csrf)
    assert second.cookie != first.cookie
    assert me(server, cookie_header(first.cookie)).status_code == 401, "the session before re-login still works"
    assert_me(me(server, cookie_header(second.cookie)), "admin", "session")


# --- The session ------------------------------------------------------------------


def test_session_endpoint_describes_the_current_session(server):
    login = admin_login(server)
    r = login.get("/api/session")
    body = assert_json(r)
    assert body["user"]["username"] == "admin", body
    for name in ("createdAt", "lastSeenAt", "authenticatedAt"):
        assert_recent(body["session"][name])
    handle = body["session"]["handle"]
    assert isinstance(handle, str) and handle and handle != login.cookie, body
    assert login.cookie not in r.text, "GET /api/session shows the session token"

    listed = assert_json(login.get("/api/sessions"))["sessions"]
    assert [s["handle"] for s in listed if s["current"]] == [handle], listed

    # A page reload reads the CSRF token here, and it must be good for writes.
    r = login.delete("/api/session", headers={"X-CSRF-Token": body["csrfToken"]})
    assert r.status_code == 204, describe(r)


def test_json_endpoints_answer_401_problems_without_credentials(sqlite_server):
    server = sqlite_server
    for path in ["/api/me", "/api/session", "/api/sessions", "/api/keys"]:
        assert_problem(http().get(server.url(path)), 401)


def test_ASVS_7_4_1_and_CS_S12_logout_replay_is_refused(server):
    login = admin_login(server)
    old = login.cookie
    r = login.delete("/api/session", headers=login.csrf)
    assert r.status_code == 204, describe(r)
    cleared = session_set_cookie(r)
    assert cleared is not None and cleared.clears(), f"logout does not clear the cookie: {r.raw.headers.getlist('Set-Cookie')}"
    assert login.session.cookies.get(COOKIE) is None

    for path in ("/api/me", "/api/session", "/auth/verify"):
        r = http().get(server.url(path), headers=cookie_header(old))
        assert r.status_code == 401, f"the logged-out cookie still works: {describe(r)}"


# --- CSRF --------------------------------------------------------------------------


def test_ASVS_3_5_1_cookie_authenticated_logout_needs_the_csrf_token(server):
    login = admin_login(server)
    assert_problem(login.delete("/api/session"), 403)
    assert_problem(login.delete("/api/session", headers={"X-CSRF-Token": "A" * 43}), 403)
    assert_me(login.get("/api/me"), "admin", "session")
    assert login.delete("/api/session", headers=login.csrf).status_code == 204
    assert me(server, cookie_header(login.cookie)).status_code == 401


def test_CS_C1_cookie_authenticated_key_creation_needs_the_csrf_token(server):
    login = admin_login(server)
    r = login.post("/api/keys", json={"name": "forged", "scopes": ["read"], "expiresInDays": 1})
    assert_problem(r, 403)
    assert assert_json(login.get("/api/keys"))["keys"] == [], "the refused request made a key"
    assert create_key(login, "real")["name"] == "real"


def test_CS_S15_csrf_token_of_another_session_is_refused(server):
    mine = admin_login(server)
    other = admin_login(server)
    assert_problem(mine.delete("/api/session", headers=other.csrf), 403)
    assert_problem(mine.post("/api/keys", json={"name": "x", "scopes": ["read"], "expiresInDays": 1}, headers=other.csrf), 403)
    assert_me(mine.get("/api/me"), "admin", "session")


def test_CS_C6_bearer_and_api_key_requests_need_no_csrf_token(server):
    jwt = password_tokens(server, "admin", server.admin_password)["access_token"]
    client = http()  # no cookie, no CSRF token
    r = client.post(server.url("/api/keys"), json={"name": "by-jwt", "scopes": ["keys:write"], "expiresInDays": 1}, headers=bearer(jwt))
    key = assert_json(r, 201)

    r = client.post(server.url("/api/keys"), json={"name": "by-key", "scopes": ["read"], "expiresInDays": 1},
                    headers={"X-API-Key": key["key"]})
    by_key = assert_json(r, 201)

    r = client.delete(server.url(f"/api/keys/{by_key['id']}"), headers=bearer(jwt))
    assert r.status_code == 204, describe(r)


def test_ASVS_3_5_2_json_endpoints_refuse_text_plain_with_415(sqlite_server):
    server = sqlite_server
    login = admin_login(server)
    refresh = password_tokens(server, "admin", server.admin_password)["refresh_token"]
    plain = {"Content-Type": "text/plain", **login.csrf}
    cases = {
        "/api/keys": {"name": "x", "scopes": ["read"], "expiresInDays": 1},
        "/api/password": {"current": server.admin_password, "new": strong_password(), "logoutOthers": True},
        "/api/tokens": {},
        "/api/tokens/refresh": {"refresh_token": refresh},
    }
    for path, body in cases.items():
        assert_problem(login.post(path, data=json.dumps(body), headers=plain), 415)
    form = {"Content-Type": "application/x-www-form-urlencoded", **login.csrf}
    assert_problem(login.post("/api/keys", data="name=x&scopes=read", headers=form), 415)

    assert assert_json(login.get("/api/keys"))["keys"] == []
    api_login(server, "admin", server.admin_password)  # the password did not change
    assert_json(http().post(server.url("/api/tokens/refresh"), json={"refresh_token": refresh}))  # not spent


# --- Sessions ----------------------------------------------------------------------


def test_ASVS_7_5_2_sessions_list_shows_metadata_and_revokes_another(server):
    laptop = login_as(server, "admin", server.admin_password, "e2e-laptop")
    phone = login_as(server, "admin", server.admin_password, "e2e-phone")
    assert laptop.cookie != phone.cookie  # ASVS-7.2.2: each login its own token

    r = laptop.get("/api/sessions")
    sessions = assert_json(r)["sessions"]
    assert len(sessions) == 2, sessions
    for s in sessions:
        assert {"handle", "createdAt", "lastSeenAt", "ip", "userAgent", "current"} <= set(s), s
        assert_recent(s["createdAt"])
        assert_recent(s["lastSeenAt"])
        assert str(s["ip"]).endswith("127.0.0.1"), s
    assert laptop.cookie not in r.text and phone.cookie not in r.text, "the list shows session tokens"
    current = [s for s in sessions if s["current"]]
    others = [s for s in sessions if not s["current"]]
    assert len(current) == 1 and current[0]["userAgent"] == "e2e-laptop", sessions
    other = others[0]
    assert other["userAgent"] == "e2e-phone", sessions
    assert other["handle"] == phone.handle()

    r = laptop.delete(f"/api/sessions/{other['handle']}", headers=laptop.csrf)
    assert r.status_code == 204, describe(r)
    assert_problem(phone.get("/api/me"), 401)
    assert_me(laptop.get("/api/me"), "admin", "session")
    assert len(assert_json(laptop.get("/api/sessions"))["sessions"]) == 1
    assert_problem(laptop.delete(f"/api/sessions/{other['handle']}", headers=laptop.csrf), 404)
    assert_problem(laptop.delete("/api/sessions/no-such-handle", headers=laptop.csrf), 404)


def test_ASVS_7_5_2_revoke_others_keeps_the_current_session(server):
    mine = admin_login(server)
    others = [admin_login(server), admin_login(server)]
    r = mine.delete("/api/sessions", params={"others": "true"}, headers=mine.csrf)
    assert assert_json(r) == {"revoked": 2}
    for other in others:
        assert_problem(other.get("/api/me"), 401)
    assert_me(mine.get("/api/me"), "admin", "session")
    sessions = assert_json(mine.get("/api/sessions"))["sessions"]
    assert len(sessions) == 1 and sessions[0]["current"] is True, sessions


def test_ASVS_7_5_2_a_users_sessions_cannot_be_revoked_by_another_user(server):
    bob = api_login(server, "bob", add_user(server, "bob"))
    admin = admin_login(server)
    assert_problem(admin.delete(f"/api/sessions/{bob.handle()}", headers=admin.csrf), 404)
    assert_me(bob.get("/api/me"), "bob", "session")
    # Nor are they counted among the admin's "others".
    assert assert_json(admin.delete("/api/sessions", params={"others": "true"}, headers=admin.csrf)) == {"revoked": 0}
    assert_me(bob.get("/api/me"), "bob", "session")


# --- API keys ----------------------------------------------------------------------


def test_ASVS_6_5_2_api_key_create_list_use_revoke(server):
    login = admin_login(server)
    created = create_key(login, "ci", ["read", "deploy"], 30)
    assert created["name"] == "ci" and sorted(created["scopes"]) == ["deploy", "read"], created
    assert isinstance(created["key"], str) and len(created["key"]) >= 32, created
    expires = parse_timestamp(created["expiresAt"])
    assert abs(expires - (datetime.now(timezone.utc) + timedelta(days=30))) < timedelta(days=1), created
    key_id = str(created["id"])

    r = login.get("/api/keys")
    keys = assert_json(r)["keys"]
    assert [str(k["id"]) for k in keys] == [key_id], keys
    assert {"id", "name", "scopes", "createdAt", "expiresAt"} <= set(keys[0]) and "key" not in keys[0], keys
    assert_recent(keys[0]["createdAt"])
    assert created["key"] not in r.text, "GET /api/keys shows the key again"

    assert_me(me(server, {"X-API-Key": created["key"]}), "admin", "api-key", ["read", "deploy"])
    assert_me(me(server, bearer(created["key"])), "admin", "api-key", ["read", "deploy"])
    altered = created["key"][:-1] + ("A" if created["key"][-1] != "A" else "B")
    assert_problem(me(server, {"X-API-Key": altered}), 401)

    r = login.delete(f"/api/keys/{key_id}", headers=login.csrf)
    assert r.status_code == 204, describe(r)
    assert_problem(me(server, {"X-API-Key": created["key"]}), 401)
    assert verify(server, {"X-API-Key": created["key"]}).status_code == 401
    assert assert_json(login.get("/api/keys"))["keys"] == []
    assert_problem(login.delete(f"/api/keys/{key_id}", headers=login.csrf), 404)


def test_api_keys_of_another_user_cannot_be_revoked(server):
    bob = api_login(server, "bob", add_user(server, "bob"))
    bobs = create_key(bob, "bobs")
    admin = admin_login(server)
    assert_problem(admin.delete(f"/api/keys/{bobs['id']}", headers=admin.csrf), 404)
    assert str(bobs["id"]) not in [str(k["id"]) for k in assert_json(admin.get("/api/keys"))["keys"]]
    assert_me(me(server, {"X-API-Key": bobs["key"]}), "bob", "api-key", ["read"])


def test_ASVS_7_2_2_api_key_presented_as_session_cookie_is_not_a_session(server):
    key = create_key(admin_login(server))["key"]
    assert_problem(me(server, cookie_header(key)), 401)
    assert verify(server, cookie_header(key)).status_code == 401


def test_ASVS_14_2_1_credentials_in_the_url_are_ignored(sqlite_server):
    server = sqlite_server
    login = admin_login(server)
    key = create_key(login)["key"]
    jwt = password_tokens(server, "admin", server.admin_password)["access_token"]
    for params in ({"api_key": key}, {"apiKey": key}, {"access_token": jwt}, {"session": login.cookie},
                   {COOKIE: login.cookie}, {"token": jwt}):
        r = http().get(server.url("/api/me"), params=params)
        assert_problem(r, 401)


def test_ASVS_6_5_2_api_keys_and_passwords_are_not_stored_in_clear(make_sqlite_server):
    server = make_sqlite_server()
    login = admin_login(server)
    key = create_key(login)["key"]
    bob_password = add_user(server, "bob")
    assert server.stop() == 0
    stored = b"".join(p.read_bytes() for p in server.data_dir.glob("tessera.db*"))
    assert stored, "no SQLite files in the data directory"
    for what, value in {"an API key": key, "the admin password": server.admin_password, "bob's password": bob_password}.items():
        assert value.encode() not in stored, f"the SQLite store holds {what} in clear"


# --- Tokens ------------------------------------------------------------------------


def jwks(server) -> list[dict]:
    body = assert_json(http().get(server.url("/.well-known/jwks.json")))
    assert isinstance(body.get("keys"), list) and body["keys"], body
    return body["keys"]


def test_jwks_publishes_a_p256_public_key_without_private_parts(sqlite_server):
    server = sqlite_server
    keys = jwks(server)
    private = {"d", "p", "q", "dp", "dq", "qi", "k", "oth"}
    for key in keys:
        assert not private & set(key), f"the JWKS shows private parts: {sorted(private & set(key))}"
    ec = [k for k in keys if k.get("kty") == "EC" and k.get("crv") == "P-256"]
    assert ec, keys
    for key in ec:
        assert key.get("alg", "ES256") == "ES256" and key.get("use", "sig") == "sig", key
        assert P256.on_curve(jwk_point(key)), f"not a point of P-256: {key}"


def check_signature(server, token: str) -> None:
    header, _, signature, signed = jwt_parts(token)
    assert header.get("alg") == "ES256", header
    keys = [k for k in jwks(server) if k.get("kty") == "EC"]
    if "kid" in header:
        keys = [k for k in keys if k.get("kid") == header["kid"]]
    assert len(keys) == 1, f"no single JWKS key for header {header}"
    public = jwk_point(keys[0])
    assert P256.verify(public, signed, signature), "the JWKS key does not verify the token's signature"
    assert not P256.verify(public, signed + b"x", signature)  # and the check can fail


def test_jwt_from_password_authenticates_as_jwt_and_verifies_with_the_jwks(server):
    tokens = password_tokens(server, "admin", server.admin_password)
    assert tokens["token_type"] == "Bearer", tokens
    assert isinstance(tokens["expires_in"], int) and tokens["expires_in"] > 0, tokens
    assert isinstance(tokens["refresh_token"], str) and tokens["refresh_token"], tokens
    access = tokens["access_token"]
    _, claims, _, _ = jwt_parts(access)
    assert claims["exp"] > time.time(), claims
    check_signature(server, access)

    assert_me(me(server, bearer(access)), "admin", "jwt")
    r = verify(server, bearer(access))
    assert r.status_code == 200 and r.headers.get("X-Tessera-User") == "admin", describe(r)
    assert r.headers.get("X-Tessera-Method") == "jwt", r.headers

    head, payload, sig = access.split(".")
    forged = ".".join([head, payload, sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]])
    assert_problem(me(server, bearer(forged)), 401)


def test_wrong_password_gets_no_tokens(server):
    r = http().post(server.url("/api/tokens"), json={"username": "admin", "password": "wrong-" + server.admin_password})
    assert assert_problem(r, 401)["detail"] == WRONG_CREDENTIALS


def test_tokens_from_a_session_need_the_csrf_token(server):
    login = admin_login(server)
    assert_problem(login.post("/api/tokens", json={}), 403)
    tokens = assert_json(login.post("/api/tokens", json={}, headers=login.csrf))
    assert tokens["token_type"] == "Bearer", tokens
    assert_me(me(server, bearer(tokens["access_token"])), "admin", "jwt")


def test_refresh_rotates_the_refresh_token(server):
    first = password_tokens(server, "admin", server.admin_password)
    r = http().post(server.url("/api/tokens/refresh"), json={"refresh_token": first["refresh_token"]})
    second = assert_json(r)
    assert second["token_type"] == "Bearer" and second["expires_in"] > 0, second
    assert second["refresh_token"] != first["refresh_token"], "refresh did not rotate the refresh token"
    assert_me(me(server, bearer(second["access_token"])), "admin", "jwt")
    third = assert_json(http().post(server.url("/api/tokens/refresh"), json={"refresh_token": second["refresh_token"]}))
    assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])
    assert_problem(http().post(server.url("/api/tokens/refresh"), json={"refresh_token": "no-such-token"}), 401)


def test_refresh_token_reuse_after_the_grace_window_ends_the_family(optional_postgres_url, make_sqlite_server):
    """One wait of the reuse grace window for both stores (SQLite, and PostgreSQL when
    TESSERA_POSTGRES_URL is set), not one per store. (The database fixture comes first, so
    it is dropped after the servers stop.)"""
    grace = ["--refresh-grace-seconds", str(REFRESH_GRACE)]
    servers = [make_sqlite_server(args=grace)] + (
        [make_sqlite_server(store=optional_postgres_url, args=grace)] if optional_postgres_url else [])
    families = []
    for server in servers:
        first = password_tokens(server, "admin", server.admin_password)
        second = assert_json(http().post(server.url("/api/tokens/refresh"), json={"refresh_token": first["refresh_token"]}))
        families.append((server, first["refresh_token"], second["refresh_token"]))

    time.sleep(REFRESH_GRACE + 2)
    for server, rotated, current in families:
        r = http().post(server.url("/api/tokens/refresh"), json={"refresh_token": rotated})
        assert_problem(r, 401)
        r = http().post(server.url("/api/tokens/refresh"), json={"refresh_token": current})
        assert r.status_code == 401, f"the family lived on after the reuse ({server.store or 'sqlite'}): {describe(r)}"


# --- Password change -----------------------------------------------------------------


def test_ASVS_7_4_3_password_change_with_logout_others_ends_the_other_sessions(server):
    mine = admin_login(server)
    other = admin_login(server)
    new = strong_password()
    r = mine.post("/api/password", json={"current": server.admin_password, "new": new, "logoutOthers": True}, headers=mine.csrf)
    assert r.status_code == 204, describe(r)
    assert_problem(other.get("/api/me"), 401)
    assert_me(mine.get("/api/me"), "admin", "session")
    renewed = session_set_cookie(r)
    if renewed is not None and renewed.value and renewed.value != mine.cookie:  # CS-S5: rotated on the change
        assert me(server, cookie_header(mine.cookie)).status_code == 401, "the cookie before the change still works"

    assert_problem(http().post(server.url("/api/session"), json={"username": "admin", "password": server.admin_password}), 401)
    api_login(server, "admin", new)


def test_ASVS_7_4_3_password_change_without_logout_others_keeps_them(server):
    mine = admin_login(server)
    other = admin_login(server)
    r = mine.post("/api/password", json={"current": server.admin_password, "new": strong_password(), "logoutOthers": False},
                  headers=mine.csrf)
    assert r.status_code == 204, describe(r)
    assert_me(other.get("/api/me"), "admin", "session")


def test_ASVS_6_2_3_wrong_current_password_is_refused_with_403(server):
    login = admin_login(server)
    new = strong_password()
    r = login.post("/api/password", json={"current": "wrong-" + server.admin_password, "new": new, "logoutOthers": True},
                   headers=login.csrf)
    assert_problem(r, 403)
    api_login(server, "admin", server.admin_password)
    assert_problem(http().post(server.url("/api/session"), json={"username": "admin", "password": new}), 401)


def test_ASVS_6_2_4_weak_new_passwords_are_refused_with_400(server):
    login = admin_login(server)
    for weak in ["password", "Sh0rt-7", "my-admin-password-e2e"]:  # common; 7 long; holds the username
        r = login.post("/api/password", json={"current": server.admin_password, "new": weak, "logoutOthers": False},
                       headers=login.csrf)
        assert r.status_code == 400, f"{weak!r}: {describe(r)}"
        assert r.text.strip(), f"{weak!r}: a 400 without the policy's reasons"
    api_login(server, "admin", server.admin_password)


# --- Forward auth endpoint -----------------------------------------------------------


def test_forward_auth_verify_reports_user_method_and_scopes(server):
    r = verify(server)
    assert r.status_code == 401, describe(r)
    assert "X-Tessera-User" not in r.headers

    login = admin_login(server)
    r = verify(server, cookie_header(login.cookie))
    assert r.status_code == 200, describe(r)
    assert (r.headers.get("X-Tessera-User"), r.headers.get("X-Tessera-Method"), r.headers.get("X-Tessera-Scopes")) \
        == ("admin", "session", "*"), r.headers

    key = create_key(login, "deploy", ["read", "deploy"])["key"]
    r = verify(server, {"X-API-Key": key})
    assert r.status_code == 200 and r.headers.get("X-Tessera-Method") == "api-key", describe(r)
    assert r.headers.get("X-Tessera-User") == "admin", r.headers
    assert sorted(r.headers.get("X-Tessera-Scopes", "").split(",")) == ["deploy", "read"], r.headers


# --- CORS ----------------------------------------------------------------------------

SPA = "http://spa.example:3000"


def test_cors_answers_only_the_configured_origin(make_sqlite_server):
    server = make_sqlite_server(args=["--cors-origin", SPA])
    login = admin_login(server)

    r = login.get("/api/me", headers={"Origin": SPA})
    assert r.status_code == 200, describe(r)
    assert r.headers.get("Access-Control-Allow-Origin") == SPA, r.headers
    assert r.headers.get("Access-Control-Allow-Credentials") == "true", r.headers
    assert "origin" in r.headers.get("Vary", "").lower(), r.headers

    r = http().get(server.url("/api/me"), headers={"Origin": SPA})  # the 401 a SPA must be able to read
    assert r.status_code == 401 and r.headers.get("Access-Control-Allow-Origin") == SPA, r.headers

    for origin in ["http://evil.example", "http://spa.example:3000.evil.example", "http://spa.example", "https://spa.example:3000"]:
        r = login.get("/api/me", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in r.headers, f"{origin}: {r.headers}"
        assert "Access-Control-Allow-Credentials" not in r.headers, f"{origin}: {r.headers}"


def test_cors_preflight_allows_the_documented_methods_and_headers(make_sqlite_server):
    server = make_sqlite_server(args=["--cors-origin", SPA])
    preflight = {"Origin": SPA, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type,x-csrf-token"}
    r = http().options(server.url("/api/keys"), headers=preflight)
    assert r.status_code == 204, describe(r)
    assert r.headers.get("Access-Control-Allow-Origin") == SPA, r.headers
    assert r.headers.get("Access-Control-Allow-Credentials") == "true", r.headers
    methods = {m.strip().upper() for m in r.headers.get("Access-Control-Allow-Methods", "").split(",")}
    assert {"POST", "DELETE"} <= methods, r.headers
    allowed = {h.strip().lower() for h in r.headers.get("Access-Control-Allow-Headers", "").split(",")}
    assert {"content-type", "x-csrf-token", "authorization", "x-api-key"} <= allowed, r.headers

    r = http().options(server.url("/api/keys"), headers={**preflight, "Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in r.headers, r.headers


# --- Cookie names by configuration ---------------------------------------------------


@pytest.mark.parametrize("args, name, secure, domain", [
    ([], "tessera_session", False, None),
    (["--public-url", "https://tessera.example"], "__Host-tessera_session", True, None),
    (["--public-url", "https://app.tessera.example", "--cookie-domain", "tessera.example"],
     "__Secure-tessera_session", True, "tessera.example"),
    (["--public-url", "http://app.tessera.test:{port}", "--cookie-domain", "tessera.test"], "tessera_session", False, "tessera.test"),
], ids=["http", "https", "https-domain", "http-domain"])
def test_ASVS_3_3_1_and_3_3_4_session_cookie_name_and_attributes_follow_the_public_url(make_sqlite_server, args, name, secure, domain):
    server = make_sqlite_server(args=args)
    r = http().post(server.url("/api/session"), json={"username": "admin", "password": server.admin_password})
    body = assert_json(r)
    assert body["session"]["name"] == name, body
    cookie = session_set_cookie(r, name)
    assert cookie is not None, r.raw.headers.getlist("Set-Cookie")
    assert ("secure" in cookie.attrs) == secure, cookie.line
    assert cookie.attrs.get("domain") == domain, cookie.line
    assert cookie.attrs.get("path") == "/" and cookie.attrs.get("httponly") is True, cookie.line
    assert str(cookie.attrs.get("samesite", "")).lower() == "lax", cookie.line


def test_configuration_flag_beats_environment_beats_file(make_sqlite_server, tmp_path):
    file_port, env_port, flag_port = free_port(), free_port(), free_port()
    config = tmp_path / "tessera.json"
    config.write_text(json.dumps({"port": file_port}))
    env = {"TESSERA_PORT": str(env_port)}

    # Each server must answer on the port that wins (a wrong one is given 20 s, not 60).
    make_sqlite_server(port=flag_port, args=["--config", str(config)], env=env, ready_timeout=20)
    make_sqlite_server(port=env_port, pass_port=False, args=["--config", str(config)], env=env, ready_timeout=20)
    make_sqlite_server(port=file_port, pass_port=False, args=["--config", str(config)], ready_timeout=20)


# --- Admin CLI -------------------------------------------------------------------------


def cli_key(output: str) -> str:
    """The key `keys create` printed: its longest word (an id or a label is shorter)."""
    words = output.split()
    assert words, "the command printed nothing"
    return max(words, key=len)


def users(server) -> dict:
    listed = server.cli("users", "list").stdout
    return dict(line.split("\t") for line in listed.splitlines() if line.strip())


def test_cli_users_add_and_list_against_the_running_server(server):
    password = add_user(server, "bob")
    assert users(server) == {"admin": "active", "bob": "active"}
    assert_me(api_login(server, "bob", password).get("/api/me"), "bob", "session", ["*"])


def test_cli_users_add_prints_a_generated_password(sqlite_server):
    server = sqlite_server
    # At the default hashing cost, as an operator runs it; the cheap server still verifies it.
    printed = server.cli("users", "add", "carol", cheap_hashing=False).stdout
    m = re.search(r"^password: (\S+)$", printed, re.M)
    assert m, f"`users add carol` printed no `password: …` line: {printed!r}"
    api_login(server, "carol", m.group(1))


def test_cli_users_set_password(server):
    old = add_user(server, "bob")
    new = strong_password()
    server.cli("users", "set-password", "bob", "--password-stdin", input=new + "\n")
    assert_problem(http().post(server.url("/api/session"), json={"username": "bob", "password": old}), 401)
    api_login(server, "bob", new)


def test_ASVS_7_4_2_disabling_a_user_ends_sessions_keys_and_tokens_at_once(server):
    password = add_user(server, "bob")
    bob = api_login(server, "bob", password)
    key = create_key(bob)["key"]
    tokens = password_tokens(server, "bob", password)
    admin = admin_login(server)
    assert_me(bob.get("/api/me"), "bob", "session")

    server.cli("users", "disable", "bob")

    assert users(server)["bob"] == "disabled"
    assert_problem(bob.get("/api/me"), 401)
    assert verify(server, cookie_header(bob.cookie)).status_code == 401
    assert_problem(me(server, {"X-API-Key": key}), 401)
    assert verify(server, {"X-API-Key": key}).status_code == 401
    assert_problem(me(server, bearer(tokens["access_token"])), 401)
    assert_problem(http().post(server.url("/api/tokens/refresh"), json={"refresh_token": tokens["refresh_token"]}), 401)
    assert_problem(http().post(server.url("/api/session"), json={"username": "bob", "password": password}), 401)
    assert_me(admin.get("/api/me"), "admin", "session")


def test_cli_keys_create_list_revoke_against_the_running_server(server):
    password = add_user(server, "bob")
    key = cli_key(server.cli("keys", "create", "--user", "bob", "--name", "deploy", "--scope", "read",
                             "--scope", "write", "--expires-in-days", "7").stdout)
    assert_me(me(server, {"X-API-Key": key}), "bob", "api-key", ["read", "write"])
    assert "deploy" in server.cli("keys", "list", "--user", "bob").stdout

    bob = api_login(server, "bob", password)
    listed = assert_json(bob.get("/api/keys"))["keys"]
    assert [k["name"] for k in listed] == ["deploy"], listed
    server.cli("keys", "revoke", str(listed[0]["id"]))
    assert_problem(me(server, {"X-API-Key": key}), 401)


def test_ASVS_7_4_5_admin_revokes_a_users_sessions_from_the_cli(server):
    password = add_user(server, "bob")
    first, second = api_login(server, "bob", password), api_login(server, "bob", password)
    admin = admin_login(server)

    rows = [line.split("\t") for line in server.cli("sessions", "list", "--user", "bob").stdout.splitlines() if line.strip()]
    assert len(rows) == 2 and all(len(row) == 5 and row[0] == "bob" for row in rows), rows
    assert {row[1] for row in rows} == {first.handle(), second.handle()}, rows
    assert all(row[4].endswith("127.0.0.1") for row in rows), rows

    # One handle in 64 starts with "-": it is still read as a handle, not as an option.
    dashed = server.cli("sessions", "revoke", "--user", "bob", "-" + "A" * 21, check=False)
    assert dashed.returncode == 1 and "no session with that handle" in dashed.stderr, dashed
    server.cli("sessions", "revoke", "--user", "bob", first.handle())
    assert_problem(first.get("/api/me"), 401)
    assert_me(second.get("/api/me"), "bob", "session")

    server.cli("sessions", "revoke", "--user", "bob", "--all")
    assert_problem(second.get("/api/me"), 401)
    assert_me(admin.get("/api/me"), "admin", "session")
