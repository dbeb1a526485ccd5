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


def _settings_load(env):
    """Import the settings in a fresh interpreter with ``env``; return (code, stderr)."""
    base = {"PATH": "/usr/bin:/bin", "KINSIGHT_DEMO": "false"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stderr


def test_production_settings_refuse_demo_defaults():
    code, stderr = _settings_load({})
    assert code != 0
    assert "SECRET_KEY must be set" in stderr
    assert "ALLOWED_HOSTS" in stderr


def test_production_settings_refuse_debug_and_no_two_factor():
    code, stderr = _settings_load(
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "kinsight.example.org",
            "DEBUG": "true",
            "KINSIGHT_OTP_REQUIRED": "false",
        }
    )
    assert code != 0
    assert "DEBUG must be off" in stderr and "two-factor" in stderr


def test_production_settings_accept_a_proper_configuration(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 50)
    code, stderr = _settings_load(
        {"SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "kinsight.example.org"}
    )
    assert code == 0, stderr


def test_a_malformed_boolean_fails_loudly():
    code, stderr = _settings_load({"KINSIGHT_DEMO": "kanske"})
    assert code != 0 and "KINSIGHT_DEMO must be true or false" in stderr


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
    code, stderr = _settings_load(
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "kinsight.example.org",
            "KINSIGHT_LOGIN_RATE_LIMIT": "false",
        }
    )
    assert code != 0 and "KINSIGHT_LOGIN_RATE_LIMIT" in stderr


def test_an_english_request_does_not_leave_the_thread_in_english(client, login, administrator):
    from django.utils import translation

    login(administrator)
    client.cookies["django_language"] = "en"
    assert "Skip to content" in client.get("/").content.decode()
    assert translation.get_language() == "sv"
