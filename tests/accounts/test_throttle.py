"""The API is throttled per user and per token: 429 with Retry-After."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/org-units/"


def test_it_refuses_a_user_over_the_rate_with_retry_after(worker, settings):
    settings.API_RATE_USER = "2/min"
    api = factories.token_client(worker)
    assert [api.get(URL).status_code for _ in range(2)] == [200, 200]
    refused = api.get(URL)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    detail = refused.json()["detail"]
    assert detail.startswith("För många förfrågningar. Försök igen om ") and "sekund" in detail


def test_the_user_rate_counts_every_token_and_the_session_together(client, login, worker, settings):
    settings.API_RATE_USER = "3/min"
    first, second = factories.token_client(worker), factories.token_client(worker, name="2")
    assert first.get(URL).status_code == 200
    assert second.get(URL).status_code == 200
    login(worker)
    assert client.get(URL).status_code == 200
    assert first.get(URL).status_code == 429


def test_one_token_cannot_use_up_the_users_allowance(worker, settings):
    settings.API_RATE_TOKEN = "2/min"
    script, other = factories.token_client(worker), factories.token_client(worker, name="2")
    assert [script.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert other.get(URL).status_code == 200


def test_users_are_counted_apart(worker, administrator, settings):
    settings.API_RATE_USER = "1/min"
    assert factories.token_client(worker).get(URL).status_code == 200
    assert factories.token_client(administrator).get(URL).status_code == 200


def test_the_public_schema_is_counted_by_the_real_client_address(db, settings):
    from rest_framework.test import APIClient

    settings.API_RATE_USER = "1/min"
    settings.TRUSTED_PROXIES = {"10.0.0.1"}
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    assert api.get("/api/schema/", HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 200
    # The same client writing its own X-Forwarded-For is still the same address ...
    spoofed = api.get("/api/schema/", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.7")
    assert spoofed.status_code == 429
    # ... another client behind the proxy is counted apart.
    assert api.get("/api/schema/", HTTP_X_FORWARDED_FOR="192.0.2.8").status_code == 200
