"""Intake from a referral (remiss): a referral to the unit of a municipal provider lands
in the intake of that provider's groups. A leader placed in that unit sees the open
referrals on the cycle's page and a count on the start page, and takes the person in
(waiting list, identified, the referral received and accepted); starting and completing
the group step the referral and the linked child's record. Another leader, a head of
services and a case worker of another unit see nothing of it (404), a referral to
another unit is no choice, and a full cycle, a second intake and a programme for
adults are refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from kinsight.detection import services as detection_services
from kinsight.detection.models import ATTENDED_STATUSES, ChildRecord, ChildStatus
from kinsight.groups import services as group_services
from kinsight.groups.models import GroupParticipant, ParticipantStatus
from kinsight.interventions import services as referral_services
from kinsight.interventions.models import Referral, ReferralStatus
from tests import factories
from tests.groups.conftest import add_anonymous
from tests.interventions.conftest import *  # noqa: F403 - Anna's family work and its personas
from tests.interventions.conftest import give_consent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def families(org):
    """The unit of the municipal provider (tests.groups.conftest: programme)."""
    return org["units"][UnitType.FAMILIES]


@pytest.fixture
def intake_leader(municipality, families):
    return factories.staff(
        municipality, role=Role.GROUP_LEADER, unit=families, username="famleader"
    )


def open_cycle(head, leader, programme, district, name="Vågen nu", places=8):
    return group_services.cycle_create(
        actor=head,
        programme=programme,
        name=name,
        district=district,
        start_on=TODAY - 7 * DAY,
        end_on=TODAY + 70 * DAY,
        leaders=[leader],
        places=places,
    )


@pytest.fixture
def upcoming(head, intake_leader, programme, org):
    return open_cycle(head, intake_leader, programme, org["district"])


def refer(worker, work, person, unit):
    sender = worker.memberships.first().unit
    give_consent(
        work, person, by=worker, unit=sender, purpose="referral", all_units=False, units=[unit]
    )
    return referral_services.referral_send(
        actor=worker, family_work=work, person=person, to_unit=unit, reason="Behöver en grupp."
    )


@pytest.fixture
def referral(worker, work, household, families):
    return refer(worker, work, household["kim"], families)


@pytest.fixture
def kim_assessed(worker, open_case, household):
    """Kim as next of kin on Anna's case, attended and assessed."""
    record = detection_services.child_record_add(
        actor=worker, case=open_case, child=household["kim"], custody="joint"
    )
    for status, extra in (
        (ChildStatus.ATTENDED, {"parent_talked_with": True, "child_information": "given"}),
        (ChildStatus.ASSESSED, {}),
    ):
        record.refresh_from_db()
        detection_services.child_record_step(
            actor=worker, record=record, status=status, expected_version=record.version, **extra
        )
    record.refresh_from_db()
    return record


def cycle_url(cycle):
    return reverse("groups:cycle_detail", args=[cycle.pk])


def accept(client, cycle, referral):
    return client.post(
        reverse("groups:referral_accept", args=[cycle.pk]), {"referral": referral.pk}
    )


def step(client, participant, name):
    participant.refresh_from_db()
    url = reverse(f"groups:participant_{name}", args=[participant.pk])
    return client.post(url, {"version": participant.version, "on": TODAY.isoformat()})


def test_the_leader_takes_the_referral_in_and_the_group_steps_the_child_and_the_referral(
    client, login, worker, intake_leader, upcoming, referral, kim_assessed, household
):
    login(intake_leader)
    start = client.get(reverse("groups:start")).content.decode()
    assert "1 öppen remiss till utföraren av dina grupper" in start
    page = client.get(cycle_url(upcoming)).content.decode()
    assert "Kim Åberg" in page and "Behöver en grupp." in page
    assert AuditEntry.objects.filter(
        object_type="interventions.referral", action="read", actor=intake_leader
    ).exists()
    assert accept(client, upcoming, referral).status_code == 302
    participant = GroupParticipant.objects.get()
    assert participant.person == household["kim"] and participant.referral == referral
    assert participant.intake == "referral" and participant.status == ParticipantStatus.WAITING
    assert participant.age_band == "7-12" and participant.district == upcoming.district
    assert participant.child_record == kim_assessed
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert [s.status for s in referral.steps.all()] == ["sent", "received", "accepted"]
    assert AuditEntry.objects.filter(
        object_type="groups.groupparticipant", action="create", actor=intake_leader
    ).exists()
    kim_assessed.refresh_from_db()
    assert kim_assessed.status == ChildStatus.SUPPORT_OFFERED
    assert (
        "Kim Åberg" not in client.get(cycle_url(upcoming)).content.decode().split("h-sessions")[0]
    )

    assert step(client, participant, "start").status_code == 302
    kim_assessed.refresh_from_db()
    referral.refresh_from_db()
    assert kim_assessed.status == ChildStatus.SUPPORT_STARTED
    assert referral.status == ReferralStatus.STARTED
    assert step(client, participant, "finish").status_code == 302
    kim_assessed.refresh_from_db()
    referral.refresh_from_db()
    assert kim_assessed.status == ChildStatus.SUPPORT_COMPLETED
    assert referral.status == ReferralStatus.ENDED
    last = kim_assessed.steps.order_by("-pk").first()
    assert last.by == intake_leader and last.note == "Stödgrupp: Vågen (Vågen nu)"
    assert ChildStatus.NO_FURTHER_NEED in kim_assessed.next_statuses()
    # Still attended (uppmärksammat) for the minimum level and the queues.
    assert ChildRecord.objects.attended().filter(pk=kim_assessed.pk).exists()
    assert ChildStatus.SUPPORT_COMPLETED in ATTENDED_STATUSES

    # The child's case worker sees the support on the child's page, not the group.
    login(worker)
    child_page = client.get(reverse("detection:child_detail", args=[kim_assessed.pk]))
    text = child_page.content.decode()
    assert "Stöd avslutat" in text and "Fullföljt" in text and "Vågen nu" in text
    assert AuditEntry.objects.filter(
        object_type="groups.groupparticipant", action="read", actor=worker
    ).exists()
    assert client.get(cycle_url(upcoming)).status_code == 404


def test_the_steps_are_left_when_the_record_cannot_take_them(
    client, login, intake_leader, upcoming, referral, worker, open_case, household
):
    """Kim's record only identified: linked, but no support step fits its lifecycle."""
    record = detection_services.child_record_add(
        actor=worker, case=open_case, child=household["kim"], custody="joint"
    )
    login(intake_leader)
    accept(client, upcoming, referral)
    participant = GroupParticipant.objects.get()
    assert step(client, participant, "start").status_code == 302
    record.refresh_from_db()
    assert record.status == ChildStatus.IDENTIFIED and participant.child_record == record


def test_who_is_not_the_receiving_leader_sees_no_referral(
    client, login, head, leader, child_worker, outsider, programme, org, upcoming, referral
):
    # ``leader`` leads a cycle of the same provider but works in the district, not in
    # the provider's unit: the referral is not to them.
    theirs = open_cycle(head, leader, programme, org["district"], name="Distriktet")
    assert not Referral.objects.visible_to(leader, "view").exists()
    login(leader)
    assert "Kim Åberg" not in client.get(cycle_url(theirs)).content.decode()
    assert "remiss" not in client.get(reverse("groups:start")).content.decode()
    assert accept(client, theirs, referral).status_code == 400
    for user, status in ((leader, 404), (child_worker, 404), (outsider, 404), (head, 403)):
        login(user)
        assert accept(client, upcoming, referral).status_code == status
    login(head)
    assert "Kim Åberg" not in client.get(cycle_url(upcoming)).content.decode()
    assert not GroupParticipant.objects.exists()


def test_a_referral_to_another_unit_is_no_choice(
    client, login, worker, joined, household, child_unit, intake_leader, upcoming
):
    elsewhere = refer(worker, joined, household["kim"], child_unit)
    login(intake_leader)
    assert "Kim Åberg" not in client.get(cycle_url(upcoming)).content.decode()
    response = accept(client, upcoming, elsewhere)
    assert response.status_code == 400
    assert not GroupParticipant.objects.exists()


def test_a_full_cycle_a_second_intake_and_an_adults_programme_are_refused(
    client, login, head, intake_leader, programme, org, upcoming, referral
):
    full = open_cycle(head, intake_leader, programme, org["district"], name="Liten", places=1)
    add_anonymous(intake_leader, full)
    parents = group_services.programme_create(
        actor=head,
        name="Föräldragruppen",
        problem_area="addiction",
        target_group="parents",
        group_sessions=8,
        individual_talks=0,
        provider=programme.provider,
    )
    adults = open_cycle(head, intake_leader, parents, org["district"], name="Föräldrar nu")
    login(intake_leader)
    response = accept(client, full, referral)
    assert response.status_code == 400 and "Gruppomgången är full." in response.content.decode()
    response = accept(client, adults, referral)
    assert response.status_code == 400
    assert "är en grupp för föräldrar: välj en grupp för barn och unga" in response.content.decode()
    assert accept(client, upcoming, referral).status_code == 302
    other = open_cycle(head, intake_leader, programme, org["district"], name="Andra")
    # Accepted now: no longer open, so not offered again.
    assert accept(client, other, referral).status_code == 400
    assert GroupParticipant.objects.filter(person=referral.person).count() == 1


def test_the_api_takes_a_referral_in_for_the_leader_only(
    client, login, leader, intake_leader, upcoming, referral
):
    body = {"cycle": upcoming.pk, "referral": referral.pk}
    url = "/api/v1/group-participants/from-referral/"
    login(leader)
    assert client.post(url, body, content_type="application/json").status_code == 400
    login(intake_leader)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["intake"] == "referral"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400


def test_the_cycle_page_costs_the_same_for_one_and_many_referrals(
    client, login, worker, work, household, families, intake_leader, upcoming, referral
):
    login(intake_leader)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(cycle_url(upcoming)).status_code == 200
        return len(queries)

    one = cost()
    for person in (household["anna"], household["per"]):
        refer(worker, work, person, families)
    assert cost() == one
    assert client.get(cycle_url(upcoming)).content.decode().count("Behöver en grupp.") == 3
