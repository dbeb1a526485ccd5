"""The group leader's pages: the start page, a cycle's page, sessions and attendance,
participants and their steps, measurements by the leader and one-time codes; with
access (another leader, a case worker, another municipality: 404), bad input (400),
audit rows and query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.models import (
    Attendance,
    Cycle,
    GroupParticipant,
    IndividualTalk,
    Measurement,
    MeasurementCode,
    ParticipantStatus,
    Point,
)
from tests.audit.helpers import write_statements
from tests.groups.conftest import add_anonymous, answers

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
MONDAY = TODAY - TODAY.weekday() * DAY


@pytest.fixture
def running(head, leader, programme, org):
    """A cycle that started four weeks ago and runs for four more."""
    return services.cycle_create(
        actor=head,
        programme=programme,
        name="Vågen nu",
        district=org["district"],
        start_on=MONDAY - 28 * DAY,
        end_on=TODAY + 28 * DAY,
        leaders=[leader],
        venue="Fritidsgården",
    )


def active(leader, cycle, **extra):
    participant = add_anonymous(leader, cycle, **extra)
    return services.participant_start(
        actor=leader,
        participant=participant,
        expected_version=participant.version,
        on=cycle.start_on,
    )


def audit_statements():
    """The audit's statements for anonymous participants: on SQLite no insert of
    subjects (nobody is named); on PostgreSQL one statement does it all."""
    return write_statements() - (connection.vendor != "postgresql")


def reads(object_type):
    return AuditEntry.objects.filter(object_type=object_type, action="read")


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# The start page -------------------------------------------------------------------


def test_it_shows_the_leader_what_to_do_today(client, login, leader, running):
    services.session_add(actor=leader, cycle=running, held_on=MONDAY - 14 * DAY, theme="Känslor")
    services.session_add(actor=leader, cycle=running, held_on=MONDAY, theme="Familjen")
    due = active(leader, running)
    add_anonymous(leader, running, age_band="13-16")
    login(leader)
    html = page(client, "/stodgrupper/")
    assert "Vågen nu" in html and "Känslor" in html and "Familjen" in html
    assert f"/stodgrupper/deltagare/{due.pk}/matningar/" in html  # before: due once started
    assert "1 deltagare väntar på att börja." in html
    assert reads("groups.groupparticipant").get().changes["ids"] == [str(due.pk)]


def test_after_is_due_once_the_cycle_has_ended_and_not_twice(client, login, leader, cycle, who5):
    participant = active(leader, cycle)
    services.measurement_record(
        actor=leader,
        participant=participant,
        instrument=who5,
        point=Point.BEFORE,
        answers=answers(10),
        answered_on=cycle.start_on,
    )
    login(leader)
    html = page(client, "/stodgrupper/")
    assert html.count(f"/stodgrupper/deltagare/{participant.pk}/matningar/") == 1  # after only
    assert "efter" in html


@pytest.mark.parametrize("cycles", [1, 3])
def test_the_start_page_costs_the_same_for_one_and_many(
    client, login, head, leader, programme, org, cycles, django_assert_num_queries
):
    for n in range(cycles):
        cycle = services.cycle_create(
            actor=head,
            programme=programme,
            name=f"Grupp {n}",
            district=org["district"],
            start_on=MONDAY - 7 * DAY,
            end_on=TODAY + 7 * DAY,
            leaders=[leader],
        )
        services.session_add(actor=leader, cycle=cycle, held_on=MONDAY)
        active(leader, cycle)
        add_anonymous(leader, cycle)
    login(leader)
    # sign-in 3; cycles, leaders, sessions, participants due, plans, measurements,
    # waiting 7; the own-consent age 1; new applications 1; open referrals 1; audit
    with django_assert_num_queries(3 + 10 + audit_statements()):
        client.get("/stodgrupper/")


def test_heads_of_services_see_every_cycle_and_no_participant(client, login, head, leader, running):
    participant = active(leader, running)
    login(head)
    html = page(client, "/stodgrupper/")
    assert "Vågen nu" in html and "Ny gruppomgång" in html and "Att göra" not in html
    html = page(client, f"/stodgrupper/omgangar/{running.pk}/")
    assert "Fritidsgården" in html and "visas bara för gruppens ledare" in html
    assert str(participant) not in html


def test_only_leaders_heads_and_administrators_have_the_start_page(
    client, login, worker, log_reviewer, leader
):
    for user in (worker, log_reviewer):
        login(user)
        assert client.get("/stodgrupper/").status_code == 404
        assert "Stödgrupper" not in page(client, "/")
    login(leader)
    assert "Stödgrupper" in page(client, "/")


# The cycle's page ---------------------------------------------------------------------


def test_another_leader_a_case_worker_and_another_municipality_get_404(
    client, login, other_leader, worker, outsider, running, leader
):
    participant = add_anonymous(leader, running)
    session = services.session_add(actor=leader, cycle=running, held_on=MONDAY)
    urls = [
        f"/stodgrupper/omgangar/{running.pk}/",
        f"/stodgrupper/deltagare/{participant.pk}/borjar/",
        f"/stodgrupper/deltagare/{participant.pk}/matningar/1/",
    ]
    posts = [
        f"/stodgrupper/omgangar/{running.pk}/traffar/",
        f"/stodgrupper/omgangar/{running.pk}/deltagare/",
        f"/stodgrupper/traffar/{session.pk}/narvaro/",
        f"/stodgrupper/deltagare/{participant.pk}/matningar/1/kod/",
    ]
    for user in (other_leader, worker, outsider):
        login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        for url in posts:
            assert client.post(url, {}).status_code == 404, (user, url)


def test_the_leader_adds_a_session_and_records_its_attendance(client, login, leader, running):
    present, excused = active(leader, running), active(leader, running)
    waiting = add_anonymous(leader, running)
    login(leader)
    url = f"/stodgrupper/omgangar/{running.pk}/"
    response = client.post(url + "traffar/", {"held_on": MONDAY - DAY, "theme": "Start"})
    assert response.status_code == 302 and response["Location"] == url
    session = running.sessions.get()
    html = page(client, url)
    assert f'name="s{session.pk}-p{present.pk}"' in html
    assert f'name="s{session.pk}-p{waiting.pk}"' not in html  # not in the group yet
    response = client.post(
        f"/stodgrupper/traffar/{session.pk}/narvaro/",
        {f"s{session.pk}-p{present.pk}": "present", f"s{session.pk}-p{excused.pk}": "excused"},
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("participant_id", "presence")) == {
        present.pk: "present",
        excused.pk: "excused",
    }
    assert AuditEntry.objects.filter(object_type="groups.attendance", action="create").count() == 2
    assert "Ändra närvaron" in page(client, url)
    assert reads("groups.attendance").exists()


def test_a_future_session_waits_for_its_day(client, login, leader, running):
    participant = active(leader, running)
    session = services.session_add(actor=leader, cycle=running, held_on=TODAY + 2 * DAY)
    login(leader)
    assert "kan registreras när träffen har varit" in page(
        client, f"/stodgrupper/omgangar/{running.pk}/"
    )
    response = client.post(
        f"/stodgrupper/traffar/{session.pk}/narvaro/",
        {f"s{session.pk}-p{participant.pk}": "present"},
    )
    assert response.status_code == 400
    assert "Närvaro kan registreras först när träffen har varit." in response.content.decode()
    assert not Attendance.objects.exists()


def test_bad_session_and_attendance_input_gets_400(client, login, leader, running):
    participant = active(leader, running)
    session = services.session_add(actor=leader, cycle=running, held_on=MONDAY - DAY)
    login(leader)
    response = client.post(
        f"/stodgrupper/omgangar/{running.pk}/traffar/", {"held_on": running.start_on - DAY}
    )
    assert response.status_code == 400 and running.sessions.count() == 1
    response = client.post(
        f"/stodgrupper/traffar/{session.pk}/narvaro/", {f"s{session.pk}-p{participant.pk}": "late"}
    )
    assert response.status_code == 400 and not Attendance.objects.exists()
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_a_head_of_services_may_not_add_participants_or_sessions(client, login, head, running):
    login(head)
    for url in ("traffar/", "deltagare/"):
        response = client.post(f"/stodgrupper/omgangar/{running.pk}/{url}", {})
        assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_the_cycle_page_costs_the_same_for_one_and_many(
    client, login, leader, running, who5, rows, django_assert_num_queries
):
    for n in range(rows):
        participant = active(leader, running)
        session = services.session_add(actor=leader, cycle=running, held_on=MONDAY - n * DAY)
        services.attendance_record(
            actor=leader, session=session, presence={participant.pk: "present"}
        )
        services.measurement_record(
            actor=leader,
            participant=participant,
            instrument=who5,
            point=Point.BEFORE,
            answers=answers(12),
            answered_on=TODAY,
        )
    login(leader)
    # sign-in 3; cycle, leaders, participants, their measurements and individual talks,
    # attendance, sessions, plan 8; the own-consent age 1; district choices of the
    # participant form 1; the leaders' notes 1 (none: no audit row); new applications
    # 1 (none: no audit row); open referrals to the provider 1 (none: no audit row);
    # audit
    with django_assert_num_queries(3 + 13 + audit_statements()):
        html = page(client, f"/stodgrupper/omgangar/{running.pk}/")
    assert html.count("gjord ") == rows


# Participants ---------------------------------------------------------------------------


def test_the_leader_adds_an_anonymous_participant_to_the_waiting_list(
    client, login, leader, running, org
):
    login(leader)
    url = f"/stodgrupper/omgangar/{running.pk}/deltagare/"
    values = {"age_band": "7-12", "sex": "female", "district": org["district"].pk, "intake": "self"}
    assert client.post(url, values | {"measurement_consent": "on"}).status_code == 302
    added = GroupParticipant.objects.get()
    assert added.status == ParticipantStatus.WAITING and added.measurement_consent
    assert added.person is None and added.district == org["district"]
    assert AuditEntry.objects.filter(
        object_type="groups.groupparticipant", action="create"
    ).exists()
    response = client.post(url, values | {"age_band": "", "intake": "referral"})
    assert response.status_code == 400 and GroupParticipant.objects.count() == 1
    assert "Rätta följande" in response.content.decode()


def test_a_participant_starts_finishes_or_drops_with_a_reason(client, login, leader, running):
    first, second = add_anonymous(leader, running), add_anonymous(leader, running)
    login(leader)
    url = f"/stodgrupper/deltagare/{first.pk}/borjar/"
    assert "Börjar i gruppen" in page(client, url)
    assert reads("groups.groupparticipant").filter(object_id=str(first.pk)).exists()
    response = client.post(url, {"version": first.version, "on": TODAY})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ParticipantStatus.ACTIVE and first.joined_on == TODAY
    response = client.post(
        f"/stodgrupper/deltagare/{first.pk}/fullfoljt/", {"version": first.version, "on": TODAY}
    )
    assert response.status_code == 302
    drop = f"/stodgrupper/deltagare/{second.pk}/avbrutit/"
    response = client.post(drop, {"version": second.version, "on": TODAY, "reason": " "})
    assert response.status_code == 400
    response = client.post(
        drop, {"version": second.version, "on": TODAY + DAY, "reason": "Flyttat"}
    )
    assert response.status_code == 400
    assert "Slutdatumet kan inte ligga i framtiden." in response.content.decode()
    response = client.post(drop, {"version": second.version, "on": TODAY, "reason": "Flyttat"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.dropped_reason) == (ParticipantStatus.DROPPED, "Flyttat")


def test_a_step_without_a_version_is_refused(client, login, leader, running):
    participant = add_anonymous(leader, running)
    login(leader)
    response = client.post(f"/stodgrupper/deltagare/{participant.pk}/borjar/", {"on": TODAY})
    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.WAITING


# Planning a cycle ------------------------------------------------------------------------


def test_a_head_of_services_plans_a_cycle(client, login, head, leader, programme, org):
    login(head)
    assert "Ny gruppomgång" in page(client, "/stodgrupper/omgangar/ny/")
    values = {
        "programme": programme.pk,
        "name": "Vågen hösten",
        "district": org["district"].pk,
        "places": 8,
        "start_on": TODAY,
        "end_on": TODAY - DAY,
        "leaders": [leader.pk],
    }
    response = client.post("/stodgrupper/omgangar/ny/", values)
    assert response.status_code == 400 and not Cycle.objects.exists()
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    response = client.post("/stodgrupper/omgangar/ny/", values | {"end_on": TODAY + 60 * DAY})
    cycle = Cycle.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/stodgrupper/omgangar/{cycle.pk}/"
    )
    assert list(cycle.leaders.all()) == [leader]
    assert AuditEntry.objects.filter(object_type="groups.cycle", action="create").exists()


def test_a_leader_does_not_plan_cycles(client, login, leader):
    login(leader)
    assert client.get("/stodgrupper/omgangar/ny/").status_code == 404


# Measurements ------------------------------------------------------------------------------


def test_the_leader_registers_a_planned_measurement(client, login, leader, running, programme):
    participant = active(leader, running)
    before = programme.measures.get(point=Point.BEFORE)
    login(leader)
    url = f"/stodgrupper/deltagare/{participant.pk}/matningar/{before.pk}/"
    html = page(client, url)
    assert "<legend>Jag har känt mig glad och på gott humör.</legend>" in html
    assert reads("groups.groupparticipant").filter(object_id=str(participant.pk)).exists()
    partial = {"item_1": 3, "item_2": 3, "answered_on": TODAY}
    response = client.post(url, partial)
    assert response.status_code == 400 and "Besvara fråga 3, 4, 5." in response.content.decode()
    full = {f"item_{n}": 3 for n in range(1, 6)} | {"answered_on": TODAY}
    assert client.post(url, full).status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.total_score == 15 and measurement.entered_by == leader
    assert client.post(url, full).status_code == 400  # already made
    assert client.get(url.replace(str(before.pk), "999999")).status_code == 404


def test_a_participant_without_consent_is_not_measured(client, login, leader, running, programme):
    participant = active(leader, running, measurement_consent=False)
    before = programme.measures.get(point=Point.BEFORE)
    login(leader)
    missing = "Samtycke till mätning saknas (vårdnadshavarens för ett barn"
    assert missing in page(client, f"/stodgrupper/omgangar/{running.pk}/")
    url = f"/stodgrupper/deltagare/{participant.pk}/matningar/{before.pk}/"
    response = client.post(url + "kod/")
    assert response.status_code == 302 and not MeasurementCode.objects.exists()
    response = client.get(response["Location"])
    assert missing in response.content.decode()


def test_a_code_is_shown_once_with_the_address(client, login, leader, running, programme):
    participant = active(leader, running)
    after = programme.measures.get(point=Point.AFTER)
    login(leader)
    response = client.post(f"/stodgrupper/deltagare/{participant.pk}/matningar/{after.pk}/kod/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://testserver/svara/" in html
    code = MeasurementCode.objects.get()
    assert code.point == Point.AFTER and code.created_by == leader
    assert AuditEntry.objects.filter(object_type="groups.measurementcode", action="create").exists()


def test_the_cycle_page_leads_to_its_effect_and_the_start_page_to_the_catalogue(
    client, login, leader, head, running
):
    login(leader)
    html = page(client, f"/stodgrupper/omgangar/{running.pk}/")
    link = re.search(r'href="(/stodgrupper/effekt/\?[^"]+)"', html)[1].replace("&amp;", "&")
    assert f"omgang={running.pk}" in link and client.get(link).status_code == 200
    login(head)
    html = page(client, "/stodgrupper/")
    for url in ("/stodgrupper/program/", "/stodgrupper/ledare/", "/stodgrupper/rackvidd/"):
        assert f'href="{url}"' in html


def test_a_leader_records_an_individual_talk_and_the_page_counts_them(
    client, login, leader, other_leader, cycle
):
    member = add_anonymous(leader, cycle)
    url = f"/stodgrupper/deltagare/{member.pk}/samtal/"
    login(leader)
    # Only for a participant who is or has been in the group.
    refused = client.post(url, {"version": member.version, "on": "2026-02-02"})
    assert refused.status_code == 400
    assert "är eller har varit med" in refused.content.decode()
    services.participant_start(
        actor=leader, participant=member, expected_version=1, on=datetime.date(2026, 2, 1)
    )
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    assert client.post(url, {"version": 2, "on": future}).status_code == 400
    response = client.post(url, {"version": 2, "on": "2026-02-10"})
    assert response.status_code == 302
    assert IndividualTalk.objects.get().held_on == datetime.date(2026, 2, 10)
    assert AuditEntry.objects.filter(action="create", object_type="groups.individualtalk").exists()
    page = client.get(f"/stodgrupper/omgangar/{cycle.pk}/").content.decode()
    assert "1 av 1" in page  # the programme plans one individual talk
    login(other_leader)
    assert client.post(url, {"version": 2, "on": "2026-02-11"}).status_code == 404
