"""Sign-in: password, then TOTP; lockout; idle expiry; logout everywhere; CSRF."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django_otp.oath import TOTP

from kinsight.audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def password_step(client, user, password=factories.PASSWORD):
    return client.post("/konto/logga-in/", {"username": user.username, "password": password})


def test_it_asks_for_the_totp_code_after_the_password(client, administrator):
    device = factories.totp_device(administrator)
    response = password_step(client, administrator)
    assert response.status_code == 302 and response["Location"] == "/konto/tvastegsverifiering/"
    # Not signed in yet: the start page still sends to the login page.
    assert client.get("/").status_code == 302
    response = client.post("/konto/tvastegsverifiering/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    actions = list(AuditEntry.objects.filter(actor=administrator).values_list("action", flat=True))
    assert "login" in actions


def test_it_refuses_a_wrong_password_with_a_form_error(client, administrator):
    response = password_step(client, administrator, "fel-lösenord")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_id == str(administrator.pk) and entry.actor is None


def test_it_gives_the_same_answer_for_an_unknown_user(client, administrator):
    response = client.post("/konto/logga-in/", {"username": "finns-inte", "password": "x"})
    assert "Fel användarnamn eller lösenord." in response.content.decode()


def test_it_refuses_a_wrong_totp_code(client, administrator):
    device = factories.totp_device(administrator)
    password_step(client, administrator)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post("/konto/tvastegsverifiering/", {"code": wrong})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_refuses_a_malformed_totp_code(client, administrator):
    factories.totp_device(administrator)
    password_step(client, administrator)
    response = client.post("/konto/tvastegsverifiering/", {"code": "12ab"})
    assert "Koden ska vara sex siffror." in response.content.decode()


def test_it_does_not_accept_the_totp_step_without_the_password_step(client, administrator):
    device = factories.totp_device(administrator)
    response = client.post("/konto/tvastegsverifiering/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"


def test_it_enrols_a_device_on_first_sign_in(client, administrator):
    response = password_step(client, administrator)
    assert response["Location"] == "/konto/aktivera-tvastegsverifiering/"
    page = client.get("/konto/aktivera-tvastegsverifiering/")
    assert "<svg" in page.content.decode()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    response = client.post("/konto/aktivera-tvastegsverifiering/", {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_it_locks_out_after_repeated_failures(client, administrator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, administrator, "fel")
    response = password_step(client, administrator)  # even the right password now
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()


def test_it_signs_in_without_totp_when_the_demo_turns_it_off(client, administrator, settings):
    settings.OTP_REQUIRED = False
    response = password_step(client, administrator)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_stores_passwords_with_argon2(administrator, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    administrator.set_password("ett-långt-lösenord-1")
    assert identify_hasher(administrator.password).algorithm == "argon2"


def test_it_expires_the_session_after_the_idle_time(client, login, administrator, settings):
    login(administrator)
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60
    # Simulate the idle time passing: the stored session is gone.
    client.session.flush()
    client.cookies["sessionid"] = "expired-session-key"
    response = client.get("/organisation/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/?expired=1"
    page = client.get(response["Location"])
    assert "inaktivitet" in page.content.decode()


def _stored_session(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(pk=client.session.session_key)


def test_it_renews_the_session_when_its_last_write_is_a_minute_old(
    client, login, administrator, settings
):
    import datetime

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from kinsight.accounts.middleware import REFRESHED_KEY

    login(administrator)
    assert client.get("/").status_code == 200
    # Two minutes pass: the last write (and the expiry it set) is two minutes old.
    key = client.session.session_key
    store = SessionStore(key)
    store[REFRESHED_KEY] -= 120
    store.save()
    idle = datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    aged = timezone.now() + idle - datetime.timedelta(minutes=2)
    Session.objects.filter(pk=key).update(expire_date=aged)
    assert client.get("/").status_code == 200
    remaining = _stored_session(client).expire_date - timezone.now()
    assert remaining > idle - datetime.timedelta(minutes=1)


def test_it_writes_an_unchanged_session_at_most_once_a_minute(client, login, administrator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(administrator)
    assert client.get("/").status_code == 200
    expiry = _stored_session(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    writes = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    assert writes == []
    assert _stored_session(client).expire_date == expiry


def test_logout_everywhere_ends_every_session(login, administrator):
    first, second = Client(), Client()
    device = factories.totp_device(administrator)
    for browser in (first, second):
        password_step(browser, administrator)
        browser.post("/konto/tvastegsverifiering/", {"code": code_for(device)})
        device.refresh_from_db()
        device.last_t = -1  # allow the same code twice in this test
        device.save()
        assert browser.get("/").status_code == 200
    first.post("/konto/sakerhet/", {"action": "logout_all"})
    assert second.get("/").status_code == 302
    assert first.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="logout_all", actor=administrator).exists()


def test_logout_needs_post(client, login, administrator):
    login(administrator)
    assert client.get("/konto/logga-ut/").status_code == 405
    assert client.post("/konto/logga-ut/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_form_without_csrf_token_gets_a_clear_403(administrator):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/konto/logga-in/", {"username": administrator.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 403
    assert "Ladda om sidan och försök igen" in response.content.decode()


def test_it_does_not_redirect_to_another_site_after_login(client, administrator, settings):
    settings.OTP_REQUIRED = False
    response = client.post(
        "/konto/logga-in/",
        {
            "username": administrator.username,
            "password": factories.PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"
