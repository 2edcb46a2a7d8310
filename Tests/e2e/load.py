"""Steady HTTP load for the fault and soak tests: threads, each with its own
keep-alive connection, sending requests in turn and recording every answer
with the moments it was sent and answered."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Callable, Optional

import requests

from tessera_e2e import http


def bare_http() -> requests.Session:
    """A client on one keep-alive connection that never stores or sends cookies of
    its own: every credential a load request carries is the one it names."""
    s = http()
    s.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return s


@dataclass(frozen=True)
class Target:
    """One request of the load: a label for the report, a URL, its headers."""

    label: str
    url: str
    headers: dict


@dataclass(frozen=True)
class Sample:
    """One request as the client saw it (time.monotonic() seconds)."""

    target: Target
    sent: float
    answered: float
    status: Optional[int]  # None when no HTTP answer came
    error: Optional[str]   # the exception's name when no answer came


class Load:
    """`threads` threads, each on its own connection, GETting the targets
    round robin (each thread from its own offset) until `stop()`."""

    def __init__(self, targets: list[Target], threads: int = 8, timeout: float = 20,
                 pause: float = 0.0, choose: Optional[Callable[[int, int], Target]] = None):
        self.targets = list(targets)
        self.timeout = timeout
        self.pause = pause
        self._choose = choose
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._samples: list[Sample] = []
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def start(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Sample]:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout + 10)
        assert not any(t.is_alive() for t in self._threads), "a load thread did not finish"
        return self.samples()

    def samples(self) -> list[Sample]:
        with self._lock:
            return list(self._samples)

    def _target(self, worker: int, n: int) -> Target:
        if self._choose:
            return self._choose(worker, n)
        return self.targets[(worker * 7 + n) % len(self.targets)]

    def _run(self, worker: int) -> None:
        client = bare_http()
        n = 0
        while not self._stop.is_set():
            target = self._target(worker, n)
            n += 1
            sent = time.monotonic()
            try:
                r = client.get(target.url, headers=target.headers, timeout=self.timeout)
                sample = Sample(target, sent, time.monotonic(), r.status_code, None)
            except requests.RequestException as error:
                sample = Sample(target, sent, time.monotonic(), None, type(error).__name__)
                client.close()
                client = bare_http()
            with self._lock:
                self._samples.append(sample)
            if self.pause:
                time.sleep(self.pause)
        client.close()


class OpenLoop:
    """Open-loop probes: every `interval` seconds a new request, on a connection
    of its own, to the next target, whether or not earlier ones have been
    answered; so requests go out evenly even while the server is slow to
    answer (a closed loop sends nothing while its requests wait)."""

    def __init__(self, targets: list[Target], interval: float = 0.1, timeout: float = 20):
        self.targets = list(targets)
        self.interval = interval
        self.timeout = timeout
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._samples: list[Sample] = []
        self._probes: list[threading.Thread] = []
        self._dispatcher = threading.Thread(target=self._dispatch, daemon=True)

    def start(self) -> "OpenLoop":
        self._dispatcher.start()
        return self

    def stop(self) -> list[Sample]:
        self._stop.set()
        self._dispatcher.join(5)
        for probe in self._probes:
            probe.join(self.timeout + 10)
        assert not any(p.is_alive() for p in self._probes), "a probe did not finish"
        with self._lock:
            return list(self._samples)

    def _dispatch(self) -> None:
        n = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            probe = threading.Thread(target=self._probe, args=(self.targets[n % len(self.targets)],), daemon=True)
            probe.start()
            self._probes.append(probe)
            n += 1
            next_at += self.interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def _probe(self, target: Target) -> None:
        client = bare_http()
        sent = time.monotonic()
        try:
            r = client.get(target.url, headers=target.headers, timeout=self.timeout)
            sample = Sample(target, sent, time.monotonic(), r.status_code, None)
        except requests.RequestException as error:
            sample = Sample(target, sent, time.monotonic(), None, type(error).__name__)
        finally:
            client.close()
        with self._lock:
            self._samples.append(sample)


def tally(samples: list[Sample]) -> str:
    """`200: 812, 503: 97, ConnectionError: 2`: statuses and errors, most frequent first."""
    counts: dict[str, int] = {}
    for s in samples:
        key = str(s.status) if s.status is not None else s.error or "no answer"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) or "none"
