"""contrib/: the nginx site passes `nginx -t` and serves the app (gunicorn) through
it, the systemd units pass `systemd-analyze verify`, the compose file validates.

The files are tested as shipped, with only the site's paths (certificate, code,
virtualenv, ports) pointed at this checkout and a temporary directory."""

import fcntl
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRIB = ROOT / "contrib"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


def site_config(tmp: Path, app_port: int, http_port: int, https_port: int) -> Path:
    """nginx.conf around contrib/nginx/kinsight.conf, the site's paths replaced."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    made = run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=kinsight.example.org", "-keyout", str(key), "-out", str(cert),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    shutil.copy(CONTRIB / "nginx" / "kinsight_proxy.conf", tmp / "kinsight_proxy.conf")
    site = (CONTRIB / "nginx" / "kinsight.conf").read_text()
    for old, new in [
        ("/etc/ssl/kinsight/fullchain.pem", str(cert)),
        ("/etc/ssl/kinsight/privkey.pem", str(key)),
        ("/srv/kinsight/app/", f"{ROOT}/"),
        ("/etc/nginx/kinsight_proxy.conf", str(tmp / "kinsight_proxy.conf")),
        ("/var/log/nginx/", f"{tmp}/"),
        ("127.0.0.1:8000", f"127.0.0.1:{app_port}"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    (tmp / "kinsight.conf").write_text(site)
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"user root;\ndaemon off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        "events {}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;\n"
        f" fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;\n"
        f" include {tmp}/kinsight.conf;\n}}\n"
    )
    return conf


def wait_for(port: int, process: subprocess.Popen) -> None:
    for _ in range(150):
        assert process.poll() is None, process.communicate()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def fetch(port: int, path: str) -> http.client.HTTPResponse:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    connection.request("GET", path, headers={"Host": "kinsight.example.org"})
    response = connection.getresponse()
    response.read()
    return response


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn (demo settings) behind nginx as contrib/ configures them."""
    tmp = tmp_path_factory.mktemp("nginx")
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    conf = site_config(tmp, app_port, http_port, https_port)
    checked = run("nginx", "-t", "-c", str(conf), "-p", str(tmp))
    assert checked.returncode == 0, checked.stderr
    env = {
        **os.environ,
        "KINSIGHT_DEMO": "true",
        "ALLOWED_HOSTS": "kinsight.example.org",
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
    }
    # One collectstatic at a time (the test workers share the checkout's staticfiles/).
    with open(Path(tempfile.gettempdir()) / "kinsight-collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind",
         f"127.0.0.1:{app_port}", "--workers", "1", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    nginx = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(tmp)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_for(app_port, gunicorn)
        wait_for(https_port, nginx)
        yield {"https": https_port, "http": http_port, "log": tmp / "kinsight.access.log"}
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
            process.wait(timeout=30)


def test_the_app_answers_through_nginx_with_each_security_header_once(served):
    response = fetch(served["https"], "/tillganglighet/?fraga=19121212-1212")
    assert response.status == 200
    headers = [name.lower() for name, _value in response.getheaders()]
    for name in (
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cache-control",
    ):
        assert headers.count(name) == 1, name
    assert response.getheader("Server") == "nginx"  # server_tokens off: no version


def test_nginx_serves_the_static_files_with_nosniff(served):
    response = fetch(served["https"], "/static/ui/kinsight.css")
    assert response.status == 200
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "max-age=604800" in response.getheader("Cache-Control")


def test_plain_http_is_redirected_to_https(served):
    connection = http.client.HTTPConnection("127.0.0.1", served["http"], timeout=30)
    connection.request("GET", "/tillganglighet/", headers={"Host": "kinsight.example.org"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://kinsight.example.org/tillganglighet/"


def test_the_access_log_has_no_query_strings(served):
    fetch(served["https"], "/tillganglighet/?fraga=19121212-1212")
    log = served["log"].read_text()
    assert '"GET /tillganglighet/ HTTP/' in log
    assert "1212" not in log and "fraga" not in log


def test_metrics_are_refused_by_nginx_from_elsewhere(served):
    # nginx lets 127.0.0.1 through (the monitoring host's address goes there), and
    # Django refuses it while KINSIGHT_METRICS_ALLOWED is unset.
    assert fetch(served["https"], "/metrics").status == 403


def test_the_systemd_units_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    for unit in (CONTRIB / "systemd").iterdir():
        text = unit.read_text()
        for old, new in [
            ("/usr/local/bin/", f"{CONTRIB}/bin/"),
            ("/srv/kinsight/venv/bin/", f"{VENV_BIN}/"),
            ("/srv/kinsight/app", str(ROOT)),
        ]:
            text = text.replace(old, new)
        (tmp_path / unit.name).write_text(text)
    units = sorted(path.name for path in tmp_path.iterdir())
    for job in (
        "audit-partitions",
        "audit-checkpoint",
        "audit-verify",
        "clearsessions",
        "rollup",
        "rollup-running",
        "backup",
    ):
        assert {f"kinsight-{job}.service", f"kinsight-{job}.timer"} <= set(units)
    assert {"kinsight.service", "kinsight-worker.service"} <= set(units)
    verified = run("systemd-analyze", "verify", "--man=no", *units, cwd=tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert "Unknown" not in verified.stderr, verified.stderr


def test_the_compose_file_validates(tmp_path):
    if shutil.which("docker-compose"):
        command = ["docker-compose"]
    elif shutil.which("docker") and run("docker", "compose", "version").returncode == 0:
        command = ["docker", "compose"]
    else:
        pytest.skip("neither docker-compose nor docker's compose plugin is installed")
    shutil.copytree(CONTRIB, tmp_path / "contrib")
    secrets = tmp_path / "contrib" / "secrets"
    secrets.mkdir(exist_ok=True)
    for name in ("secret_key", "audit_key", "database_url", "database_url_owner",
                 "db_owner_password", "db_app_password"):  # fmt: skip
        (secrets / name).write_text("test\n")
    checked = run(*command, "-f", "contrib/compose.yaml", "config", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    for service in ("db:", "migrate:", "grants:", "web:", "worker:"):
        assert f"  {service}" in checked.stdout
