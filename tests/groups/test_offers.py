"""A support group offered to a child as next of kin from the child's record: the
child's case worker puts the child on an open cycle's waiting list (identified, linked
to the record, the step "support offered" when the lifecycle allows it); a full cycle,
a second offer and a referral are refused; who does not see the record gets 404; the
cycle's leader sees the child by name, another leader nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.detection import services as detection_services
from kinsight.detection.models import ChildStatus
from kinsight.groups import services
from kinsight.groups.models import GroupParticipant, ParticipantStatus
from tests.groups.conftest import add_anonymous
from tests.people.conftest import *  # noqa: F403 - the personas around Anna and Kim

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def open_cycle(head, leader, programme, district, name="Vågen nu", places=8):
    return services.cycle_create(
        actor=head,
        programme=programme,
        name=name,
        district=district,
        start_on=TODAY + 7 * DAY,
        end_on=TODAY + 70 * DAY,
        leaders=[leader],
        places=places,
    )


@pytest.fixture
def upcoming(head, leader, programme, org):
    return open_cycle(head, leader, programme, org["district"])


@pytest.fixture
def kim_record(worker, open_case, family):
    """Kim as next of kin on his mother Anna's case."""
    return detection_services.child_record_add(
        actor=worker, case=open_case, child=family["kim"], custody="joint"
    )


@pytest.fixture
def assessed(worker, kim_record):
    """Kim's record attended and assessed: support may be offered next."""
    detection_services.child_record_step(
        actor=worker,
        record=kim_record,
        status=ChildStatus.ATTENDED,
        expected_version=kim_record.version,
        parent_talked_with=True,
        child_information="given",
    )
    kim_record.refresh_from_db()
    detection_services.child_record_step(
        actor=worker,
        record=kim_record,
        status=ChildStatus.ASSESSED,
        expected_version=kim_record.version,
    )
    kim_record.refresh_from_db()
    return kim_record


def offer_url(record):
    return reverse("groups:child_offer", args=[record.pk])


def offer(client, record, cycle, **extra):
    values = {"cycle": cycle.pk, "intake": "decision", "measurement_consent": "on"} | extra
    return client.post(offer_url(record), values)


def test_the_case_worker_offers_a_group_and_the_record_takes_the_step(
    client, login, worker, assessed, upcoming, family
):
    login(worker)
    page = client.get(reverse("detection:child_detail", args=[assessed.pk]))
    assert offer_url(assessed) in page.content.decode()
    form = client.get(offer_url(assessed))
    assert form.status_code == 200 and "Vågen nu (Vågen, barn)" in form.content.decode()
    assert "8 lediga" in form.content.decode()
    response = offer(client, assessed, upcoming)
    assert response.status_code == 302
    participant = GroupParticipant.objects.get()
    assert participant.person == family["kim"] and participant.child_record == assessed
    assert participant.status == ParticipantStatus.WAITING and participant.age_band == "7-12"
    assert participant.district == upcoming.district and participant.measurement_consent
    assessed.refresh_from_db()
    assert assessed.status == ChildStatus.SUPPORT_OFFERED
    step = assessed.steps.order_by("-pk").first()
    assert step.note == "Stödgrupp: Vågen (Vågen nu)"
    created = AuditEntry.objects.filter(action="create")
    assert created.filter(object_type="groups.groupparticipant").exists()
    assert created.filter(object_type="detection.childrecordstep").exists()
    assert AuditEntry.objects.filter(object_type="detection.childrecord", action="read").exists()


def test_an_offer_before_assessment_adds_only_the_participant(
    client,
    login,
    worker,
    kim_record,
    upcoming,
):
    login(worker)
    assert offer(client, kim_record, upcoming, intake="self").status_code == 302
    kim_record.refresh_from_db()
    assert kim_record.status == ChildStatus.IDENTIFIED
    assert GroupParticipant.objects.get().intake == "self"


def test_a_full_cycle_a_second_offer_and_a_referral_are_refused(
    client, login, worker, leader, head, programme, org, assessed, upcoming
):
    full = open_cycle(head, leader, programme, org["district"], name="Liten", places=1)
    add_anonymous(leader, full)
    login(worker)
    response = offer(client, assessed, full)
    assert response.status_code == 400 and "Gruppomgången är full." in response.content.decode()
    response = offer(client, assessed, upcoming, intake="referral")
    assert response.status_code == 400
    assert offer(client, assessed, upcoming).status_code == 302
    response = offer(client, assessed, upcoming)
    assert response.status_code == 400
    assert "Barnet finns redan i gruppomgången." in response.content.decode()
    assert GroupParticipant.objects.filter(child_record=assessed).count() == 1


def test_an_ended_cycle_is_not_offered(client, login, worker, assessed, cycle):
    login(worker)
    assert str(cycle) not in client.get(offer_url(assessed)).content.decode()
    assert offer(client, assessed, cycle).status_code == 400
    assert not GroupParticipant.objects.exists()


def test_who_may_not_change_the_record_gets_404_or_403(
    client,
    login,
    child_worker,
    colleague,
    leader,
    outsider,
    kim_record,
    upcoming,
):
    for user, status in ((child_worker, 404), (leader, 404), (outsider, 404), (colleague, 403)):
        login(user)
        assert client.get(offer_url(kim_record)).status_code == status
        assert offer(client, kim_record, upcoming).status_code == status
    assert not GroupParticipant.objects.exists()


def test_the_cycle_leader_sees_the_child_and_another_leader_does_not(
    client, login, worker, leader, other_leader, assessed, upcoming
):
    login(worker)
    offer(client, assessed, upcoming)
    login(leader)
    url = reverse("groups:cycle_detail", args=[upcoming.pk])
    assert "Kim Åberg" in client.get(url).content.decode()
    assert AuditEntry.objects.filter(object_type="groups.groupparticipant", action="read").exists()
    login(other_leader)
    assert client.get(url).status_code == 404


def test_the_form_costs_the_same_for_one_and_many_cycles(
    client,
    login,
    worker,
    head,
    leader,
    programme,
    org,
    kim_record,
    upcoming,
):
    login(worker)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(offer_url(kim_record)).status_code == 200
        return len(queries)

    one = cost()
    for n in range(3):
        open_cycle(head, leader, programme, org["district"], name=f"Fler {n}")
    assert cost() == one


# Offered from a case: the case's person (a parent, an adult) by name ---------------------


@pytest.fixture
def parents_programme(head, programme):
    return services.programme_create(
        actor=head,
        name="Föräldragruppen",
        problem_area="addiction",
        target_group="parents",
        group_sessions=8,
        individual_talks=0,
        provider=programme.provider,
    )


@pytest.fixture
def parents_cycle(head, leader, parents_programme, org):
    return open_cycle(head, leader, parents_programme, org["district"], name="Föräldrar nu")


def case_offer_url(case):
    return reverse("groups:case_offer", args=[case.pk])


def offer_case(client, case, cycle, **extra):
    values = {"cycle": cycle.pk, "intake": "decision"} | extra
    return client.post(case_offer_url(case), values)


def test_the_case_worker_offers_a_parents_group_from_the_case(
    client, login, worker, colleague, open_case, client_person, parents_cycle
):
    login(worker)
    page = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert case_offer_url(open_case) in page and "har inte erbjudits någon stödgrupp" in page
    form = client.get(case_offer_url(open_case))
    assert form.status_code == 200 and "Föräldrar nu (Föräldragruppen, föräldrar)" in (
        form.content.decode()
    )
    assert offer_case(client, open_case, parents_cycle, intake="self").status_code == 302
    participant = GroupParticipant.objects.get()
    assert participant.person == client_person and participant.child_record is None
    assert participant.intake == "self" and participant.age_band == "26+"
    assert participant.status == ParticipantStatus.WAITING and not participant.measurement_consent
    assert AuditEntry.objects.filter(
        object_type="groups.groupparticipant", action="create", actor=worker
    ).exists()
    # A colleague who reads the case sees the participation, not the way to offer.
    login(colleague)
    page = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert "Föräldrar nu" in page and "Väntelista" in page
    assert case_offer_url(open_case) not in page
    assert AuditEntry.objects.filter(
        object_type="groups.groupparticipant", action="read", actor=colleague
    ).exists()


def test_a_childrens_group_a_second_offer_and_a_referral_are_refused_for_the_case(
    client, login, worker, open_case, upcoming, parents_cycle
):
    login(worker)
    response = offer_case(client, open_case, upcoming)
    assert response.status_code == 400
    assert "Vågen är för 7–12 år; personen är" in response.content.decode()
    assert offer_case(client, open_case, parents_cycle, intake="referral").status_code == 400
    assert offer_case(client, open_case, parents_cycle).status_code == 302
    response = offer_case(client, open_case, parents_cycle)
    assert response.status_code == 400
    assert "Anna Åberg finns redan i gruppomgången." in response.content.decode()
    assert GroupParticipant.objects.count() == 1


def test_a_parents_group_is_refused_for_a_child(client, login, worker, assessed, parents_cycle):
    login(worker)
    response = offer(client, assessed, parents_cycle)
    assert response.status_code == 400
    assert "välj en grupp för barn och unga" in response.content.decode()


def test_who_may_not_change_the_case_gets_404_or_403(
    client, login, child_worker, colleague, leader, head, outsider, open_case, parents_cycle
):
    for user, status in (
        (child_worker, 404),
        (leader, 404),
        (head, 404),
        (outsider, 404),
        (colleague, 403),
    ):
        login(user)
        assert client.get(case_offer_url(open_case)).status_code == status
        assert offer_case(client, open_case, parents_cycle).status_code == status
    assert not GroupParticipant.objects.exists()


def test_the_panels_cost_the_same_for_one_and_many_participations(
    client, login, worker, head, leader, programme, parents_programme, org, assessed, open_case
):
    n = 3
    login(worker)
    child_page = reverse("detection:child_detail", args=[assessed.pk])
    case_page = reverse("cases:case_detail", args=[open_case.pk])

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    offer(client, assessed, open_cycle(head, leader, programme, org["district"], name="A"))
    adults = open_cycle(head, leader, parents_programme, org["district"], name="F0")
    offer_case(client, open_case, adults)
    baseline = cost(child_page), cost(case_page)
    for i in range(1, n):
        offer(client, assessed, open_cycle(head, leader, programme, org["district"], name=f"A{i}"))
        offer_case(
            client,
            open_case,
            open_cycle(head, leader, parents_programme, org["district"], name=f"F{i}"),
        )
    assert (cost(child_page), cost(case_page)) == baseline
    text = client.get(child_page).content.decode()
    assert text.count("Väntelista") == n and "Närvaro" not in text
