"""Metrics only for the monitoring server's address; JSON logs without personal data."""

import ipaddress
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from kinsight.core.logformat import JsonFormatter

MONITOR = "10.20.30.40"


@pytest.fixture
def monitor_allowed(settings):
    settings.KINSIGHT_METRICS_ALLOWED = [ipaddress.ip_network("10.20.30.0/24")]


def test_metrics_are_refused_while_no_address_is_allowed(client, db):
    response = client.get("/metrics", REMOTE_ADDR=MONITOR)
    assert response.status_code == 403
    assert "KINSIGHT_METRICS_ALLOWED" in response.content.decode()


def test_the_allowed_network_reads_prometheus_metrics(client, db, monitor_allowed):
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR=MONITOR)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in body
    assert 'view="healthz"' in body


def test_metrics_from_another_address_are_refused(client, db, monitor_allowed):
    assert client.get("/metrics", REMOTE_ADDR="10.20.31.1").status_code == 403


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(
    client, db, monitor_allowed, settings
):
    # A client cannot claim the monitor's address itself...
    spoofed = client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=MONITOR)
    assert spoofed.status_code == 403
    # ...but the proxy's word for it counts.
    settings.TRUSTED_PROXIES = {"127.0.0.1"}
    proxied = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=MONITOR)
    assert proxied.status_code == 200


def test_metrics_answer_get_only(client, db, monitor_allowed):
    assert client.post("/metrics", REMOTE_ADDR=MONITOR).status_code == 405


def test_a_bad_allowed_address_stops_start_up():
    env = {**os.environ, "KINSIGHT_DEMO": "true", "KINSIGHT_METRICS_ALLOWED": "10.0.0.300"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "KINSIGHT_METRICS_ALLOWED: '10.0.0.300'" in started.stderr


def logged(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_the_console_logs_through_the_json_formatter():
    formatters = django_settings.LOGGING["formatters"]
    assert formatters["json"]["()"] == "kinsight.core.logformat.JsonFormatter"
    assert django_settings.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_a_request_log_names_its_route_and_user_id_not_its_path(client, login, worker, caplog):
    login(worker)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/personer/191212121212/?sok=19121212-1212")
        client.get("/okand/19121212-1212/")
    entries = logged(caplog)
    assert len(entries) == 2
    text = "\n".join(json.dumps(entry, ensure_ascii=False) for entry in entries)
    for secret in ("1212", "sok", worker.username, worker.first_name, worker.last_name):
        assert secret not in text
    first, second = entries
    assert first["route"] == "personer/<int:pk>/"
    assert (first["status"], first["message"], first["method"]) == (404, "Not Found", "GET")
    assert first["user_id"] == worker.pk
    assert second["route"] == "(unresolved)"


def test_other_messages_lose_personnummer_and_query_strings():
    record = logging.LogRecord(
        "kinsight", logging.ERROR, __file__, 1, "lookup of %s at %s failed", None, None
    )
    record.args = ("19121212-1212 and 8112189876", "https://x.example/a?q=Anna")
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == (
        "lookup of [personnummer] and [personnummer] at https://x.example/a?[query] failed"
    )
    assert entry["level"] == "ERROR" and entry["logger"] == "kinsight"
    assert entry["time"].endswith("+00:00")


def test_an_exception_is_logged_scrubbed():
    try:
        raise ValueError("no person 19121212-1212")
    except ValueError:
        record = logging.LogRecord(
            "kinsight", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: no person [personnummer]" in entry["exception"]
