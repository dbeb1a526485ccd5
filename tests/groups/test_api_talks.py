"""Individual talks through the API (/api/v1/group-talks/): the cycle's leaders list
and register them (the day only); another leader, a head of services, a case worker and
another municipality get 404; bad input 400; reads and the write audited; the list
costs the same for one talk and many."""

import datetime

import pytest
from django.db import connection

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.models import IndividualTalk
from tests.audit.helpers import write_statements
from tests.groups.conftest import add_anonymous

pytestmark = pytest.mark.django_db
JSON = "application/json"
URL = "/api/v1/group-talks/"
DAY = datetime.date(2026, 2, 1)


def started(leader, cycle, **extra):
    member = add_anonymous(leader, cycle, **extra)
    return services.participant_start(
        actor=leader, participant=member, expected_version=member.version, on=DAY
    )


def talk(leader, member, on=DAY):
    return services.individual_talk_add(actor=leader, participant=member, on=on)


def test_the_leader_registers_and_lists_talks(client, login, leader, cycle):
    member = started(leader, cycle)
    login(leader)
    response = client.post(URL, {"participant": member.pk, "on": "2026-02-10"}, content_type=JSON)
    assert response.status_code == 201
    made = IndividualTalk.objects.get()
    assert response.json() == {
        "id": made.pk,
        "participant": member.pk,
        "held_on": "2026-02-10",
        "by": leader.pk,
    }
    created = AuditEntry.objects.get(action="create", object_type="groups.individualtalk")
    assert created.changes["held_on"] == [None, "2026-02-10"]
    listed = client.get(URL, {"participant__cycle": cycle.pk}).json()["results"]
    assert [row["id"] for row in listed] == [made.pk]
    read = AuditEntry.objects.filter(action="read", object_type="groups.individualtalk").last()
    assert read.changes["ids"] == [str(made.pk)]


def test_bad_input_is_400_with_a_clear_message(client, login, leader, cycle):
    waiting = add_anonymous(leader, cycle)
    member = started(leader, cycle)
    login(leader)
    refused = client.post(URL, {"participant": waiting.pk}, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json() == {
        "on": ["Enskilda samtal registreras för deltagare som är eller har varit med."]
    }
    before = client.post(URL, {"participant": member.pk, "on": "2026-01-01"}, content_type=JSON)
    assert before.status_code == 400 and "on" in before.json()
    assert client.post(URL, {"on": "2026-02-10"}, content_type=JSON).status_code == 400
    assert not IndividualTalk.objects.exists()


def test_no_one_but_the_cycles_leaders_sees_or_registers_a_talk(
    client, login, leader, other_leader, head, worker, outsider, cycle
):
    member = started(leader, cycle)
    made = talk(leader, member)
    for user in (other_leader, head, worker, outsider):
        login(user)
        assert client.get(f"{URL}{made.pk}/").status_code == 404, user
        assert client.get(URL).json()["results"] == [], user
        response = client.post(URL, {"participant": member.pk}, content_type=JSON)
        assert response.status_code == 400, user  # the participant is not one they see
        assert "participant" in response.json()
    assert IndividualTalk.objects.count() == 1


@pytest.mark.parametrize("talks", [1, 4])
def test_the_list_costs_the_same_for_one_talk_and_many(
    client, login, leader, cycle, talks, django_assert_num_queries
):
    for n in range(talks):
        talk(leader, started(leader, cycle), DAY + datetime.timedelta(days=n))
    login(leader)
    # the request (session, user, role scopes) and count and page: 4 in all, as the
    # measurements' list; the audit's statements (no subjects on SQLite: anonymous
    # participants name nobody)
    audit = write_statements() - (connection.vendor != "postgresql")
    with django_assert_num_queries(4 + audit):
        assert len(client.get(URL).json()["results"]) == talks
