"""API tokens: knox, hashed, named, with an expiry; made after two-factor, listed and
revoked on Mitt konto; every issue and revocation audited."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from kinsight.accounts import services
from kinsight.accounts.models import ApiToken
from kinsight.audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = "/konto/sakerhet/"


def api_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_it_stores_only_the_hash_of_the_token(worker):
    text = factories.api_token(worker, name="Rapportskript")
    token = ApiToken.objects.get(user=worker)
    assert token.name == "Rapportskript"
    assert text not in (token.digest, token.token_key)
    assert token.digest == hashlib.sha512(text.encode()).hexdigest()


def test_it_answers_with_a_token_and_records_its_last_use(worker):
    client = api_with(factories.api_token(worker))
    assert client.get("/api/v1/org-units/").status_code == 200
    assert ApiToken.objects.get(user=worker).last_used is not None


def test_it_refuses_an_expired_token(worker):
    text = factories.api_token(worker, days=1)
    ApiToken.objects.filter(user=worker).update(expiry=timezone.now() - datetime.timedelta(1))
    response = api_with(text).get("/api/v1/org-units/")
    assert response.status_code == 401
    assert "utgången" in response.json()["detail"]


def test_it_refuses_a_revoked_token(worker):
    text = factories.api_token(worker)
    token = ApiToken.objects.get(user=worker)
    services.api_token_revoke(user=worker, ref=token.ref)
    assert api_with(text).get("/api/v1/org-units/").status_code == 401


def test_it_refuses_a_made_up_or_malformed_token(worker):
    text = factories.api_token(worker)
    one_off = text[:-1] + ("0" if text[-1] != "0" else "1")
    for wrong in (one_off, text[:15] + "x" * 49, "åäö", "x"):
        assert api_with(wrong).get("/api/v1/org-units/").status_code == 401


def test_it_refuses_an_inactive_users_token(worker):
    text = factories.api_token(worker)
    worker.is_active = False
    worker.save()
    assert api_with(text).get("/api/v1/org-units/").status_code == 401


def test_an_expiry_longer_than_the_setting_is_refused(worker, settings):
    settings.API_TOKEN_DAYS = 30
    with pytest.raises(ValidationError):
        services.api_token_create(user=worker, name="x", days=31, two_factor_verified=True)
    token, _text = services.api_token_create(user=worker, name="x", two_factor_verified=True)
    assert (token.expiry - token.created).days in (29, 30)


def test_it_needs_a_two_factor_session(worker):
    with pytest.raises(ValidationError, match="tvåstegsverifiering"):
        services.api_token_create(user=worker, name="x", two_factor_verified=False)
    assert not ApiToken.objects.exists()


def test_it_limits_the_tokens_of_one_user(worker, settings):
    settings.API_TOKENS_PER_USER = 2
    factories.api_token(worker, name="a")
    factories.api_token(worker, name="b")
    with pytest.raises(ValidationError, match="Återkalla en"):
        factories.api_token(worker, name="c")


def test_issue_and_revocation_are_audited_without_the_token(worker):
    text = factories.api_token(worker, name="Skript")
    token = ApiToken.objects.get(user=worker)
    services.api_token_revoke(user=worker, ref=token.ref)
    entries = AuditEntry.objects.filter(actor=worker, object_id=str(worker.pk)).order_by("seq")
    assert [e.action for e in entries] == ["create", "delete"]
    for entry in entries:
        assert entry.changes["api_token"] == str(token.ref)
        assert entry.changes["name"] == "Skript"
        assert text not in str(entry.changes) and token.digest not in str(entry.changes)


def test_mitt_konto_issues_a_named_token_once_and_lists_it(client, login, worker):
    login(worker)
    response = client.post(PAGE, {"action": "token_create", "name": "Rapport", "days": 30})
    assert response.status_code == 200
    body = response.content.decode()
    text = response.context["token_text"]
    assert text in body and "Den visas bara nu" in body
    assert api_with(text).get("/api/v1/org-units/").status_code == 200
    listed = client.get(PAGE).content.decode()
    assert "Rapport" in listed and text not in listed and text[:15] not in listed


def test_mitt_konto_refuses_a_token_without_two_factor(client, worker, settings):
    settings.OTP_REQUIRED = False  # the demo's setting: a session without the TOTP step
    client.force_login(worker)
    page = client.get(PAGE).content.decode()
    assert "behöver du vara inloggad med tvåstegsverifiering" in page
    response = client.post(PAGE, {"action": "token_create", "name": "Rapport", "days": 30})
    assert response.status_code == 400
    assert "Aktivera tvåstegsverifiering" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_mitt_konto_refuses_too_long_an_expiry(client, login, worker, settings):
    settings.API_TOKEN_DAYS = 90
    login(worker)
    response = client.post(PAGE, {"action": "token_create", "name": "Rapport", "days": 91})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_mitt_konto_revokes_one_token_and_then_all(client, login, worker):
    login(worker)
    factories.api_token(worker, name="Ett")
    factories.api_token(worker, name="Två")
    factories.api_token(worker, name="Tre")
    one = ApiToken.objects.get(name="Ett")
    client.post(PAGE, {"action": "token_revoke", "ref": str(one.ref)})
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"Två", "Tre"}
    client.post(PAGE, {"action": "token_revoke_all"})
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_users_token(client, login, worker, administrator):
    factories.api_token(administrator)
    theirs = ApiToken.objects.get(user=administrator)
    login(worker)
    response = client.post(PAGE, {"action": "token_revoke", "ref": str(theirs.ref)}, follow=True)
    assert "Nyckeln finns inte längre" in response.content.decode()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_logging_out_everywhere_revokes_every_token(client, login, worker):
    factories.api_token(worker, name="a")
    factories.api_token(worker, name="b")
    login(worker)
    client.post(PAGE, {"action": "logout_all"})
    assert not ApiToken.objects.exists()
