"""Sign-in attempts are limited per source address across usernames, as well as per
username and address (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"
REFUSED = "För många misslyckade inloggningar från din dator eller ditt nätverk."


def attempt(client, username, password="fel-lösenord", **extra):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.fixture
def limit(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.AXES_FAILURE_LIMIT = 5
    return 6


def test_one_address_trying_many_usernames_is_refused(client, administrator, limit):
    for n in range(limit):
        assert attempt(client, f"gissning{n}").status_code == 200
    # Even the right password of a real user: the address is refused before checking.
    refused = attempt(client, administrator.username, factories.PASSWORD)
    assert refused.status_code == 429
    assert REFUSED in refused.content.decode()
    assert "15 minuter" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_may_still_sign_in(administrator, limit):
    elsewhere = Client(REMOTE_ADDR="192.0.2.50")
    for n in range(limit):
        attempt(elsewhere, f"gissning{n}")
    assert attempt(elsewhere, "x").status_code == 429
    here = Client(REMOTE_ADDR="192.0.2.51")
    response = attempt(here, administrator.username, factories.PASSWORD)
    assert response.status_code == 302


def test_the_address_is_the_one_behind_a_trusted_proxy(limit, settings):
    settings.TRUSTED_PROXIES = {"10.0.0.1"}
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for n in range(limit):
        attempt(proxy, f"gissning{n}", HTTP_X_FORWARDED_FOR="192.0.2.7")
    # The same client, whatever it writes further left, is refused ...
    spoofed = attempt(proxy, "x", HTTP_X_FORWARDED_FOR="198.51.100.9, 192.0.2.7")
    assert spoofed.status_code == 429
    # ... another client behind the same proxy is not.
    assert attempt(proxy, "x", HTTP_X_FORWARDED_FOR="192.0.2.8").status_code == 200


def test_the_refusal_ends_with_the_lockout_window(client, limit, settings):
    for n in range(limit):
        attempt(client, f"gissning{n}")
    assert attempt(client, "x").status_code == 429
    earlier = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    for row in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - earlier)
    assert attempt(client, "x").status_code == 200


def test_below_the_limit_the_per_username_lockout_still_applies(
    client, administrator, limit, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    for _ in range(5):
        attempt(client, administrator.username)
    assert attempt(client, administrator.username).status_code == 429
    # Other usernames from the same address are not yet at the address limit.
    assert attempt(client, "någon-annan").status_code == 200
