"""The pages without JavaScript (/login, /account, /logout), spoken to
like a browser over plain HTTP (docs/serve-contract.md, "Pages")."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tessera_e2e import (
    COOKIE, admin_login, api_login, assert_json, assert_problem, cookie_header, describe, form_csrf,
    form_with_action, http, me, page_login, parse_html, resolve, session_set_cookie, set_cookies, strong_password,
)


def account(server, client):
    r = client.get(server.url("/account"), allow_redirects=False)
    assert r.status_code == 200, describe(r)
    assert r.headers.get("Content-Type", "").startswith("text/html"), describe(r)
    return parse_html(r.text)


def logged_in(server, password=None):
    """A client logged in through the login form, as a browser is."""
    client, r = page_login(server, "admin", password or server.admin_password, rd="/account")
    assert r.status_code == 303 and urlsplit(resolve(r)).path == "/account", describe(r)
    return client


def post_form(server, client, form, **fields):
    data = {"csrf_token": form_csrf(form), **fields}
    return client.post(server.url(urlsplit(form.get("action")).path), data=data, allow_redirects=False)


def test_login_page_has_the_documented_form(sqlite_server):
    server = sqlite_server
    r = http().get(server.url("/login"), params={"rd": "/account"})
    assert r.status_code == 200 and r.headers.get("Content-Type", "").startswith("text/html"), describe(r)
    form = parse_html(r.text).by_id("login-form")
    assert form is not None, r.text[:1000]
    assert form.get("method", "").lower() == "post" and form.get("action") == "/login", form
    assert form.find("input", name="username") is not None, "no username field"
    assert (form.find("input", name="password") or {}).get("type") == "password", "no password field of type password"
    assert form.find("input", name="csrf_token").get("type") == "hidden" and form_csrf(form)
    rd = form.find("input", name="rd")
    assert rd is not None and rd.get("type") == "hidden" and rd.get("value") == "/account", rd
    buttons = [b for b in form.find_all("button") if b.get("type", "submit") == "submit"] + form.find_all("input", type="submit")
    assert buttons, "no submit button"


def test_login_page_wrong_password_rerenders_the_form_with_401(sqlite_server):
    server = sqlite_server
    client, r = page_login(server, "admin", "wrong-" + server.admin_password, rd="/account")
    assert r.status_code == 401, describe(r)
    page = parse_html(r.text)
    errors = [p for p in page.find_all("p") if "error" in p.classes and p.get("role") == "alert"]
    assert errors and errors[0].text().strip(), r.text[:1000]
    assert page.by_id("login-form") is not None
    assert client.get(server.url("/account"), allow_redirects=False).status_code == 303


def test_account_without_login_redirects_to_login(sqlite_server):
    server = sqlite_server
    r = http().get(server.url("/account"), allow_redirects=False)
    assert r.status_code == 303, describe(r)
    target = urlsplit(resolve(r))
    assert target.path == "/login" and parse_qs(target.query).get("rd") == ["/account"], r.headers.get("Location")


def test_ASVS_7_2_4_form_login_replaces_the_pre_login_cookie_and_keeps_rd(server):
    client = http()
    page = client.get(server.url("/login"), params={"rd": "/account?x=1"})
    before = client.cookies.get(COOKIE)
    form = parse_html(page.text).by_id("login-form")
    fields = {i.get("name"): i.get("value", "") for i in form.find_all("input") if i.get("name")}
    assert fields.get("rd") == "/account?x=1", fields
    fields.update(username="admin", password=server.admin_password)

    r = client.post(server.url("/login"), data=fields, allow_redirects=False)
    assert r.status_code == 303 and resolve(r) == server.url("/account?x=1"), describe(r) + f" Location: {r.headers.get('Location')}"
    after = client.cookies.get(COOKIE)
    assert after and after != before, "the form login kept the pre-login cookie"
    assert me(server, cookie_header(after)).json()["username"] == "admin"
    if before is not None:
        assert me(server, cookie_header(before)).status_code == 401, "the pre-login cookie still works"


def test_login_redirects_only_to_local_paths_and_allowed_hosts(make_sqlite_server):
    server = make_sqlite_server(args=["--public-url", "http://127.0.0.1:{port}", "--allowed-redirect-host", "docs.example"])
    fallback = server.url("/account")
    expected = {
        "/account?x=1": server.url("/account?x=1"),
        server.url("/account?y=2"): server.url("/account?y=2"),   # the public URL's host
        "https://docs.example/guide": "https://docs.example/guide",  # --allowed-redirect-host
        "https://evil.example/": fallback,
        "//evil.example": fallback,
        "//evil.example/account": fallback,
        "///evil.example": fallback,
        "/\\evil.example": fallback,                              # browsers read "/\" as "//"
        "https://docs.example.evil.example/": fallback,
        "http://127.0.0.1.evil.example/": fallback,
        "javascript:alert(1)": fallback,
    }
    wrong = []
    for rd, want in expected.items():
        _, r = page_login(server, "admin", server.admin_password, rd=rd)
        got = resolve(r) if r.status_code == 303 else f"status {r.status_code}"
        if got != want:
            wrong.append(f"rd={rd!r}: went to {got!r} (Location {r.headers.get('Location')!r}), expected {want!r}")
    assert not wrong, "\n".join(wrong)


def test_login_redirects_to_subdomains_of_the_cookie_domain(make_sqlite_server):
    server = make_sqlite_server(args=["--public-url", "http://app.tessera.test:{port}", "--cookie-domain", "tessera.test"])
    host = f"app.tessera.test:{server.port}"

    def login(rd):
        # requests keeps no Domain=tessera.test cookie for 127.0.0.1: carry it by hand.
        page = http().get(server.url("/login"), headers={"Host": host})
        assert page.status_code == 200, describe(page)
        jar = "; ".join(f"{c.name}={c.value}" for c in set_cookies(page) if c.value)
        data = {"username": "admin", "password": server.admin_password, "rd": rd,
                "csrf_token": form_csrf(parse_html(page.text).by_id("login-form"))}
        r = http().post(server.url("/login"), data=data, allow_redirects=False, headers={"Host": host, "Cookie": jar})
        assert r.status_code == 303, f"rd={rd!r}: {describe(r)}"
        return r.headers["Location"]

    fallback_path = "/account"
    wrong = []
    for rd in [f"http://api.tessera.test:{server.port}/api/me", "http://tessera.test/", "https://app.tessera.test/account"]:
        if login(rd) != rd:
            wrong.append(f"rd={rd!r} was not kept")
    for rd in ["http://eviltessera.test/", "http://tessera.test.evil.example/", "https://evil.example/"]:
        location = login(rd)
        if urlsplit(location).path != fallback_path or urlsplit(location).hostname not in (None, "app.tessera.test"):
            wrong.append(f"rd={rd!r} went to {location!r}")
    assert not wrong, "\n".join(wrong)


def test_account_page_shows_the_user_sessions_keys_and_forms(server):
    client = logged_in(server)
    page = account(server, client)
    assert page.by_id("username").tag == "span" and page.by_id("username").text().strip() == "admin"

    rows = page.by_id("sessions").find_all("tr")
    rows = [row for row in rows if row.get("data-handle")]
    assert len(rows) == 1 and "current" in rows[0].classes, rows

    revoke_others = form_with_action(page, "/account/sessions/revoke-others")
    assert revoke_others is not None and revoke_others.by_id("revoke-others") is not None
    assert page.by_id("keys").tag == "table"
    create = form_with_action(page, "/account/keys")
    assert create is not None and all(create.find(name=n) is not None for n in ("name", "scopes", "expires_in_days")), create
    password = form_with_action(page, "/account/password")
    assert password is not None and all(password.find(name=n) is not None for n in ("current_password", "new_password")), password
    assert password.find("input", name="logout_others").get("type") == "checkbox"
    logout = form_with_action(page, "/logout")
    assert logout is not None and logout.by_id("logout") is not None

    for form in page.find_all("form"):
        assert form.get("method", "").lower() == "post", form
        form_csrf(form)  # every form carries its token


def test_ASVS_3_5_1_account_forms_refuse_a_post_without_the_csrf_token(server):
    client = logged_in(server)
    for path, data in [("/account/keys", {"name": "forged", "scopes": "read", "expires_in_days": "1"}),
                       ("/account/sessions/revoke-others", {}),
                       ("/logout", {}),
                       ("/account/password", {"current_password": server.admin_password, "new_password": strong_password(),
                                              "logout_others": "on"})]:
        for token in (None, "A" * 43):
            fields = dict(data, csrf_token=token) if token else data
            r = client.post(server.url(path), data=fields, allow_redirects=False)
            assert r.status_code == 403, f"{path} with csrf_token={token!r}: {describe(r)}"
    page = account(server, client)  # still logged in: the logout was refused
    assert not [row for row in page.by_id("keys").find_all("tr") if row.get("data-id")], "a refused POST made a key"
    api_login(server, "admin", server.admin_password)  # the password did not change


def test_account_page_creates_a_key_shows_it_once_and_revokes_it(server):
    client = logged_in(server)
    form = form_with_action(account(server, client), "/account/keys")
    r = post_form(server, client, form, name="page-key", scopes="read write", expires_in_days="7")
    if r.status_code in (302, 303):
        r = client.get(resolve(r), allow_redirects=False)
    assert r.status_code == 200, describe(r)
    shown = parse_html(r.text).by_id("new-key")
    assert shown is not None and shown.tag == "code", r.text[:1500]
    key = shown.text().strip()
    body = assert_json(me(server, {"X-API-Key": key}))
    assert (body["username"], body["method"], sorted(body["scopes"])) == ("admin", "api-key", ["read", "write"]), body

    page = account(server, client)
    assert page.by_id("new-key") is None, "the key is shown a second time"
    rows = [row for row in page.by_id("keys").find_all("tr") if row.get("data-id")]
    assert len(rows) == 1, rows
    revoke = form_with_action(rows[0], f"/account/keys/{rows[0].get('data-id')}/revoke")
    assert revoke is not None, rows[0]
    r = post_form(server, client, revoke)
    assert r.status_code in (200, 303), describe(r)
    assert_problem(me(server, {"X-API-Key": key}), 401)
    assert not [row for row in account(server, client).by_id("keys").find_all("tr") if row.get("data-id")]


def test_account_page_revokes_the_other_sessions(server):
    client = logged_in(server)
    other = admin_login(server)
    page = account(server, client)
    assert len([row for row in page.by_id("sessions").find_all("tr") if row.get("data-handle")]) == 2
    r = post_form(server, client, form_with_action(page, "/account/sessions/revoke-others"))
    assert r.status_code in (200, 303), describe(r)
    assert_problem(other.get("/api/me"), 401)
    rows = [row for row in account(server, client).by_id("sessions").find_all("tr") if row.get("data-handle")]
    assert len(rows) == 1 and "current" in rows[0].classes, rows


def test_ASVS_7_4_3_account_page_changes_the_password_and_logs_out_the_others(server):
    client = logged_in(server)
    other = admin_login(server)
    new = strong_password()
    form = form_with_action(account(server, client), "/account/password")
    r = post_form(server, client, form, current_password=server.admin_password, new_password=new, logout_others="on")
    assert r.status_code in (200, 303), describe(r)
    assert_problem(other.get("/api/me"), 401)
    account(server, client)  # this session lives on
    assert_problem(http().post(server.url("/api/session"), json={"username": "admin", "password": server.admin_password}), 401)
    api_login(server, "admin", new)


def test_CS_S12_page_logout_ends_the_session_and_clears_the_cookie(server):
    client = logged_in(server)
    old = client.cookies.get(COOKIE)
    r = post_form(server, client, form_with_action(account(server, client), "/logout"))
    assert r.status_code == 303 and urlsplit(resolve(r)).path == "/login", describe(r)
    cleared = session_set_cookie(r)
    assert cleared is not None and cleared.clears(), r.raw.headers.getlist("Set-Cookie")
    assert_problem(me(server, cookie_header(old)), 401)
    assert client.get(server.url("/account"), allow_redirects=False).status_code == 303
