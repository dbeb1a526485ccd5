"""The public answer page /svara/: no sign-in, a one-time code opens its one
questionnaire, once, until it expires; every refusal says the same; wrong codes are
limited per client address; CSRF stays on; nothing of the participant is shown."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.models import Measurement, MeasurementCode, Point
from kinsight.groups.views.public import WRONG_CODES
from tests.groups.conftest import add_anonymous

pytestmark = pytest.mark.django_db
REFUSED = "Koden gäller inte: den är fel, redan använd eller för gammal."
ALL_ANSWERED = {f"item_{n}": 4 for n in range(1, 6)}


@pytest.fixture(autouse=True)
def no_counted_attempts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def participant(leader, cycle):
    return add_anonymous(leader, cycle, sex="female")


@pytest.fixture
def code(leader, participant, who5):
    return services.code_issue(
        actor=leader, participant=participant, instrument=who5, point=Point.BEFORE
    )


def test_it_needs_no_sign_in(client):
    response = client.get("/svara/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_a_code_opens_its_questionnaire_once(client, code, participant):
    response = client.post("/svara/", {"code": code.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<legend>Jag har känt mig lugn och avslappnad.</legend>" in html
    assert str(participant) not in html and "Vågen" not in html  # nothing of the participant
    response = client.post("/svara/fragor/", {"code": code, **ALL_ANSWERED})
    assert response.status_code == 302 and response["Location"] == "/svara/tack/"
    assert "Dina svar är sparade." in client.get("/svara/tack/").content.decode()
    measurement = Measurement.objects.get()
    assert (measurement.participant, measurement.total_score) == (participant, 20)
    assert measurement.entered_by is None
    created = AuditEntry.objects.get(object_type="groups.measurement", action="create")
    assert created.actor is None
    for url, values in (
        ("/svara/", {"code": code}),
        ("/svara/fragor/", {"code": code, **ALL_ANSWERED}),
    ):
        response = client.post(url, values)
        assert response.status_code == 403 and REFUSED in response.content.decode()
    assert Measurement.objects.count() == 1


def test_missing_answers_say_what_to_fix_and_keep_the_code(client, code):
    response = client.post("/svara/fragor/", {"code": code, "item_1": 2})
    assert response.status_code == 400
    assert "Besvara fråga 2, 3, 4, 5." in response.content.decode()
    assert MeasurementCode.objects.get().used_at is None
    assert client.post("/svara/fragor/", {"code": code, **ALL_ANSWERED}).status_code == 302


def test_an_answer_outside_the_options_is_refused(client, code):
    response = client.post("/svara/fragor/", {"code": code, **ALL_ANSWERED, "item_3": 9})
    assert response.status_code == 400 and not Measurement.objects.exists()


def test_an_expired_code_is_refused_like_a_wrong_one(client, code):
    MeasurementCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for value in (code, "ABCD-EFGH"):
        response = client.post("/svara/", {"code": value})
        assert response.status_code == 403 and REFUSED in response.content.decode()
    assert client.post("/svara/", {"code": ""}).status_code == 400


def test_wrong_codes_are_limited_per_address(client, code):
    for _attempt in range(WRONG_CODES.allowed):
        assert client.post("/svara/", {"code": "ABCD-EFGH"}).status_code == 403
    response = client.post("/svara/", {"code": code})  # even the right one, for a while
    assert response.status_code == 429
    assert "För många felaktiga koder." in response.content.decode()
    assert client.post("/svara/fragor/", {"code": code, **ALL_ANSWERED}).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/svara/", {"code": code}).status_code == 200


def test_csrf_stays_on(code):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/svara/", {"code": code}).status_code == 403
    assert strict.post("/svara/fragor/", {"code": code, **ALL_ANSWERED}).status_code == 403
    assert not Measurement.objects.exists()
