"""Health check, settings guard, security headers, language, error pages."""

import subprocess
import sys
from unittest import mock

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch.object(connection, "cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


# A configuration that production accepts; each test spoils one part of it.
GOOD_PRODUCTION = {
    "SECRET_KEY": "q7Vd-3kLz9_PmX2rTf8WbN4hYc6JsA1uE0oGiRnQwKe5tHyU",
    "ALLOWED_HOSTS": "kinsight.example.org",
    "DATABASE_URL": "postgres://kinsight@db.example.org/kinsight",
}


def _run(code, env):
    """Run ``code`` in a fresh interpreter with only ``env``; return (exit code, output)."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def _settings_load(env):
    """Import the settings with ``env`` (nothing else set); return (code, output)."""
    return _run("import config.settings", env)


def test_with_no_environment_at_all_the_settings_are_production_and_refuse():
    code, output = _settings_load({})
    assert code != 0
    assert "Production settings refused" in output
    assert "SECRET_KEY must be set" in output
    assert "ALLOWED_HOSTS" in output
    assert "DATABASE_URL must name a PostgreSQL database" in output


def test_manage_py_check_and_the_wsgi_application_refuse_without_environment():
    for code_text in (
        "import sys; sys.argv=['manage.py','check']; exec(open('manage.py').read())",
        "import config.wsgi",
    ):
        code, output = _run(code_text, {})
        assert code != 0
        assert "Production settings refused" in output


def test_production_settings_refuse_debug_and_no_two_factor():
    code, output = _settings_load(
        {**GOOD_PRODUCTION, "DEBUG": "true", "KINSIGHT_OTP_REQUIRED": "false"}
    )
    assert code != 0
    assert "DEBUG must be off" in output and "two-factor" in output


def test_production_settings_accept_a_proper_configuration(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(GOOD_PRODUCTION["SECRET_KEY"])
    audit_key = tmp_path / "audit.key"
    audit_key.write_text("0123456789abcdef" * 4)
    env = {**GOOD_PRODUCTION, "SECRET_KEY_FILE": str(secret)}
    env["KINSIGHT_AUDIT_KEY_FILE"] = str(audit_key)
    env["KINSIGHT_AUDIT_CHECKPOINT_FILE"] = str(tmp_path / "audit-checkpoints.jsonl")
    del env["SECRET_KEY"]
    code, output = _settings_load(env)
    assert code == 0, output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DATABASE_URL": ""}, "DATABASE_URL must name a PostgreSQL database"),
        ({"DATABASE_URL": "sqlite:////tmp/k.sqlite3"}, "DATABASE_URL must name a PostgreSQL"),
        ({"ALLOWED_HOSTS": "*"}, "not a wildcard"),
        ({"ALLOWED_HOSTS": "kinsight.example.org,*"}, "not a wildcard"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY must be set to a random value"),
        ({"SECRET_KEY": "abcabcabcabc" * 5}, "SECRET_KEY must be set to a random value"),
        ({"KINSIGHT_LOGIN_FAILURE_LIMIT": "0"}, "KINSIGHT_LOGIN_FAILURE_LIMIT must be between"),
        ({"KINSIGHT_LOGIN_FAILURE_LIMIT": "1000"}, "KINSIGHT_LOGIN_FAILURE_LIMIT must be"),
        ({"KINSIGHT_LOGIN_LOCKOUT_MINUTES": "0"}, "KINSIGHT_LOGIN_LOCKOUT_MINUTES must be"),
        ({"KINSIGHT_SESSION_IDLE_MINUTES": "100000"}, "KINSIGHT_SESSION_IDLE_MINUTES must be"),
    ],
)
def test_production_settings_refuse_unsafe_values(change, message):
    code, output = _settings_load({**GOOD_PRODUCTION, **change})
    assert code != 0
    assert message in output


def test_the_demo_runs_with_debug_off():
    code, output = _run(
        "import config.settings as s; print('DEBUG', s.DEBUG, s.STORAGES['staticfiles'])",
        {"KINSIGHT_DEMO": "true"},
    )
    assert code == 0, output
    assert "DEBUG False" in output
    assert "ManifestStaticFilesStorage" in output


def test_a_malformed_boolean_fails_loudly():
    code, output = _settings_load({"KINSIGHT_DEMO": "kanske"})
    assert code != 0 and "KINSIGHT_DEMO must be true or false" in output


def test_pages_and_api_answers_are_not_stored_by_browsers_or_proxies(client, login, administrator):
    login(administrator)
    for url in ("/", "/personal/", "/api/v1/staff/", "/konto/logga-in/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_an_unknown_url_never_shows_the_debug_page_listing_urls(client, login, administrator):
    login(administrator)
    page = client.get("/finns-inte/").content.decode()
    assert "Sidan finns inte" in page
    assert "URLconf" not in page and "api/v1/" not in page


def test_pages_carry_security_headers(client, login, administrator):
    login(administrator)
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_ui_is_swedish_by_default_and_english_on_request(client, login, administrator):
    login(administrator)
    assert "Hoppa till innehållet" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Skip to content" in page


def test_every_page_shows_the_demo_banner_in_demo_mode(client, settings):
    settings.DEMO = True
    assert "DEMO" in client.get("/konto/logga-in/").content.decode()


def test_an_unknown_url_gets_the_swedish_404_page(client, login, administrator):
    login(administrator)
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_pages_need_a_signed_in_user(client):
    response = client.get("/organisation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_htmx_requests_are_sent_to_login_with_a_full_page_load(client):
    response = client.get("/personal/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/konto/logga-in/")


def test_an_english_browser_still_gets_swedish(client):
    page = client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="sv"' in page.content.decode()


def test_production_settings_refuse_login_without_rate_limit():
    code, output = _settings_load({**GOOD_PRODUCTION, "KINSIGHT_LOGIN_RATE_LIMIT": "false"})
    assert code != 0 and "KINSIGHT_LOGIN_RATE_LIMIT" in output


def test_an_english_request_does_not_leave_the_thread_in_english(client, login, administrator):
    from django.utils import translation

    login(administrator)
    client.cookies["django_language"] = "en"
    assert "Skip to content" in client.get("/").content.decode()
    assert translation.get_language() == "sv"
