"""Re-authentication before an export: a file is given only when the session's last
proof of who the user is (sign-in, or the confirm page /konto/bekrafta/) is at most
KINSIGHT_REAUTH_MINUTES old; otherwise the confirm page asks for the password and a
code, then sends the browser back to the file."""

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinsight.accounts.reauth import AUTH_AT_KEY
from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role
from tests import factories
from tests.accounts.test_login import code_for, password_step

pytestmark = pytest.mark.django_db

EXPORT = "/uppfoljning/miniminiva/csv/"
CONFIRM = "/konto/bekrafta/"


@pytest.fixture
def head(municipality, org):
    return factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="ifochef1"
    )


def age(client, minutes):
    """Time travel: the session's last proof ``minutes`` ago."""
    session = client.session
    then = timezone.now() - datetime.timedelta(minutes=minutes)
    session[AUTH_AT_KEY] = then.timestamp()
    session.save()


def exports():
    return AuditEntry.objects.filter(action="export").count()


def confirm(client, user, *, password=factories.PASSWORD, code=None, next_url=EXPORT):
    device = TOTPDevice.objects.get(user=user)
    body = {"password": password, "code": code or code_for(device)}
    return client.post(f"{CONFIRM}?next={quote(next_url)}", body)


def test_it_gives_the_file_without_asking_just_after_sign_in(client, login, head):
    login(head)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert exports() == 1


def test_a_real_sign_in_counts_as_the_proof(client, head):
    device = factories.totp_device(head)
    password_step(client, head)
    client.post("/konto/tvastegsverifiering/", {"code": code_for(device)})
    assert client.get(EXPORT).status_code == 200


def test_it_asks_again_when_the_sign_in_is_older_than_the_setting(client, login, head):
    login(head)
    age(client, 6)
    response = client.get(EXPORT + "?enhet=")
    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next={quote(EXPORT + '?enhet=', safe='')}"
    assert exports() == 0
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Bekräfta att det är du" in page.content.decode()


def test_the_setting_sets_how_long_a_proof_lasts(client, login, head, settings):
    settings.KINSIGHT_REAUTH_MINUTES = 30
    login(head)
    age(client, 29)
    assert client.get(EXPORT).status_code == 200
    age(client, 31)
    assert client.get(EXPORT).status_code == 302


def test_htmx_gets_a_full_page_load_to_the_confirm_page(client, login, head):
    login(head)
    age(client, 6)
    response = client.get(EXPORT, headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(CONFIRM + "?next=")


def test_password_and_code_confirm_and_lead_back_to_the_file(client, login, head):
    login(head)
    age(client, 6)
    response = confirm(client, head)
    assert response.status_code == 302 and response["Location"] == EXPORT
    assert client.get(EXPORT).status_code == 200
    step = AuditEntry.objects.filter(action="login", object_id=str(head.pk)).last()
    assert step is not None and step.changes == {"step": "reauth"}


def test_a_wrong_password_is_refused_and_gives_no_file(client, login, head):
    login(head)
    age(client, 6)
    response = confirm(client, head, password="fel-lösenord-123")
    assert response.status_code == 400
    assert "Lösenordet stämmer inte." in response.content.decode()
    assert client.get(EXPORT).status_code == 302
    failed = AuditEntry.objects.get(action="login_failed")
    assert failed.changes == {"step": "reauth_password"}
    assert exports() == 0


def test_a_wrong_code_is_refused_and_gives_no_file(client, login, head):
    login(head)
    age(client, 6)
    device = TOTPDevice.objects.get(user=head)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = confirm(client, head, code=wrong)
    assert response.status_code == 400
    assert "Koden stämmer inte." in response.content.decode()
    assert client.get(EXPORT).status_code == 302
    assert AuditEntry.objects.get(action="login_failed").changes == {"step": "reauth_totp"}


def test_a_missing_code_says_what_to_enter(client, login, head):
    login(head)
    response = client.post(CONFIRM, {"password": factories.PASSWORD})
    assert response.status_code == 400
    assert "Engångskod: Det här fältet är obligatoriskt." in response.content.decode()


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/x", "http://testserver.evil/"]
)
def test_next_cannot_leave_the_site(client, login, head, elsewhere):
    login(head)
    response = confirm(client, head, next_url=elsewhere)
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_single_sign_on_user_signs_in_again_instead(client, login, head):
    head.set_unusable_password()
    head.save()
    login(head)
    age(client, 6)
    page = client.get(client.get(EXPORT)["Location"]).content.decode()
    assert "Logga in igen" in page and 'name="password"' not in page
    assert f'href="/konto/logga-in/?next={quote(EXPORT, safe="")}"' in page
    assert client.post(CONFIRM, {"password": "x"}).status_code == 200  # nothing to check


def test_the_confirm_page_needs_a_signed_in_user(client):
    response = client.get(CONFIRM)
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def test_the_confirm_page_runs_a_fixed_number_of_queries(
    client, login, head, django_assert_num_queries
):
    login(head)
    client.get(CONFIRM)  # the session's first write
    # the session, the user with the session's device, the confirmed device for the form,
    # the role scopes for the navigation
    with django_assert_num_queries(4):
        assert client.get(CONFIRM).status_code == 200


API = "/api/v1/followup/october/"


def test_the_api_asks_a_session_for_a_recent_proof(client, login, head):
    login(head)
    assert client.get(API).status_code == 200
    age(client, 6)
    response = client.get(API)
    assert response.status_code == 403
    assert "/konto/bekrafta/" in response.json()["detail"]


def test_the_api_gives_a_token_the_export_without_asking(head):
    api = factories.token_client(head)
    response = api.get(API)
    assert response.status_code == 200
    assert response.json()["exported_by"] == "Test Person (ifochef1)"
