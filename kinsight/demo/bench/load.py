"""The bench's load client and server: gunicorn in a child process, Python threads
with http.client that sign in through the login form and time GETs.

Used by `manage.py bench` (kinsight/demo/management/commands/bench.py). Each thread
keeps its connection open between requests (HTTP/1.1 keep-alive); gunicorn's sync
workers close it after every response, so against them each request opens a new
connection (about 0.1 ms on 127.0.0.1), the bare page's requests alike.
"""

import http.client
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings

LOGIN_PATH = "/konto/logga-in/"
BARE_PATH = "/healthz"
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class BenchError(RuntimeError):
    pass


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list (`fraction` 0.5 is the median)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values):
    """p50, p95 and count of timings in ms, rounded for printing and JSON."""
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "n": len(values),
    }


class HttpClient:
    """One connection, cookies per signed-in user kept by the caller."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=120)

    def request(self, method, path, *, cookies=None, body=None, headers=None):
        """(status, response headers, body, milliseconds), the body read to its end."""
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        for attempt in (1, 2):
            begin = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server closed a kept-alive connection between requests: once more.
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - begin) * 1000
            if response.will_close:
                self.connection.close()  # the next request reconnects
            return response.status, response.headers, data, elapsed
        raise AssertionError("unreachable")

    def get(self, path, cookies=None, headers=None):
        return self.request("GET", path, cookies=cookies, headers=headers)

    def close(self):
        self.connection.close()


def _cookies(headers, into):
    for raw in headers.get_all("Set-Cookie") or []:
        name, _, value = raw.split(";", 1)[0].partition("=")
        into[name.strip()] = value.strip()
    return into


def sign_in(client, username, password):
    """Sign in through the login form (password step; two-factor off as in the demo).
    Returns the cookies of the new session."""
    status, headers, body, _ms = client.get(LOGIN_PATH)
    cookies = _cookies(headers, {})
    match = _CSRF_FIELD.search(body.decode())
    if status != 200 or not match:
        raise BenchError(f"login page answered {status} without a form")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": match[1]}
    )
    status, headers, _body, _ms = client.request(
        "POST",
        LOGIN_PATH,
        cookies=cookies,
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    _cookies(headers, cookies)
    if status != 302 or headers.get("Location", "").startswith(LOGIN_PATH[:7]):
        raise BenchError(
            f"{username} was not signed in (answer {status}, to {headers.get('Location')}); "
            "the bench needs KINSIGHT_OTP_REQUIRED=false and users without a TOTP device"
        )
    return cookies


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app="config.wsgi:application", *, workers=2, threads=1):
    """Serve `app` on a free local port; yields (host, port). threads > 1 makes
    gunicorn use its gthread worker, else the sync worker."""
    port = _free_port()
    env = {**os.environ, "KINSIGHT_OTP_REQUIRED": "false"}
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads)]
    command += ["--timeout", "300", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603 - our own argv
    try:
        _wait_until_up(process, port)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(process, port, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn stopped with exit code {process.returncode}")
        try:
            client = HttpClient("127.0.0.1", port)
            if client.get(BARE_PATH)[0] == 200:
                client.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {BARE_PATH} within {seconds} s")


@dataclass
class Worker:
    """One load thread's connection and its sessions (one per user)."""

    client: HttpClient
    sessions: dict = field(default_factory=dict)


def workers_for(address, count, users, password):
    """`count` connections, each signed in as every one of `users` (its own sessions,
    as separate people at separate desks would have)."""
    workers = []
    for _index in range(count):
        worker = Worker(HttpClient(*address))
        for username in users:
            worker.sessions[username] = sign_in(worker.client, username, password)
        workers.append(worker)
    return workers


def _run_threads(workers, target):
    errors = []

    def guarded(worker):
        try:
            target(worker)
        except Exception as error:  # noqa: BLE001 - reported after the threads end
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise BenchError(f"{len(errors)} load thread(s) failed: {errors[0]}")


def run_interleaved(workers, jobs):
    """Run `jobs` ((key, path, username or None), in order) on all workers at once,
    each taking the next job from one queue. Returns {key: [ms, …]}; a key of None
    is a warm-up, not recorded. Any answer other than 200 fails the run."""
    pending = queue.SimpleQueue()
    for job in jobs:
        pending.put(job)
    timings, lock = {}, threading.Lock()

    def drain(worker):
        while True:
            try:
                key, path, username = pending.get_nowait()
            except queue.Empty:
                return
            status, _h, _b, elapsed = worker.client.get(path, worker.sessions.get(username))
            if status != 200:
                raise BenchError(f"{path} answered {status}")
            if key is not None:
                with lock:
                    timings.setdefault(key, []).append(elapsed)

    _run_threads(workers, drain)
    return timings


def run_for(workers, path, username, seconds, headers=None):
    """Every worker reads `path` as fast as it is answered for `seconds`. Returns
    (answers, [ms, …])."""
    deadline = time.perf_counter() + seconds
    timings, lock = [], threading.Lock()

    def loop(worker):
        mine = []
        while time.perf_counter() < deadline:
            status, _h, _b, elapsed = worker.client.get(
                path, worker.sessions.get(username), headers
            )
            if status != 200:
                raise BenchError(f"{path} answered {status}")
            mine.append(elapsed)
        with lock:
            timings.extend(mine)

    _run_threads(workers, loop)
    return len(timings), timings


class LockSampler:
    """Samples pg_stat_activity every `interval` seconds in a thread of its own (its
    own connection): how many of the database's client backends are running a
    statement, how many wait for a lock, and how many of those wait in a statement on
    the audit chain head (its row lock). PostgreSQL only."""

    QUERY = """
        SELECT count(*) FILTER (WHERE state = 'active'),
               count(*) FILTER (WHERE wait_event_type = 'Lock'),
               count(*) FILTER (WHERE wait_event_type = 'Lock' AND query LIKE %s)
        FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND backend_type = 'client backend'
    """

    def __init__(self, interval=0.01):
        self.interval = interval
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self._stop.is_set():
                    cursor.execute(self.QUERY, ["%audit_auditchainhead%"])
                    self.samples.append(cursor.fetchone())
                    time.sleep(self.interval)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def result(self):
        return lock_summary(self.samples)


def lock_summary(samples):
    """Means over LockSampler samples (active, waiting for a lock, waiting on the
    chain head) and the share of samples where someone waited on the head."""
    if not samples:
        return {}
    count = len(samples)
    active, waiting, on_head = (sum(column) / count for column in zip(*samples, strict=True))
    return {
        "samples": count,
        "mean_active": round(active, 2),
        "mean_waiting_for_lock": round(waiting, 2),
        "mean_waiting_for_chain_head": round(on_head, 2),
        "share_with_chain_head_wait": round(sum(1 for s in samples if s[2]) / count, 3),
    }
