"""Forward auth with a real nginx: `auth_request /auth/verify` in front of a
backend that learns the user from `X-Tessera-User` (docs/serve-contract.md,
"Forward auth").

nginx runs unprivileged-style from a temporary prefix: its own config, pid
file, logs and temp paths, `daemon off`, stopped at teardown.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import requests

from tessera_e2e import (
    admin_login, bearer, create_key, describe, free_port, http, password_tokens, require_tool,
)

NGINX_CONF = """
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
{user}
events {{ worker_connections 64; }}

http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;

    # The protected site.
    server {{
        listen 127.0.0.1:{port};

        location = /_tessera_verify {{
            internal;
            proxy_pass http://127.0.0.1:{tessera}/auth/verify;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
        }}

        location /app/ {{
            auth_request /_tessera_verify;
            auth_request_set $tessera_user $upstream_http_x_tessera_user;
            auth_request_set $tessera_method $upstream_http_x_tessera_method;
            proxy_set_header X-Tessera-User $tessera_user;
            proxy_set_header X-Tessera-Method $tessera_method;
            proxy_pass http://127.0.0.1:{backend};
        }}
    }}

    # The backend: tells who nginx says the user is.
    server {{
        listen 127.0.0.1:{backend};
        location / {{
            default_type text/plain;
            return 200 "user=$http_x_tessera_user method=$http_x_tessera_method\\n";
        }}
    }}
}}
"""


@pytest.fixture
def nginx(server, tmp_path):
    """nginx on a free port whose /app/ is protected by `server`'s /auth/verify; yields its base URL."""
    binary = require_tool("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "nginx", "the forward-auth tests run nginx")
    prefix = tmp_path / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    port, backend = free_port(), free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=prefix, port=port, backend=backend, tessera=server.port,
                                      user="user root;" if os.geteuid() == 0 else ""))
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"

    def log() -> str:
        error_log = prefix / "error.log"
        return error_log.read_text(errors="replace")[-3000:] if error_log.exists() else ""

    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None:
            pytest.fail(f"nginx exited with {proc.returncode}:\n{proc.stdout.read()}\n{log()}", pytrace=False)
        try:
            requests.get(f"http://127.0.0.1:{backend}/", timeout=1)
            requests.get(base + "/", timeout=1)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"nginx did not listen within 20 s:\n{log()}", pytrace=False)
            time.sleep(0.05)
    yield base
    proc.send_signal(signal.SIGQUIT)  # graceful
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def test_forward_auth_nginx_protects_a_location_with_the_session_cookie(server, nginx):
    client = http()
    r = client.get(nginx + "/app/hello")
    assert r.status_code == 401, describe(r)

    login = admin_login(server, session=client)  # the cookie is for 127.0.0.1, whatever the port
    r = client.get(nginx + "/app/hello")
    assert r.status_code == 200, describe(r)
    assert r.text.strip() == "user=admin method=session", r.text

    assert login.delete("/api/session", headers=login.csrf).status_code == 204
    r = http().get(nginx + "/app/hello", headers={"Cookie": f"tessera_session={login.cookie}"})
    assert r.status_code == 401, f"the logged-out cookie still passes nginx: {describe(r)}"


def test_forward_auth_nginx_accepts_bearer_tokens_and_api_keys(server, nginx):
    login = admin_login(server)
    key = create_key(login, "proxy", ["read"])
    jwt = password_tokens(server, "admin", server.admin_password)["access_token"]

    r = http().get(nginx + "/app/", headers={"X-API-Key": key["key"]})
    assert r.status_code == 200 and r.text.strip() == "user=admin method=api-key", describe(r)
    r = http().get(nginx + "/app/", headers=bearer(jwt))
    assert r.status_code == 200 and r.text.strip() == "user=admin method=jwt", describe(r)

    assert login.delete(f"/api/keys/{key['id']}", headers=login.csrf).status_code == 204
    assert http().get(nginx + "/app/", headers={"X-API-Key": key["key"]}).status_code == 401
    assert http().get(nginx + "/app/", headers=bearer(jwt + "x")).status_code == 401
