"""The leaders' side of the open group list: a cycle's new applications on its page
(its leaders only: another leader, a head of services, a case worker and another
municipality never see one), accepted into an anonymous participant on the waiting
list or declined, on the page and through the API; the start page's count; the
municipality's settings page and API (heads of services and administrators); a cycle
put on the list."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.audit.models import AuditEntry
from kinsight.audit.registry import LIST_ID
from kinsight.groups.models import (
    ApplicationStatus,
    Cycle,
    GroupParticipant,
    GroupSettings,
)
from kinsight.groups.services.applications import application_submit
from tests.groups.conftest import add_anonymous
from tests.groups.open_list_helpers import TODAY, list_on, public_cycle

pytestmark = pytest.mark.django_db
API = "/api/v1/"
API_LIST = f"{API}group-applications/"


@pytest.fixture(autouse=True)
def no_counted_applications():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_cycle(head, leader, programme, org):
    list_on(head)
    return public_cycle(head, [leader], programme, org["district"])


@pytest.fixture
def application(open_cycle):
    return application_submit(
        cycle=open_cycle,
        name="Kim Andersson",
        contact="kim@example.se",
        age_band="13-16",
        sex="female",
        message="Jag vill gärna vara med.",
    )


def cycle_url(cycle):
    return f"/stodgrupper/omgangar/{cycle.pk}/"


def accept_url(application):
    return f"/stodgrupper/intresseanmalningar/{application.pk}/anta/"


def decline_url(application):
    return f"/stodgrupper/intresseanmalningar/{application.pk}/avboj/"


def test_the_cycles_leader_sees_the_new_application_audited(
    client, login, leader, open_cycle, application
):
    login(leader)
    html = client.get(cycle_url(open_cycle)).content.decode()
    assert "Intresseanmälningar" in html
    assert "Kim Andersson" in html and "kim@example.se" in html
    assert "13–16 år" in html and "Jag vill gärna vara med." in html
    assert accept_url(application) in html and decline_url(application) in html
    read = AuditEntry.objects.get(
        object_type="groups.groupapplication", action="read", object_id=LIST_ID
    )
    assert read.actor == leader and read.changes["ids"] == [str(application.pk)]
    start = client.get("/stodgrupper/").content.decode()
    assert "1 ny intresseanmälan från den öppna grupplistan" in start


def test_nobody_else_sees_an_application(
    client, login, head, other_leader, worker, outsider, open_cycle, application
):
    login(head)  # sees the cycle, not who applied
    html = client.get(cycle_url(open_cycle)).content.decode()
    assert "Vågen" in html and "Kim Andersson" not in html
    for user in (head, other_leader, worker, outsider):
        login(user)
        assert client.post(accept_url(application)).status_code == 404
        assert client.post(decline_url(application)).status_code == 404
        assert client.get(f"{API}group-applications/{application.pk}/").status_code == 404
        assert client.get(f"{API}group-applications/").json()["results"] == []
    for user in (other_leader, worker, outsider):
        login(user)
        assert client.get(cycle_url(open_cycle)).status_code == 404
        assert "intresseanmälan" not in client.get("/stodgrupper/").content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW
    assert not GroupParticipant.objects.exists()


def test_accepting_makes_an_anonymous_participant_on_the_waiting_list(
    client, login, leader, open_cycle, application
):
    login(leader)
    response = client.post(accept_url(application))
    assert response.status_code == 302
    assert response["Location"] == cycle_url(open_cycle) + "#h-applications"
    page = client.get(response["Location"]).content.decode()
    assert "Den sökande står på väntelistan." in page
    assert "Inga nya intresseanmälningar." in page
    participant = GroupParticipant.objects.get()
    assert participant.person is None and participant.cycle == open_cycle
    assert (participant.intake, participant.status) == ("self", "waiting")
    assert (participant.age_band, participant.sex) == ("13-16", "female")
    assert participant.district == open_cycle.district
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert (application.participant, application.handled_by) == (participant, leader)
    assert application.handled_at is not None
    changed = AuditEntry.objects.get(object_type="groups.groupapplication", action="update")
    assert changed.actor == leader
    assert changed.changes == {
        "status": ["new", "accepted"],
        "participant": [None, participant.pk],
    }
    assert AuditEntry.objects.filter(
        object_type="groups.groupparticipant", action="create", object_id=str(participant.pk)
    ).exists()
    again = client.post(accept_url(application), follow=True).content.decode()
    assert "Intresseanmälan är redan hanterad." in again
    assert GroupParticipant.objects.count() == 1


def test_a_full_cycle_refuses_to_accept(client, login, leader, open_cycle, application):
    for _n in range(open_cycle.places):
        add_anonymous(leader, open_cycle)
    login(leader)
    page = client.post(accept_url(application), follow=True).content.decode()
    assert "Gruppomgången är full eller har slutat" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW
    assert GroupParticipant.objects.count() == open_cycle.places


def test_declining_keeps_the_application_handled(client, login, leader, application):
    login(leader)
    response = client.post(decline_url(application), follow=True)
    assert "Intresseanmälan är avböjd." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED and application.participant is None
    changed = AuditEntry.objects.get(object_type="groups.groupapplication", action="update")
    assert changed.changes == {"status": ["new", "declined"]}
    assert client.get(decline_url(application)).status_code == 405


def test_the_api_lists_accepts_and_declines_for_the_leader(
    client, login, leader, open_cycle, application
):
    second = application_submit(
        cycle=open_cycle, name="Alex", contact="070-111 22 33", age_band="7-12"
    )
    login(leader)
    rows = client.get(f"{API}group-applications/?status=new").json()["results"]
    assert [(r["name"], r["contact"]) for r in rows] == [
        ("Kim Andersson", "kim@example.se"),
        ("Alex", "070-111 22 33"),
    ]
    accepted = client.post(f"{API}group-applications/{application.pk}/accept/")
    assert accepted.status_code == 201
    assert accepted.json()["intake"] == "self" and accepted.json()["person"] is None
    declined = client.post(f"{API}group-applications/{second.pk}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    again = client.post(f"{API}group-applications/{second.pk}/accept/")
    assert again.status_code == 400
    assert "redan hanterad" in again.json()["status"][0]


def test_the_settings_page_turns_the_list_on(client, login, head, municipality):
    login(head)
    assert "/stodgrupper/installningar/" in client.get("/stodgrupper/program/").content.decode()
    page = client.get("/stodgrupper/installningar/")
    assert page.status_code == 200
    assert f"/grupper/{municipality.code}/" in page.content.decode()
    assert not GroupSettings.objects.exists()  # the defaults, unsaved
    response = client.post(
        "/stodgrupper/installningar/", {"public_list": "on", "own_consent_age": "14"}
    )
    assert response.status_code == 302
    saved = GroupSettings.objects.get()
    assert (saved.public_list, saved.own_consent_age, saved.municipality) == (
        True,
        14,
        municipality,
    )
    created = AuditEntry.objects.get(object_type="groups.groupsettings")
    assert created.action == "create" and created.actor == head
    client.post("/stodgrupper/installningar/", {"own_consent_age": "14"})
    changed = AuditEntry.objects.get(object_type="groups.groupsettings", action="update")
    assert changed.changes == {"public_list": [True, False]}
    assert GroupSettings.objects.count() == 1


def test_the_settings_refuse_a_bad_age(client, login, head):
    login(head)
    response = client.post("/stodgrupper/installningar/", {"own_consent_age": "3"})
    assert response.status_code == 400
    assert "Kontrollera att detta värde är större än eller lika med 7." in (
        response.content.decode()
    )
    assert not GroupSettings.objects.exists()


def test_only_those_who_keep_the_groups_reach_the_settings(
    client, login, leader, worker, outsider, administrator, other_municipality
):
    for user in (leader, worker):
        login(user)
        assert client.get("/stodgrupper/installningar/").status_code == 404
        assert client.get(f"{API}group-settings/").status_code == 404
        body = {"public_list": True, "own_consent_age": 15}
        assert (
            client.post(f"{API}group-settings/", body, content_type="application/json").status_code
            == 404
        )
    assert not GroupSettings.objects.exists()
    login(administrator)
    assert client.get("/stodgrupper/installningar/").status_code == 200
    login(outsider)  # another municipality's administrator changes their own
    client.post("/stodgrupper/installningar/", {"public_list": "on", "own_consent_age": "15"})
    assert GroupSettings.objects.get().municipality == other_municipality


def test_the_settings_api_reads_and_changes(client, login, head):
    login(head)
    assert client.get(f"{API}group-settings/").json() == {
        "public_list": False,
        "own_consent_age": 15,
    }
    body = {"public_list": True, "own_consent_age": 16}
    response = client.post(f"{API}group-settings/", body, content_type="application/json")
    assert response.status_code == 200 and response.json() == body
    bad = client.post(
        f"{API}group-settings/", {**body, "own_consent_age": 30}, content_type="application/json"
    )
    assert bad.status_code == 400 and "own_consent_age" in bad.json()
    assert GroupSettings.objects.get().own_consent_age == 16


def test_a_new_cycle_can_be_put_on_the_open_list(client, login, head, leader, programme, org):
    login(head)
    start = TODAY + datetime.timedelta(days=30)
    response = client.post(
        "/stodgrupper/omgangar/ny/",
        {
            "programme": programme.pk,
            "name": "Vågen öppen",
            "district": org["district"].pk,
            "places": 8,
            "is_public": "on",
            "start_on": start.isoformat(),
            "leaders": [leader.pk],
        },
    )
    assert response.status_code == 302
    assert Cycle.objects.get(name="Vågen öppen").is_public


def statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_applications_cost_the_same_for_one_and_many(client, login, leader, open_cycle):
    def send(n):
        application_submit(cycle=open_cycle, name=f"Sökande {n}", contact="070-1", age_band="26+")

    send(0)
    login(leader)
    page, api = statements(client, cycle_url(open_cycle)), statements(client, API_LIST)
    for n in range(1, 4):
        send(n)
    assert statements(client, cycle_url(open_cycle)) == page
    assert statements(client, API_LIST) == api
    assert len(client.get(API_LIST).json()["results"]) == 4
