"""The competence-needs inventory: the leader opens it, each member's head of services
answers per area until the deadline (after it refused), the leader compiles per area and
member with totals and adds courses to the offer; everyone else 404."""

import datetime

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.network.models import Answer, Course, Inventory
from tests.network.conftest import soon


def answer(client, inventory, area="Missbruk", staff=4, needs="MI-fördjupning"):
    url = reverse("network:answer", args=[inventory.pk])
    data = {"area": area, "needs": needs, "staff_count": staff, "suggestions": "Kurs X"}
    return client.post(url, data)


def test_the_leader_opens_an_inventory_with_the_standing_and_added_areas(
    login, leader, member, second
):
    client = login(leader)
    data = {"year": 2027, "deadline": soon(20).isoformat(), "extra_areas": "Våld i nära relation"}
    assert client.post(reverse("network:inventories"), data).status_code == 302
    found = Inventory.objects.get()
    assert found.areas == [
        "Missbruk",
        "Ekonomiskt bistånd",
        "Barn och unga",
        "Våld i nära relation",
    ]
    assert AuditEntry.objects.filter(object_type="network.inventory").count() == 2  # 2 members
    response = client.post(reverse("network:inventories"), data)
    assert response.status_code == 400
    assert "Det finns redan en inventering för 2027." in response.content.decode()


def test_members_answer_and_the_leader_compiles_with_totals(
    login, leader, inventory, head, other_head, second
):
    assert answer(login(head), inventory, staff=4).status_code == 302
    assert answer(login(head), inventory, staff=5).status_code == 302  # replaces
    assert answer(login(other_head), inventory, staff=3).status_code == 302
    assert Answer.objects.count() == 2
    rows = AuditEntry.objects.filter(object_type="network.answer")
    assert sorted(rows.values_list("action", flat=True)) == ["create", "create", "update"]
    page = login(leader).get(reverse("network:inventory", args=[inventory.pk])).content.decode()
    assert "2 medlemmar har svarat" in page and '<td class="number">8</td>' in page
    assert "2 / 3" not in page and "1 / 3" in page


def test_a_member_sees_only_its_own_answers(login, inventory, head, other_head, second):
    answer(login(other_head), inventory, needs="Annans behov")
    page = login(head).get(reverse("network:inventory", args=[inventory.pk])).content.decode()
    assert "Annans behov" not in page and "Svara för ett område" in page


def test_an_answer_after_the_deadline_is_refused(login, inventory, head):
    Inventory.objects.filter(pk=inventory.pk).update(deadline=soon(-1))
    inventory.refresh_from_db()
    response = answer(login(head), inventory)
    assert response.status_code == 400
    assert "Svar tas inte längre emot" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_answer_for_an_area_not_asked_is_refused(login, inventory, head):
    assert answer(login(head), inventory, area="Annat").status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize("who", ["worker", "other_head", "stranger_leader"])
def test_it_answers_404_outside_the_region(request, login, inventory, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("network:inventory", args=[inventory.pk])).status_code == 404
    assert answer(client, inventory).status_code == 404


def test_the_leader_adds_a_course_and_bad_numbers_are_refused(login, leader, inventory, head):
    url = reverse("network:course_add", args=[inventory.pk])
    start = soon(60)
    data = {
        "area": "Missbruk",
        "title": "MI grund",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=1)).isoformat(),
        "capacity": 10,
        "minimum": 12,
        "cost": "2500",
        "decision_on": soon(30).isoformat(),
        "with_neighbour": "on",
    }
    client = login(leader)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Minsta antal deltagare kan inte vara fler" in response.content.decode()
    assert client.post(url, {**data, "minimum": 6}).status_code == 302
    course = Course.objects.get()
    assert (course.inventory, course.with_neighbour) == (inventory, True)
    assert login(head).post(url, {**data, "minimum": 6}).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_compilation_takes_the_same_queries_however_many_answers(
    login, leader, inventory, head, count, django_assert_num_queries
):
    for area in inventory.areas[:count]:
        answer(login(head), inventory, area=area)
    client = login(leader)
    with django_assert_num_queries(9):
        assert client.get(reverse("network:inventory", args=[inventory.pk])).status_code == 200


def test_a_head_of_services_is_reminded_on_the_start_page_until_every_area_is_answered(
    login, inventory, head, worker
):
    assert "Inventeringen 2027: svara senast" not in login(worker).get("/").content.decode()
    client = login(head)
    assert "(0 av 3 områden besvarade)" in client.get("/").content.decode()
    for area in inventory.areas:
        answer(client, inventory, area=area)
    assert "Inventeringen 2027" not in client.get("/").content.decode()


def test_no_reminder_while_the_deadline_is_far(login, inventory, head, settings):
    settings.KINSIGHT_NETWORK_REMINDER_DAYS = 5
    assert "Inventeringen 2027" not in login(head).get("/").content.decode()


def test_members_read_the_lists_without_the_leaders_forms(login, inventory, meeting, head):
    client = login(head)
    page = client.get(reverse("network:inventories")).content.decode()
    assert "2027" in page and "Öppna en inventering" not in page
    page = client.get(reverse("network:meetings")).content.decode()
    assert meeting.title in page and "Nytt möte" not in page
    assert client.post(reverse("network:meetings"), {"title": "X"}).status_code == 403
