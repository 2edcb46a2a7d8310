"""Concurrency over real HTTP (issue 8, "Concurrency"), on SQLite and on PostgreSQL:

- 100 clients, each on its own connection, change one session at the same
  moment, each a key of its own: no update is lost.
- 50 parallel refreshes of one refresh token, inside the grace window, all
  succeed with one and the same successor; a replay of the original after
  the window is refused and revokes the family, successor included.
"""

from __future__ import annotations

import threading
import time

from load import bare_http
from tessera_e2e import admin_login, assert_json, assert_problem, describe, password_tokens

CLIENTS = 100
REFRESHES = 50
GRACE_SECONDS = 3  # --refresh-grace-seconds: short, so the test need not wait out the default 30 s


def run_together(count: int, action) -> list:
    """Runs `action(i)` on `count` threads released at once by a barrier; returns
    each result, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int):
        try:
            barrier.wait(timeout=30)
            results[i] = action(i)
        except Exception as error:  # reported by the caller with the index
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert not any(t.is_alive() for t in threads), "a client thread did not finish"
    return results


def test_100_clients_change_one_session_and_no_update_is_lost(server):
    login = admin_login(server)
    headers = {**login.csrf, "Cookie": f"{login.body['session']['name']}={login.cookie}"}
    clients = [bare_http() for _ in range(CLIENTS)]
    for client in clients:  # one connection each, open before the barrier
        assert client.get(server.url("/healthz")).status_code == 200

    def change(i: int):
        return clients[i].patch(server.url("/api/session/data"), json={f"client-{i:03d}": i}, headers=headers, timeout=60)

    started = time.monotonic()
    results = run_together(CLIENTS, change)
    elapsed = time.monotonic() - started
    failed = [(i, r if isinstance(r, Exception) else describe(r)) for i, r in enumerate(results)
              if isinstance(r, Exception) or r.status_code != 200]
    assert not failed, f"{len(failed)} of {CLIENTS} changes failed: {failed[:5]}"
    for i, r in enumerate(results):
        assert r.json()["data"].get(f"client-{i:03d}") == i, f"client {i}'s answer lacks its own change: {describe(r)}"

    data = assert_json(login.get("/api/session/data"))["data"]
    lost = sorted(set(f"client-{i:03d}" for i in range(CLIENTS)) - set(data))
    assert not lost, f"{len(lost)} of {CLIENTS} concurrent changes lost ({elapsed:.2f} s): {lost[:10]}"
    assert data == {f"client-{i:03d}": i for i in range(CLIENTS)}
    # The session itself survived the contention.
    assert assert_json(login.get("/api/me"))["method"] == "session"
    for client in clients:
        client.close()


def test_50_parallel_refreshes_share_one_successor_and_a_late_replay_kills_the_family(make_server):
    server = make_server(args=["--refresh-grace-seconds", str(GRACE_SECONDS)])
    original = password_tokens(server, "admin", server.admin_password)["refresh_token"]
    clients = [bare_http() for _ in range(REFRESHES)]
    for client in clients:
        assert client.get(server.url("/healthz")).status_code == 200

    def refresh(i: int):
        return clients[i].post(server.url("/api/tokens/refresh"), json={"refresh_token": original}, timeout=60)

    started = time.monotonic()
    results = run_together(REFRESHES, refresh)
    burst = time.monotonic() - started
    failed = [(i, r if isinstance(r, Exception) else describe(r)) for i, r in enumerate(results)
              if isinstance(r, Exception) or r.status_code != 200]
    assert not failed, f"{len(failed)} of {REFRESHES} refreshes inside the grace window failed (burst took {burst:.2f} s): {failed[:5]}"
    successors = {r.json()["refresh_token"] for r in results}
    assert len(successors) == 1, f"{REFRESHES} refreshes of one token gave {len(successors)} different successors"
    successor = successors.pop()
    assert successor != original
    # Each got a working access token.
    for r in results[:5]:
        me = clients[0].get(server.url("/api/me"), headers={"Authorization": f"Bearer {r.json()['access_token']}"})
        assert me.status_code == 200, describe(me)

    # After the window, the original again: theft detected, the family dies.
    time.sleep(max(0.0, started + GRACE_SECONDS + 1.5 - time.monotonic()))
    replay = clients[0].post(server.url("/api/tokens/refresh"), json={"refresh_token": original})
    assert_problem(replay, 401)
    revoked = clients[1].post(server.url("/api/tokens/refresh"), json={"refresh_token": successor})
    assert_problem(revoked, 401)
    for client in clients:
        client.close()
