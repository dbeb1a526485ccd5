"""Consent to measurement by the child's age: the guardian's (the participant's own from
18) and, from the municipality's own-consent age to 18, the child's own as well; by the
person's birth date, or for an anonymous participant by the age band (the safe side).
Refused with the missing consent named, by the leader's entry, a code and an answer by
code; recorded by the leader on a page and through the API (audited), shown on the
cycle's page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.models import GroupParticipant, GroupSettings, Measurement, Point
from kinsight.groups.rules import needs_own_consent
from tests.groups.conftest import add_anonymous, answers
from tests.people.factories import child

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
OWN_MISSING = "Barnets eget samtycke till mätning saknas (krävs från %d år)."


@pytest.fixture
def running(head, leader, programme, org):
    return services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen nu",
        district=org["district"],
        start_on=TODAY - 14 * DAY,
        end_on=TODAY + 28 * DAY,
        leaders=[leader],
    )


def record(leader, participant, who5):
    return services.measurement_record(
        actor=leader,
        participant=participant,
        instrument=who5,
        point=Point.BEFORE,
        answers=answers(12),
        answered_on=TODAY,
    )


def refusal(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict["participant"][0]


@pytest.mark.parametrize(
    ("band", "needed"),
    [("0-6", False), ("7-12", False), ("13-16", True), ("17-25", True), ("26+", False)],
)
def test_an_anonymous_participant_by_the_upper_bound_of_the_band(leader, running, band, needed):
    participant = add_anonymous(leader, running, age_band=band)
    assert needs_own_consent(participant, from_age=15, day=TODAY) is needed


def test_the_municipalitys_age_moves_the_line(leader, running, municipality):
    teen = add_anonymous(leader, running, age_band="13-16")
    assert needs_own_consent(teen, from_age=17, day=TODAY) is False
    GroupSettings.objects.create(municipality=municipality, own_consent_age=12)
    younger = add_anonymous(leader, running, age_band="7-12")
    assert refusal(lambda: record(leader, younger, running.programme.measures.first().instrument))
    assert (
        refusal(
            lambda: services.code_issue(
                actor=leader,
                participant=younger,
                instrument=younger.cycle.programme.measures.first().instrument,
                point=Point.BEFORE,
            )
        )
        == OWN_MISSING % 12
    )


@pytest.mark.parametrize(("age", "needed"), [(14, False), (15, True), (17, True), (18, False)])
def test_an_identified_participant_by_the_birth_date(
    leader, running, municipality, who5, age, needed
):
    person = child(municipality, age=age)
    participant = add_anonymous(leader, running, person=person, age_band="7-12")
    assert needs_own_consent(participant, from_age=15, day=TODAY) is needed
    if needed:
        assert refusal(lambda: record(leader, participant, who5)) == OWN_MISSING % 15
        assert not Measurement.objects.exists()
    else:
        assert record(leader, participant, who5).total_score == 12


def test_the_missing_consent_is_named(leader, running, municipality, who5):
    adult = add_anonymous(
        leader, running, person=child(municipality, age=30), measurement_consent=False
    )
    kid = add_anonymous(
        leader, running, person=child(municipality, "Ada", age=10), measurement_consent=False
    )
    anonymous = add_anonymous(leader, running, measurement_consent=False)
    assert refusal(lambda: record(leader, adult, who5)) == (
        "Deltagarens samtycke till mätning saknas."
    )
    assert refusal(lambda: record(leader, kid, who5)) == (
        "Vårdnadshavarens samtycke till mätning saknas."
    )
    assert "vårdnadshavarens för ett barn" in refusal(lambda: record(leader, anonymous, who5))


def test_an_answer_by_code_is_refused_after_the_consent_is_withdrawn(leader, running, who5):
    teen = add_anonymous(leader, running, age_band="13-16", own_consent=True)
    code = services.code_issue(actor=leader, participant=teen, instrument=who5, point=Point.BEFORE)
    services.participant_consent(
        actor=leader,
        participant=teen,
        measurement_consent=True,
        own_consent=False,
        expected_version=teen.version,
    )
    assert refusal(lambda: services.code_answer(code=code, answers=answers(10))) == (
        OWN_MISSING % 15
    )
    assert not Measurement.objects.exists()


# The pages --------------------------------------------------------------------------


def test_the_leader_records_the_consents_and_the_page_says_what_is_missing(
    client, login, leader, running, who5
):
    teen = add_anonymous(leader, running, age_band="13-16")
    login(leader)
    cycle_page = client.get(f"/stodgrupper/omgangar/{running.pk}/").content.decode()
    assert OWN_MISSING % 15 in cycle_page
    assert f"/stodgrupper/deltagare/{teen.pk}/matningar/" not in cycle_page
    url = f"/stodgrupper/deltagare/{teen.pk}/samtycke/"
    form = client.get(url)
    assert form.status_code == 200
    assert "Barnets eget samtycke krävs från 15 år" in form.content.decode()
    stale = client.post(
        url, {"version": teen.version + 5, "measurement_consent": "on", "own_consent": "on"}
    )
    assert stale.status_code == 400
    response = client.post(
        url, {"version": teen.version, "measurement_consent": "on", "own_consent": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/stodgrupper/omgangar/{running.pk}/"
    assert GroupParticipant.objects.get(pk=teen.pk).own_consent
    changed = AuditEntry.objects.get(
        action="update", object_type="groups.groupparticipant", object_id=str(teen.pk)
    )
    assert changed.changes == {"own_consent": [False, True]}
    cycle_page = client.get(f"/stodgrupper/omgangar/{running.pk}/").content.decode()
    assert OWN_MISSING % 15 not in cycle_page
    assert f"/stodgrupper/deltagare/{teen.pk}/matningar/" in cycle_page


def test_the_participant_form_takes_the_own_consent(client, login, leader, running):
    login(leader)
    values = {"age_band": "13-16", "intake": "self", "measurement_consent": "on"}
    url = f"/stodgrupper/omgangar/{running.pk}/deltagare/"
    assert client.post(url, values | {"own_consent": "on"}).status_code == 302
    assert GroupParticipant.objects.get().own_consent


def test_others_get_404_on_the_consent_page(
    client, login, leader, other_leader, worker, outsider, head, running
):
    participant = add_anonymous(leader, running)
    url = f"/stodgrupper/deltagare/{participant.pk}/samtycke/"
    for user in (other_leader, worker, outsider, head):
        login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url, {"version": 0}).status_code == 404, user
    assert not AuditEntry.objects.filter(action="update").exists()


# The API -----------------------------------------------------------------------------


def test_the_api_records_the_consents(client, login, leader, other_leader, running):
    participant = add_anonymous(leader, running, age_band="13-16")
    url = f"/api/v1/group-participants/{participant.pk}/consent/"
    body = {"version": participant.version, "measurement_consent": True, "own_consent": True}
    login(other_leader)
    assert client.post(url, body, content_type="application/json").status_code == 404
    login(leader)
    bad = client.post(url, {"version": participant.version}, content_type="application/json")
    assert bad.status_code == 400 and "own_consent" in bad.json()
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["own_consent"] is True
    created = client.post(
        "/api/v1/group-participants/",
        {"cycle": running.pk, "age_band": "13-16", "intake": "self", "own_consent": True},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["own_consent"] is True


def test_the_start_page_lists_no_measurement_the_consents_do_not_allow(
    client, login, leader, running
):
    allowed = add_anonymous(leader, running, age_band="13-16", own_consent=True)
    missing = add_anonymous(leader, running, age_band="13-16")
    for participant in (allowed, missing):
        services.participant_start(
            actor=leader,
            participant=participant,
            expected_version=participant.version,
            on=running.start_on,
        )
    login(leader)
    html = client.get("/stodgrupper/").content.decode()
    assert f"/stodgrupper/deltagare/{allowed.pk}/matningar/" in html
    assert f"/stodgrupper/deltagare/{missing.pk}/matningar/" not in html


def test_the_api_says_which_consent_is_missing(client, login, leader, running):
    teen = add_anonymous(leader, running, age_band="13-16")
    child = add_anonymous(leader, running)
    login(leader)
    rows = client.get("/api/v1/group-participants/", {"cycle": running.pk}).json()["results"]
    refused = {row["id"]: row["measurement_refused"] for row in rows}
    assert refused == {teen.pk: OWN_MISSING % 15, child.pk: None}
