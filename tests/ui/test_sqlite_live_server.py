"""The SQLite demo under parallel requests: a real server process on a file database,
as bin/demo runs it, with one user's page loads overlapping their htmx requests.

Every request writes (the audit row). With SQLite's default deferred transactions two
overlapping writers failed at once with "database is locked" (7 of 40 requests with 2
in parallel, 29 of 40 with 8); the settings' IMMEDIATE transactions make them wait.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARALLEL = 8
REQUESTS = 48


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}: {result.stderr[-2000:]}"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url, process):
    for _attempt in range(300):
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stderr.read().decode()}")
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - our own local server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


class Browser:
    """One signed-in user: a cookie jar shared by parallel requests, as a browser's tabs
    and htmx requests share one session."""

    def __init__(self, base):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def get(self, path, **headers):
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, username, password):
        _status, _page = self.get("/konto/logga-in/")
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own local server
            self.base + "/konto/logga-in/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=60) as response:
            assert "/konto/logga-in/" not in response.url, "sign-in failed"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A server started like bin/demo: demo settings, collected static files served by
    WhiteNoise, a SQLite file, generated demo data."""
    database = tmp_path_factory.mktemp("live") / "demo.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KINSIGHT_DEMO": "true",
        "KINSIGHT_OTP_REQUIRED": "false",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    _manage(env, "migrate", "-v", "0")
    _manage(env, "generate", "--persons", "400", "-v", "0")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_parallel_requests_of_one_user_never_answer_5xx(demo_server):
    browser = Browser(demo_server)
    browser.login("handlaggare", "demo-kinsight-2026")
    status, cases_page = browser.get("/arenden/")
    assert status == 200
    case_urls = sorted(set(re.findall(r'href="(/arenden/\d+/)"', cases_page)))[:4]
    assert case_urls, "the demo worker has cases"
    paths = [*case_urls, "/att-gora/", "/"]
    htmx = {"HX-Request": "true"}

    def one(index):
        if index % 2:
            return browser.get("/att-gora/antal/", **htmx)
        return browser.get(paths[index % len(paths)])

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        statuses = [status for status, _body in pool.map(one, range(REQUESTS))]
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}


def test_the_demo_serves_its_static_files_and_swedish_404_without_debug(demo_server):
    browser = Browser(demo_server)
    status, page = browser.get("/konto/logga-in/")
    assert status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), "hashed name from the manifest"
    assert browser.get(stylesheet)[0] == 200
    browser.login("handlaggare", "demo-kinsight-2026")
    status, page = browser.get("/finns-inte/")
    assert status == 404
    assert "Sidan finns inte" in page and "URLconf" not in page
