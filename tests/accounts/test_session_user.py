"""The signed-in user, their TOTP device and municipality are read in one query, and
every check of the session, the device and the user still holds."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY

from kinsight.accounts.middleware import REFRESHED_KEY
from tests import factories
from tests.accounts.test_login import code_for, password_step

pytestmark = pytest.mark.django_db

SIGNED_OUT = "/konto/logga-in/"


def _user_statements(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    tables = ("core_user", "otp_totp_totpdevice", "core_municipality")
    found = [q["sql"] for q in captured if q["sql"].startswith("SELECT") and _names(q, tables)]
    return response, found


def _names(query, tables):
    head = query["sql"].split(" WHERE ")[0]
    return any(f'"{table}"' in head for table in tables)


def test_it_reads_the_user_device_and_municipality_in_one_query(client, login, administrator):
    login(administrator)
    response, statements = _user_statements(client)
    assert response.status_code == 200
    assert len(statements) == 1
    assert "Testkommun" in response.content.decode()


def test_the_sign_in_goes_through_the_backend_that_reads_them_together(client, administrator):
    device = factories.totp_device(administrator)
    password_step(client, administrator)
    client.post("/konto/tvastegsverifiering/", {"code": code_for(device)})
    assert client.session[BACKEND_SESSION_KEY] == "kinsight.accounts.backends.StaffBackend"
    assert REFRESHED_KEY in client.session
    assert len(_user_statements(client)[1]) == 1


def test_a_deleted_device_no_longer_verifies_the_session(client, login, administrator):
    login(administrator)
    administrator.totpdevice_set.all().delete()
    assert client.get("/")["Location"].startswith(SIGNED_OUT)


def test_an_unconfirmed_device_does_not_verify_the_session(client, login, administrator):
    login(administrator)
    administrator.totpdevice_set.update(confirmed=False)
    assert client.get("/")["Location"].startswith(SIGNED_OUT)


def test_another_users_device_does_not_verify_the_session(
    client, login, administrator, log_reviewer
):
    login(administrator)
    theirs = factories.totp_device(log_reviewer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = theirs.persistent_id
    session.save()
    assert client.get("/")["Location"].startswith(SIGNED_OUT)


def test_a_deactivated_user_is_signed_out(client, login, administrator):
    login(administrator)
    type(administrator).objects.filter(pk=administrator.pk).update(is_active=False)
    assert client.get("/")["Location"].startswith(SIGNED_OUT)


def test_a_session_signed_in_through_model_backend_still_works(client, administrator):
    device = factories.totp_device(administrator)
    client.force_login(administrator, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get("/").status_code == 200
