"""The training register: a member's head of services enrols its staff while there is
room, records attendance once the course has started; each staff member's trainings;
a course below its minimum before its decision date is flagged (list, the leader's start
page with the next meeting and the inventory's status per member)."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.network import offer
from kinsight.network.models import Course, Enrolment
from tests import factories
from tests.network.conftest import soon

FLAG = '<strong class="flag">Under minimum</strong>'


def course(leader, inventory, **fields):
    values = {
        "area": "Missbruk",
        "title": "MI-fördjupning",
        "starts_on": soon(40),
        "ends_on": soon(41),
        "capacity": 2,
        "minimum": 2,
        "cost": 3000,
        "decision_on": soon(20),
        "with_neighbour": False,
    }
    return offer.course_add(actor=leader, inventory=inventory, **{**values, **fields})


def enrol(client, found, user):
    return client.post(reverse("network:enrol", args=[found.pk]), {"participant": user.pk})


def test_a_head_enrols_staff_up_to_the_capacity(
    login, leader, inventory, head, worker, municipality
):
    found = course(leader, inventory)
    client = login(head)
    assert enrol(client, found, worker).status_code == 302
    assert enrol(client, found, worker).status_code == 400  # already enrolled
    assert enrol(client, found, head).status_code == 302
    third = factories.staff(municipality, username="tredje")
    response = enrol(client, found, third)
    assert response.status_code == 400
    assert "Kursen är fullbokad (2 platser)." in response.content.decode()
    assert Enrolment.objects.count() == 2
    rows = AuditEntry.objects.filter(object_type="network.enrolment", action="create")
    assert set(rows.values_list("municipality_id", flat=True)) == {municipality.pk}


def test_another_municipalitys_staff_cannot_be_enrolled(login, leader, inventory, head, other_head):
    found = course(leader, inventory)
    response = enrol(login(head), found, other_head)
    assert response.status_code == 400 and not Enrolment.objects.exists()


def test_attendance_is_recorded_once_started_and_shown_on_the_staff_members_page(
    login, leader, inventory, head, worker
):
    found = course(leader, inventory)
    client = login(head)
    enrol(client, found, worker)
    row = Enrolment.objects.get()
    url = reverse("network:attended", args=[row.pk])
    client.post(url, {"attended": "yes"})
    assert Enrolment.objects.get().attended is None  # not started
    Course.objects.filter(pk=found.pk).update(starts_on=soon(-1), decision_on=soon(-5))
    client.post(url, {"attended": "yes"})
    assert Enrolment.objects.get().attended is True
    page = client.get(reverse("network:trainings", args=[worker.pk])).content.decode()
    assert "MI-fördjupning" in page and "Deltog" in page
    assert login(worker).get(reverse("network:trainings", args=[worker.pk])).status_code == 200


@pytest.mark.parametrize("who", ["other_head", "stranger_leader"])
def test_a_staff_members_trainings_are_404_outside_the_municipality(request, login, worker, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("network:trainings", args=[worker.pk])).status_code == 404


def test_a_course_below_its_minimum_is_flagged_until_its_decision_date(
    login, leader, inventory, head, meeting
):
    found = course(leader, inventory)
    client = login(leader)
    assert FLAG in client.get(reverse("network:courses")).content.decode()
    start = client.get(reverse("regions:start")).content.decode()
    assert "MI-fördjupning</a>: 0 anmälda av minst 2" in start
    assert meeting.title in start and "0 / 3" in start
    Course.objects.filter(pk=found.pk).update(decision_on=soon(-1), starts_on=soon(1))
    assert FLAG not in client.get(reverse("network:courses")).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_offer_takes_the_same_queries_however_many_courses(
    login, leader, inventory, count, django_assert_num_queries
):
    for number in range(count):
        course(leader, inventory, title=f"Kurs {number}")
    client = login(leader)
    with django_assert_num_queries(5):
        assert client.get(reverse("network:courses")).status_code == 200


def test_members_unit_managers_read_the_offer_but_may_not_enrol(
    login, leader, inventory, unit_manager, worker
):
    found = course(leader, inventory)
    client = login(unit_manager)
    assert client.get(reverse("network:course", args=[found.pk])).status_code == 200
    assert enrol(client, found, worker).status_code == 403
    assert login(worker).get(reverse("network:course", args=[found.pk])).status_code == 404


def test_attending_a_leader_training_records_the_leader_in_the_groups_register(
    login, leader, inventory, head, worker
):
    from kinsight.groups.models import LeaderTraining

    found = course(leader, inventory, title="Stödgruppsledare BRA", leader_training=True)
    client = login(head)
    enrol(client, found, worker)
    Course.objects.filter(pk=found.pk).update(starts_on=soon(-1), decision_on=soon(-5))
    client.post(reverse("network:attended", args=[Enrolment.objects.get().pk]), {"attended": "yes"})
    trained = LeaderTraining.objects.get()
    assert (trained.leader, trained.training, trained.district.kind) == (
        worker,
        "Stödgruppsledare BRA",
        "district",
    )
    assert AuditEntry.objects.filter(object_type="groups.leadertraining", action="create").exists()


def test_enrolment_and_attendance_through_the_api(login, leader, inventory, head, worker):
    found = course(leader, inventory)
    client = login(head)
    url = f"/api/v1/network-courses/{found.pk}/"
    response = client.post(
        url + "enrol/", {"participant": worker.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert client.get(url).json()["enrolled"] == 1
    pk = response.json()["id"]
    response = client.post(
        f"/api/v1/network-enrolments/{pk}/attended/",
        {"attended": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "först när kursen har börjat" in str(response.json())
    assert (
        login(leader)
        .post(url + "enrol/", {"participant": worker.pk}, content_type="application/json")
        .status_code
        == 403
    )


@pytest.mark.parametrize("count", [1, 3])
def test_a_course_page_takes_the_same_queries_however_many_enrolled(
    login, leader, inventory, head, municipality, count, django_assert_num_queries
):
    found = course(leader, inventory, capacity=5)
    for number in range(count):
        offer.enrol(
            actor=head,
            course=found,
            participant=factories.staff(municipality, username=f"deltagare{number}"),
        )
    client = login(head)
    with django_assert_num_queries(7):
        assert client.get(reverse("network:course", args=[found.pk])).status_code == 200
