"""Changing a cycle (name, venue, places, dates, leaders, the open list): by its leaders
and those who plan cycles, on its page and through the API, with the checks a new
cycle passes and places not below the participants taking part; audited; 404 for
whoever does not see the cycle."""

import datetime

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.models import Cycle
from tests.groups.conftest import add_anonymous

pytestmark = pytest.mark.django_db
JSON = "application/json"
EDIT = "/stodgrupper/omgangar/{}/andra/"


def form(cycle, chosen, **changes):
    values = {
        "version": cycle.version,
        "name": cycle.name,
        "venue": "Fritidsgården",
        "places": 6,
        "start_on": cycle.start_on,
        "end_on": cycle.end_on,
        "leaders": [u.pk for u in chosen],
    }
    return values | changes


def updates(cycle):
    return AuditEntry.objects.filter(object_type="groups.cycle", object_id=str(cycle.pk)).filter(
        action="update"
    )


def test_the_leader_changes_venue_places_and_leaders_on_the_page(
    client, login, leader, other_leader, cycle
):
    login(leader)
    detail = client.get(f"/stodgrupper/omgangar/{cycle.pk}/").content.decode()
    assert EDIT.format(cycle.pk) in detail
    shown = client.get(EDIT.format(cycle.pk))
    assert shown.status_code == 200 and "Vågen våren" in shown.content.decode()
    response = client.post(EDIT.format(cycle.pk), form(cycle, [leader, other_leader]))
    assert response.status_code == 302
    assert response["Location"] == f"/stodgrupper/omgangar/{cycle.pk}/"
    version = cycle.version
    cycle.refresh_from_db()
    assert (cycle.venue, cycle.places, cycle.version) == ("Fritidsgården", 6, version + 1)
    assert set(cycle.leaders.all()) == {leader, other_leader}
    (entry,) = updates(cycle)
    assert entry.changes["venue"] == ["", "Fritidsgården"]
    assert entry.changes["leaders"] == [[leader.pk], sorted([leader.pk, other_leader.pk])]


def test_a_head_of_services_changes_it_too(client, login, head, leader, cycle):
    login(head)
    response = client.post(EDIT.format(cycle.pk), form(cycle, [leader], is_public="on"))
    assert response.status_code == 302
    assert Cycle.objects.get().is_public


def test_whoever_does_not_see_the_cycle_gets_404(
    client, login, other_leader, worker, outsider, leader, cycle
):
    for user in (other_leader, worker, outsider):
        login(user)
        assert client.get(EDIT.format(cycle.pk)).status_code == 404
        assert client.post(EDIT.format(cycle.pk), form(cycle, [leader])).status_code == 404
        patched = client.patch(
            f"/api/v1/group-cycles/{cycle.pk}/",
            {"venue": "X", "version": cycle.version},
            content_type=JSON,
        )
        assert patched.status_code == 404
    assert Cycle.objects.get().venue == "" and not updates(cycle).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"places": 1}, "Platserna kan inte bli färre än de 2 deltagare som väntar eller är med."),
        ({"end_on": datetime.date(2026, 1, 1)}, "Slutdatum kan inte vara före startdatum."),
        ({"leaders": []}, "Det här fältet är obligatoriskt."),
        ({"start_on": datetime.date(2026, 2, 2)}, "Gruppen har träffar före startdatumet."),
    ],
)
def test_bad_input_is_refused_with_what_to_fix(client, login, leader, cycle, changes, message):
    add_anonymous(leader, cycle)
    add_anonymous(leader, cycle)
    services.session_add(actor=leader, cycle=cycle, held_on=datetime.date(2026, 2, 1))
    login(leader)
    response = client.post(EDIT.format(cycle.pk), form(cycle, [leader], **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Cycle.objects.get().version == cycle.version and not updates(cycle).exists()


def test_a_leader_outside_the_group_leader_role_is_refused(head, leader, worker, cycle):
    with pytest.raises(Exception, match="är inte gruppledare i kommunen"):
        services.cycle_update(
            actor=head, cycle=cycle, expected_version=cycle.version, leaders=[worker]
        )


def test_a_stale_edit_keeps_the_input(client, login, leader, cycle):
    login(leader)
    response = client.post(EDIT.format(cycle.pk), form(cycle, [leader], version=cycle.version + 5))
    assert response.status_code == 400 and Cycle.objects.get().venue == ""


def test_the_api_changes_the_cycle_and_keeps_the_leaders_it_is_not_given(
    client, login, leader, cycle
):
    login(leader)
    url = f"/api/v1/group-cycles/{cycle.pk}/"
    version = cycle.version
    saved = client.patch(url, {"places": 12, "version": version}, content_type=JSON)
    assert saved.status_code == 200, saved.content
    assert (saved.json()["places"], saved.json()["leaders"]) == (12, [leader.pk])
    add_anonymous(leader, cycle)
    refused = client.patch(url, {"places": 0, "version": version + 1}, content_type=JSON)
    assert refused.status_code == 400 and "places" in refused.json()
    (entry,) = updates(cycle)
    assert entry.changes == {"places": [8, 12]}


@pytest.mark.parametrize("leaders", [1, 4])
def test_the_edit_page_costs_the_same_for_one_leader_and_many(
    client, login, head, leader, cycle, municipality, org, leaders, django_assert_num_queries
):
    from kinsight.core.models import Role
    from tests import factories

    more = [
        factories.staff(
            municipality, role=Role.GROUP_LEADER, unit=org["district"], username=f"l{n}"
        )
        for n in range(leaders - 1)
    ]
    services.cycle_update(
        actor=head, cycle=cycle, expected_version=cycle.version, leaders=[leader, *more]
    )
    login(leader)
    with django_assert_num_queries(6):
        assert client.get(EDIT.format(cycle.pk)).status_code == 200
