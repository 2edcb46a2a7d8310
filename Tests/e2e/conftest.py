"""Fixtures for the end-to-end tests of `tessera serve` (docs/serve-contract.md).

- `server`: a fresh `tessera serve` per test, once on SQLite (the default
  store in a fresh data directory) and once on PostgreSQL (a fresh database
  on the server TESSERA_POSTGRES_URL names; skipped when that is unset).
- `make_server`: the same, with extra flags, environment, a shared data
  directory or store, for tests that need several servers or a special
  configuration; `make_sqlite_server` and `sqlite_server` for tests of the
  HTTP layer or the configuration, which no store changes (SQLite unless
  given `store=`).
- `postgres_url`: a fresh PostgreSQL database, not parametrized.

Each server listens on a free port of 127.0.0.1, hashes passwords cheaply
(`--scrypt-log-n 10`), is ready when GET /healthz answers 200 and is
stopped with SIGTERM at teardown, which must end it with status 0.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import pytest

from tessera_e2e import PostgresDatabase, Server, free_port, require_tool, tessera_bin

POSTGRES_UNSET = (
    "TESSERA_POSTGRES_URL is not set: the PostgreSQL store is not tested "
    "(set it to postgres://USER:PASS@127.0.0.1:PORT/DB of a throwaway server whose user may CREATE DATABASE, "
    "or run scripts/with-postgres.sh scripts/test-e2e.sh)"
)

_DEFAULT = object()


def pytest_sessionstart(session):
    binary = tessera_bin()
    if not os.access(binary, os.X_OK):
        raise pytest.UsageError(f"no tessera binary at {binary}: build it (swift build) or set TESSERA_BIN")


class ServerPool:
    """Servers started by one test; all stopped (SIGTERM, status 0 required) at its end."""

    def __init__(self, tmp_path: Path, node):
        self.tmp_path = tmp_path
        self.servers: list[Server] = []
        self._count = 0
        node._tessera_servers = self.servers

    def make(self, *, store: Optional[str], args=(), env=None, data_dir: Optional[Path] = None,
             port: Optional[int] = None, pass_port: bool = True, pass_data_dir: bool = True,
             expect_admin_password: bool = True, ready_timeout: float = 60) -> Server:
        """Start a server. `args` may contain "{port}", replaced by the server's port."""
        port = port or free_port()
        if data_dir is None:
            self._count += 1
            data_dir = self.tmp_path / f"data-{self._count}"
        server = Server(data_dir=data_dir, store=store, port=port,
                        args=[a.replace("{port}", str(port)) for a in args],
                        env={k: v.replace("{port}", str(port)) for k, v in (env or {}).items()},
                        pass_port=pass_port, pass_data_dir=pass_data_dir)
        self.servers.append(server)
        return server.start(expect_admin_password=expect_admin_password, ready_timeout=ready_timeout)

    def stop_all(self) -> list[str]:
        problems = []
        for server in reversed(self.servers):
            already = server.returncode is not None
            status = server.stop()
            if status != 0 and not already:
                problems.append(f"{' '.join(server.command())}: exit status {status} after SIGTERM (contract: 0)\n"
                                f"output:\n{server.output_text()[-4000:]}")
        return problems


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database (dropped afterwards)."""
    admin_url = os.environ.get("TESSERA_POSTGRES_URL")
    if not admin_url:
        pytest.skip(POSTGRES_UNSET)
    require_tool("psql", "it creates a fresh database for each server")
    database = PostgresDatabase(admin_url).create()
    yield database.url
    database.drop()


@pytest.fixture
def optional_postgres_url():
    """A fresh PostgreSQL database, or None when TESSERA_POSTGRES_URL is unset."""
    if not os.environ.get("TESSERA_POSTGRES_URL"):
        yield None
        return
    require_tool("psql", "it creates a fresh database for each server")
    database = PostgresDatabase(os.environ["TESSERA_POSTGRES_URL"]).create()
    yield database.url
    database.drop()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request):
    """None for the SQLite store in the data directory, or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        yield None
    else:
        yield request.getfixturevalue("postgres_url")


def _pool_fixture(request, tmp_path, default_store):
    pool = ServerPool(tmp_path, request.node)

    def make(*, store=_DEFAULT, **kw) -> Server:
        return pool.make(store=default_store if store is _DEFAULT else store, **kw)

    make.pool = pool
    return pool, make


@pytest.fixture
def make_server(request, tmp_path, store):
    pool, make = _pool_fixture(request, tmp_path, store)
    yield make
    problems = pool.stop_all()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def make_sqlite_server(request, tmp_path):
    pool, make = _pool_fixture(request, tmp_path, None)
    yield make
    problems = pool.stop_all()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def server(make_server) -> Server:
    """A fresh server, once per store."""
    return make_server()


@pytest.fixture
def sqlite_server(make_sqlite_server) -> Server:
    """A fresh server on SQLite only, for behaviour of the HTTP layer that no store changes."""
    return make_sqlite_server()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        for i, server in enumerate(getattr(item, "_tessera_servers", [])):
            tail = "\n".join(server.output.lines()[-60:]) if server.output else ""
            report.sections.append((f"tessera serve #{i + 1} on :{server.port} (last lines)", tail))
    return report
