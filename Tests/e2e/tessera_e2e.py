"""Helpers shared by the end-to-end tests of `tessera serve`.

Everything here follows docs/serve-contract.md: the server is started the
way an operator starts it, spoken to over HTTP the way a client or a proxy
speaks to it, and administered with the same `tessera` binary's CLI.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import urljoin, urlsplit

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / ".build-e2e"

COOKIE = "tessera_session"
WRONG_CREDENTIALS = "Wrong username or password."
ADMIN_PASSWORD_LINE = re.compile(r"admin password: (\S+)")

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


# --- Processes and ports -----------------------------------------------------


def tessera_bin() -> Path:
    path = Path(os.environ.get("TESSERA_BIN", ".build/debug/tessera"))
    return path if path.is_absolute() else REPO / path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http() -> requests.Session:
    """A cookie-keeping client that ignores proxy settings of the environment."""
    s = requests.Session()
    s.trust_env = False
    return s


def strong_password() -> str:
    """A password no policy refuses: long, random, no dictionary word."""
    return "e2e-" + secrets.token_urlsafe(18)


class Output:
    """Lines a child process writes, collected by a thread so its pipe never fills."""

    def __init__(self, stream):
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream):
        for line in stream:
            with self._lock:
                self._lines.append(line.rstrip("\n"))

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._lines)

    def text(self) -> str:
        return "\n".join(self.lines())

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


class Server:
    """One `tessera serve` process on 127.0.0.1."""

    def __init__(self, *, data_dir: Path, store: Optional[str], port: int, args: Iterable[str] = (),
                 env: Optional[dict] = None, pass_port: bool = True, pass_data_dir: bool = True):
        self.data_dir = Path(data_dir)
        self.store = store
        self.port = port
        self.extra_args = list(args)
        self.extra_env = dict(env or {})
        self.pass_port = pass_port
        self.pass_data_dir = pass_data_dir
        self.proc: Optional[subprocess.Popen] = None
        self.output: Optional[Output] = None
        self.admin_password: Optional[str] = None
        self.returncode: Optional[int] = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def command(self) -> list[str]:
        cmd = [str(tessera_bin()), "serve", "--host", "127.0.0.1", "--scrypt-log-n", "10"]
        if self.pass_port:
            cmd += ["--port", str(self.port)]
        if self.pass_data_dir:
            cmd += ["--data-dir", str(self.data_dir)]
        if self.store:
            cmd += ["--store", self.store]
        return cmd + self.extra_args

    def start(self, *, expect_admin_password: bool = True, ready_timeout: float = READY_TIMEOUT) -> "Server":
        env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
        env.update(self.extra_env)
        self.proc = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=env, text=True, errors="replace", bufsize=1,
        )
        self.output = Output(self.proc.stdout)
        self._wait_ready(ready_timeout)
        if expect_admin_password:
            self.admin_password = self._wait_admin_password()
        return self

    def _fail(self, why: str):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        pytest.fail(f"{why}\ncommand: {' '.join(self.command())}\noutput:\n{self.output_text()}", pytrace=False)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probe = http()
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.output.join(2)
                self._fail(f"tessera serve exited with status {self.proc.returncode} before it was ready")
            try:
                r = probe.get(self.url("/healthz"), timeout=2)
                if r.status_code == 200:
                    return
                last = f"{r.status_code} {r.text[:200]}"
            except requests.RequestException as error:
                last = type(error).__name__
            time.sleep(0.1)
        self._fail(f"GET /healthz on port {self.port} did not answer 200 within {timeout:.0f} s (last: {last})")

    def _wait_admin_password(self) -> str:
        # Ready means the first start is done; give the pipe a moment.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for line in self.output.lines():
                m = ADMIN_PASSWORD_LINE.search(line)
                if m:
                    return m.group(1)
            time.sleep(0.05)
        self._fail("the first start printed no line matching `admin password: (\\S+)` on standard output")

    def output_text(self) -> str:
        return self.output.text() if self.output else ""

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> int:
        """SIGTERM, then the exit status (the contract: graceful, 0)."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                self.returncode = f"still running {STOP_TIMEOUT:.0f} s after SIGTERM (killed)"
                return self.returncode
        self.output.join(5)
        self.returncode = self.proc.returncode
        return self.returncode

    # The admin CLI, on this server's data directory and store.
    def cli(self, *args: str, input: Optional[str] = None, check: bool = True, timeout: float = 60,
            cheap_hashing: bool = True) -> subprocess.CompletedProcess:
        return run_cli(*args, data_dir=self.data_dir, store=self.store, input=input, check=check, timeout=timeout,
                       cheap_hashing=cheap_hashing)


def run_cli(*args: str, data_dir: Path, store: Optional[str] = None, input: Optional[str] = None,
            check: bool = True, timeout: float = 60, cheap_hashing: bool = True) -> subprocess.CompletedProcess:
    """`tessera ARGS --data-dir D [--store S]`, hashing passwords as cheaply as the
    test servers do unless `cheap_hashing` is False (then the default cost)."""
    cmd = [str(tessera_bin()), *args, "--data-dir", str(data_dir)]
    if store:
        cmd += ["--store", store]
    if cheap_hashing:
        cmd += ["--scrypt-log-n", "10"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    stdin = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, **stdin)
    if check and done.returncode != 0:
        raise AssertionError(
            f"`{' '.join(cmd)}` exited with {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    return done


def add_user(server: Server, name: str, password: Optional[str] = None) -> str:
    """`tessera users add NAME --password-stdin`; returns the password."""
    password = password or strong_password()
    server.cli("users", "add", name, "--password-stdin", input=password + "\n")
    return password


def require_tool(path_or_name: str, why: str) -> str:
    """The tool's path; a skip (or, under scripts/test-e2e.sh, a failure) when it is missing."""
    found = path_or_name if os.path.isabs(path_or_name) and os.access(path_or_name, os.X_OK) else shutil.which(path_or_name)
    if not found:
        message = f"{path_or_name} not found: {why} (scripts/test-e2e.sh installs it)"
        if os.environ.get("TESSERA_E2E_REQUIRE_TOOLS") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


# --- PostgreSQL: a fresh database per server --------------------------------


class PostgresDatabase:
    """A database of its own on the server TESSERA_POSTGRES_URL names, made with psql."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.name = "tessera_e2e_" + secrets.token_hex(6)
        parts = urlsplit(admin_url)
        self.url = parts._replace(path="/" + self.name).geturl()

    def _psql(self, sql: str) -> None:
        env = dict(os.environ, PGCONNECT_TIMEOUT="10")
        done = subprocess.run(["psql", self.admin_url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                              capture_output=True, text=True, timeout=60, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"psql `{sql}` failed ({done.returncode}): {done.stderr.strip()}")

    def create(self) -> "PostgresDatabase":
        self._psql(f'CREATE DATABASE "{self.name}"')
        return self

    def drop(self) -> None:
        self._psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- PostgreSQL: a server of the test's own, to stop and start -------------------


class PostgresCluster:
    """A PostgreSQL server that a test may stop and start, as scripts/with-postgres.sh
    runs one: `initdb` into a temporary directory, password (SCRAM) authentication
    on a free port of 127.0.0.1, fsync off; as root, run by the system user
    `tessera-pg` (created if absent), because PostgreSQL refuses to run as root.
    The port stays the same across `stop()` and `start()`, so clients can
    reconnect to the same URL."""

    USER = "tessera"
    PASSWORD = "tessera"  # throwaway test password, as with-postgres.sh
    DATABASE = "tessera_faults"
    OS_USER = "tessera-pg"

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.workdir: Optional[Path] = None
        self.port: Optional[int] = None
        self.running = False
        self._as_server_user: list[str] = []

    @staticmethod
    def find_bindir() -> Optional[Path]:
        """Where initdb, pg_ctl and postgres are, as with-postgres.sh looks: $TESSERA_PG_BINDIR,
        /usr/lib/postgresql/15/bin, the highest /usr/lib/postgresql/*/bin, then PATH."""
        candidates = [os.environ.get("TESSERA_PG_BINDIR", ""), "/usr/lib/postgresql/15/bin"]

        def version(path: Path):
            return [int(part) if part.isdigit() else 0 for part in path.parent.name.split(".")]

        candidates += [str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)]
        initdb = shutil.which("initdb")
        if initdb:
            candidates.append(str(Path(initdb).parent))
        for candidate in candidates:
            if candidate and all(os.access(Path(candidate) / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
                return Path(candidate)
        return None

    @property
    def url(self) -> str:
        return f"postgres://{self.USER}:{self.PASSWORD}@127.0.0.1:{self.port}/{self.DATABASE}"

    def _run(self, *args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess:
        # From the work directory, so a cwd the server user can't read does not matter.
        done = subprocess.run([*self._as_server_user, *args], cwd=self.workdir, capture_output=True, text=True,
                              timeout=timeout)
        if check and done.returncode != 0:
            raise RuntimeError(f"`{' '.join(args)}` failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
                               f"\n{self.log_tail()}")
        return done

    def log_tail(self, lines: int = 20) -> str:
        log = self.workdir / "postgres.log" if self.workdir else None
        if log and log.exists():
            return "postgres.log:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def create(self) -> "PostgresCluster":
        """initdb, start, and create the database the URL names."""
        import tempfile

        if os.geteuid() == 0:
            if subprocess.run(["id", "-u", self.OS_USER], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                                "--shell", "/usr/sbin/nologin", self.OS_USER], check=True, capture_output=True)
            self._as_server_user = ["runuser", "-u", self.OS_USER, "--"]
            # The server user must reach the directory: stay out of a root-only $TMPDIR.
            self.workdir = Path(tempfile.mkdtemp(prefix="tessera-pg-faults.", dir="/tmp"))
        else:
            self.workdir = Path(tempfile.mkdtemp(prefix="tessera-pg-faults."))
        (self.workdir / "socket").mkdir()
        (self.workdir / "pwfile").write_text(self.PASSWORD + "\n")
        if self._as_server_user:
            subprocess.run(["chown", "-R", f"{self.OS_USER}:", str(self.workdir)], check=True)
        self._run(str(self.bindir / "initdb"), "-D", str(self.workdir / "data"), "-U", self.USER,
                  f"--pwfile={self.workdir / 'pwfile'}", "--auth-local=trust", "--auth-host=scram-sha-256",
                  "-E", "UTF8", "--no-locale", "--no-sync", timeout=120)
        (self.workdir / "pwfile").unlink()
        socket_dir = self.workdir / "socket"
        with open(self.workdir / "data" / "postgresql.conf", "a") as conf:
            conf.write(f"""
# PostgresCluster (tessera_e2e.py): a fast throwaway server
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
password_encryption = 'scram-sha-256'
max_connections = 250
fsync = off
synchronous_commit = off
full_page_writes = off
ssl = off
""")
        for _ in range(5):  # the port may be taken between picking and binding
            self.port = free_port()
            try:
                self.start()
                break
            except RuntimeError:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.workdir / "data"), "stop", "-m", "immediate",
                          check=False)
        else:
            raise RuntimeError(f"PostgreSQL did not start\n{self.log_tail()}")
        psql = self.bindir / "psql"
        psql_path = str(psql) if os.access(psql, os.X_OK) else shutil.which("psql")
        if not psql_path:
            raise RuntimeError("psql not found next to the server binaries or on PATH")
        env = dict(os.environ, PGPASSWORD=self.PASSWORD, PGCONNECT_TIMEOUT="10")
        done = subprocess.run([psql_path, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
                               "-U", self.USER, "-d", "postgres", "-c", f"CREATE DATABASE {self.DATABASE}"],
                              capture_output=True, text=True, timeout=60, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"cannot create database {self.DATABASE}: {done.stderr.strip()}")
        return self

    def start(self) -> None:
        """pg_ctl start on the cluster's port; returns once it takes connections."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.workdir / "data"), "-l", str(self.workdir / "postgres.log"),
                  "-o", f"-p {self.port}", "-w", "-t", "30", "start")
        self.running = True

    def stop(self) -> None:
        """pg_ctl stop -m fast: every connection is closed; returns once the server is gone."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.workdir / "data"), "stop", "-m", "fast", "-w", "-t", "30")
        self.running = False

    def destroy(self) -> None:
        if self.workdir is None:
            return
        if self.running:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.workdir / "data"), "stop", "-m", "immediate", "-w",
                      "-t", "30", check=False)
            self.running = False
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None


# --- HTTP helpers ---------------------------------------------------------------


def describe(r: requests.Response) -> str:
    body = r.text if len(r.text) < 800 else r.text[:800] + "…"
    return f"{r.request.method} {r.request.url} → {r.status_code} [{r.headers.get('Content-Type')}] {body}"


def cookie_header(value: str, name: str = COOKIE) -> dict:
    """Present a cookie value by hand, as a replaying client would."""
    return {"Cookie": f"{name}={value}"}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def set_cookies(r: requests.Response) -> list["SetCookie"]:
    return [SetCookie.parse(line) for line in r.raw.headers.getlist("Set-Cookie")]


def session_set_cookie(r: requests.Response, name: str = COOKIE) -> Optional["SetCookie"]:
    found = [c for c in set_cookies(r) if c.name == name]
    assert len(found) <= 1, f"more than one Set-Cookie for {name}: {r.raw.headers.getlist('Set-Cookie')}"
    return found[0] if found else None


@dataclass
class SetCookie:
    name: str
    value: str
    attrs: dict  # lower-cased attribute name -> value (True for flags)
    line: str

    @classmethod
    def parse(cls, line: str) -> "SetCookie":
        first, *rest = line.split(";")
        name, _, value = first.strip().partition("=")
        attrs = {}
        for part in rest:
            key, eq, val = part.strip().partition("=")
            if key:
                attrs[key.lower()] = val.strip() if eq else True
        return cls(name.strip(), value.strip(), attrs, line)

    def clears(self) -> bool:
        """An empty value that the browser drops at once (Max-Age ≤ 0 or an Expires in the past)."""
        max_age = self.attrs.get("max-age")
        if isinstance(max_age, str) and re.fullmatch(r"-?\d+", max_age) and int(max_age) <= 0:
            return True
        expires = self.attrs.get("expires")
        if isinstance(expires, str):
            try:
                from email.utils import parsedate_to_datetime

                return parsedate_to_datetime(expires) < datetime.now(timezone.utc)
            except (TypeError, ValueError):
                return False
        return False


def assert_problem(r: requests.Response, status: int) -> dict:
    """An `application/problem+json` error with the contract's fields and headers."""
    assert r.status_code == status, describe(r)
    assert r.headers.get("Content-Type", "").startswith("application/problem+json"), describe(r)
    body = r.json()
    assert body.get("type") == "about:blank", describe(r)
    assert body.get("status") == status, describe(r)
    assert isinstance(body.get("title"), str) and body["title"], describe(r)
    assert isinstance(body.get("detail"), str), describe(r)
    if status == 401:
        assert r.headers.get("WWW-Authenticate"), f"a 401 without WWW-Authenticate: {describe(r)}"
    if status in (429, 503):
        assert re.fullmatch(r"\d+", r.headers.get("Retry-After", "")), f"no Retry-After seconds: {describe(r)}"
    return body


def assert_json(r: requests.Response, status: int = 200) -> dict:
    assert r.status_code == status, describe(r)
    assert "json" in r.headers.get("Content-Type", ""), describe(r)
    return r.json()


ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)")


def parse_timestamp(value) -> datetime:
    assert isinstance(value, str) and ISO_UTC.fullmatch(value), f"not an ISO 8601 UTC timestamp: {value!r}"
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def assert_recent(value, slack: timedelta = timedelta(minutes=5)) -> datetime:
    when = parse_timestamp(value)
    now = datetime.now(timezone.utc)
    assert now - slack <= when <= now + slack, f"{value} is not about now ({now.isoformat()})"
    return when


@dataclass
class Login:
    """A logged-in client: the cookie jar, the CSRF token and the login's answer."""

    server: Server
    session: requests.Session
    body: dict
    response: requests.Response = field(repr=False)

    @property
    def cookie(self) -> str:
        return self.body["session"]["value"]

    @property
    def csrf(self) -> dict:
        return {"X-CSRF-Token": self.body["csrfToken"]}

    def get(self, path: str, **kw) -> requests.Response:
        return self.session.get(self.server.url(path), **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return self.session.post(self.server.url(path), **kw)

    def delete(self, path: str, **kw) -> requests.Response:
        return self.session.delete(self.server.url(path), **kw)

    def handle(self) -> str:
        """This session's handle, from GET /api/session."""
        return assert_json(self.get("/api/session"))["session"]["handle"]


def api_login(server: Server, username: str, password: str, *, session: Optional[requests.Session] = None,
              headers: Optional[dict] = None) -> Login:
    s = session or http()
    r = s.post(server.url("/api/session"), json={"username": username, "password": password}, headers=headers)
    assert r.status_code == 200, f"login as {username} failed: {describe(r)}"
    return Login(server, s, r.json(), r)


def admin_login(server: Server, **kw) -> Login:
    return api_login(server, "admin", server.admin_password, **kw)


def me(server: Server, headers: Optional[dict] = None, session: Optional[requests.Session] = None) -> requests.Response:
    return (session or http()).get(server.url("/api/me"), headers=headers)


def verify(server: Server, headers: Optional[dict] = None) -> requests.Response:
    return http().get(server.url("/auth/verify"), headers=headers)


def create_key(login: Login, name: str = "ci", scopes=("read",), days: int = 30) -> dict:
    r = login.post("/api/keys", json={"name": name, "scopes": list(scopes), "expiresInDays": days}, headers=login.csrf)
    return assert_json(r, 201)


def password_tokens(server: Server, username: str, password: str) -> dict:
    r = http().post(server.url("/api/tokens"), json={"username": username, "password": password})
    return assert_json(r, 200)


# --- HTML ----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict, parent: Optional["Element"]):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list = []

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: Optional[str] = None, **attrs) -> list["Element"]:
        found = []
        for e in self.iter():
            if e is self or (tag and e.tag != tag):
                continue
            if all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                found.append(e)
        return found

    def find(self, tag: Optional[str] = None, **attrs) -> Optional["Element"]:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, id_: str) -> Optional["Element"]:
        return self.find(id=id_)

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def form_csrf(form: Element) -> str:
    field_ = form.find("input", name="csrf_token")
    assert field_ is not None, f"form {form.attrs} has no csrf_token field"
    value = field_.get("value")
    assert value, f"form {form.attrs} has an empty csrf_token"
    return value


def form_with_action(page: Element, action_path: str) -> Optional[Element]:
    for form in page.find_all("form"):
        if urlsplit(form.get("action") or "").path == action_path:
            return form
    return None


def resolve(r: requests.Response) -> str:
    """The absolute URL a redirect points to."""
    return urljoin(r.request.url, r.headers.get("Location", ""))


def page_login(server: Server, username: str, password: str, *, rd: Optional[str] = None,
               session: Optional[requests.Session] = None) -> tuple[requests.Session, requests.Response]:
    """GET /login for the form's CSRF token, then POST /login like a browser without JavaScript."""
    s = session or http()
    page = s.get(server.url("/login"))
    assert page.status_code == 200, describe(page)
    form = parse_html(page.text).by_id("login-form")
    assert form is not None, f"no #login-form on /login: {page.text[:500]}"
    data = {"username": username, "password": password, "csrf_token": form_csrf(form)}
    if rd is not None:
        data["rd"] = rd
    return s, s.post(server.url("/login"), data=data, allow_redirects=False)


# --- JWT and JWKS: ES256 checked by hand (P-256, FIPS 186-4) -----------------------


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_parts(token: str) -> tuple[dict, dict, bytes, bytes]:
    segments = token.split(".")
    assert len(segments) == 3, f"not a compact JWS: {token[:40]}…"
    header = json.loads(b64url_decode(segments[0]))
    claims = json.loads(b64url_decode(segments[1]))
    return header, claims, b64url_decode(segments[2]), f"{segments[0]}.{segments[1]}".encode()


class P256:
    p = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
    a = p - 3
    b = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
         0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)

    @classmethod
    def on_curve(cls, point) -> bool:
        x, y = point
        return 0 <= x < cls.p and 0 <= y < cls.p and (y * y - (x * x * x + cls.a * x + cls.b)) % cls.p == 0

    @classmethod
    def add(cls, P, Q):
        if P is None:
            return Q
        if Q is None:
            return P
        (x1, y1), (x2, y2) = P, Q
        if x1 == x2 and (y1 + y2) % cls.p == 0:
            return None
        if P == Q:
            slope = (3 * x1 * x1 + cls.a) * pow(2 * y1, -1, cls.p) % cls.p
        else:
            slope = (y2 - y1) * pow(x2 - x1, -1, cls.p) % cls.p
        x3 = (slope * slope - x1 - x2) % cls.p
        return x3, (slope * (x1 - x3) - y1) % cls.p

    @classmethod
    def mul(cls, k: int, P):
        result = None
        while k:
            if k & 1:
                result = cls.add(result, P)
            P = cls.add(P, P)
            k >>= 1
        return result

    @classmethod
    def verify(cls, public, message: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        if not (0 < r < cls.n and 0 < s < cls.n):
            return False
        e = int.from_bytes(hashlib.sha256(message).digest(), "big")
        w = pow(s, -1, cls.n)
        X = cls.add(cls.mul(e * w % cls.n, cls.G), cls.mul(r * w % cls.n, public))
        return X is not None and X[0] % cls.n == r


def jwk_point(jwk: dict):
    x, y = b64url_decode(jwk["x"]), b64url_decode(jwk["y"])
    assert len(x) == 32 and len(y) == 32, f"P-256 coordinates are 32 bytes: {jwk}"
    return int.from_bytes(x, "big"), int.from_bytes(y, "big")
