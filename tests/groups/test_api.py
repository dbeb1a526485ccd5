"""The support groups' API (/api/v1/group-…): the catalogue kept by the head of
services, a cycle run by its leader end to end, what another leader, a case worker and
another municipality get (404), bad input (400), audit rows and query counts."""

import datetime

import pytest
from django.db import connection

from kinsight.audit.models import AuditEntry
from kinsight.audit.registry import LIST_ID
from kinsight.core.validation import today
from kinsight.groups import services
from kinsight.groups.models import GroupParticipant, Measurement, MeasurementCode, Point
from tests import factories
from tests.groups.conftest import add_anonymous, answers

pytestmark = pytest.mark.django_db
JSON = "application/json"
DAY = datetime.date(2026, 2, 1)
API = "/api/v1/"


def post(client, url, body):
    return client.post(API + url, body, content_type=JSON)


def started(leader, cycle, **extra):
    member = add_anonymous(leader, cycle, **extra)
    return services.participant_start(
        actor=leader, participant=member, expected_version=member.version, on=DAY
    )


def measured(leader, member, who5, point, total):
    return services.measurement_record(
        actor=leader,
        participant=member,
        instrument=who5,
        point=point,
        answers=answers(total),
        answered_on=DAY,
    )


def reads(object_type):
    return list(AuditEntry.objects.filter(action="read", object_type=object_type).order_by("seq"))


# The catalogue --------------------------------------------------------------------------


def test_it_keeps_the_catalogue_and_the_leader_only_reads_it(
    client, login, head, leader, org, who5
):
    login(head)
    provider = post(
        client,
        "group-providers/",
        {"name": "Vändpunkten", "kind": "external", "contact": "info@example.invalid"},
    )
    assert provider.status_code == 201, provider.content
    pid = provider.json()["id"]
    grant = post(client, "group-grants/", {"provider": pid, "year": 2026, "amount": 900000})
    assert grant.status_code == 201, grant.content
    again = post(client, "group-grants/", {"provider": pid, "year": 2026, "amount": 950000})
    assert again.status_code == 201 and again.json()["id"] == grant.json()["id"]
    programme = post(
        client,
        "group-programmes/",
        {
            "name": "Solrosen",
            "problem_area": "mental_illness",
            "target_group": "children",
            "min_age": 7,
            "max_age": 12,
            "group_sessions": 10,
            "provider": pid,
        },
    )
    assert programme.status_code == 201, programme.content
    prog = programme.json()
    measure = post(
        client,
        f"group-programmes/{prog['id']}/measures/",
        {"instrument": who5.pk, "point": "before"},
    )
    assert measure.status_code == 201, measure.content
    changed = client.patch(
        f"{API}group-programmes/{prog['id']}/",
        {"description": "Tio träffar", "version": prog["version"]},
        content_type=JSON,
    )
    assert changed.status_code == 200 and changed.json()["version"] == prog["version"] + 1
    training = post(
        client,
        "group-leader-trainings/",
        {
            "leader": leader.pk,
            "district": org["district"].pk,
            "programme": prog["id"],
            "training": "Grundutbildning",
            "trained_on": "2025-09-01",
        },
    )
    assert training.status_code == 201, training.content

    login(leader)
    listed = client.get(f"{API}group-providers/").json()["results"]
    assert [p["grants"][0]["amount"] for p in listed] == [950000]
    detail = client.get(f"{API}group-programmes/{prog['id']}/").json()
    assert detail["measures"][0]["point"] == "before"
    assert post(client, "group-providers/", {"name": "X", "kind": "external"}).status_code == 403
    refused = client.patch(
        f"{API}group-programmes/{prog['id']}/",
        {"description": "Nej", "version": changed.json()["version"]},
        content_type=JSON,
    )
    assert refused.status_code == 403


def test_another_municipality_sees_no_provider_and_bad_input_is_400(
    client, login, head, outsider, programme
):
    login(outsider)
    assert client.get(f"{API}group-providers/{programme.provider_id}/").status_code == 404
    assert client.get(f"{API}group-programmes/{programme.pk}/").status_code == 404
    login(head)
    wrong = post(
        client,
        "group-programmes/",
        {
            "name": "Fel",
            "problem_area": "other",
            "target_group": "children",
            "min_age": 12,
            "max_age": 7,
            "provider": programme.provider_id,
        },
    )
    assert wrong.status_code == 400
    assert "lägre än åldern från" in wrong.json()["max_age"][0]
    unversioned = client.patch(
        f"{API}group-programmes/{programme.pk}/", {"description": "x"}, content_type=JSON
    )
    assert unversioned.status_code == 400 and list(unversioned.json()) == ["version"]


# A cycle run by its leader ---------------------------------------------------------------


def test_a_leader_runs_a_cycle_through_the_api(client, login, head, leader, programme, org, who5):
    login(head)
    cycle = post(
        client,
        "group-cycles/",
        {
            "programme": programme.pk,
            "name": "Vågen hösten",
            "district": org["district"].pk,
            "start_on": "2026-09-01",
            "leaders": [leader.pk],
        },
    )
    assert cycle.status_code == 201, cycle.content
    cid = cycle.json()["id"]

    login(leader)
    assert [c["id"] for c in client.get(f"{API}group-cycles/").json()["results"]] == [cid]
    session = post(client, "group-sessions/", {"cycle": cid, "held_on": "2026-09-08"})
    assert session.status_code == 201 and session.json()["number"] == 1
    added = [
        post(
            client,
            "group-participants/",
            {"cycle": cid, "age_band": "7-12", "intake": "self", "measurement_consent": True},
        ).json()
        for _ in range(2)
    ]
    assert [p["status"] for p in added] == ["waiting", "waiting"]
    first, second = added
    begun = post(
        client,
        f"group-participants/{first['id']}/start/",
        {"version": first["version"], "on": "2026-09-01"},
    )
    assert begun.status_code == 200 and begun.json()["status"] == "active"
    dropped = post(
        client,
        f"group-participants/{second['id']}/drop/",
        {"version": second["version"], "reason": "Flyttade"},
    )
    assert dropped.json()["status"] == "dropped"
    assert dropped.json()["dropped_reason"] == "Flyttade"
    presence = post(
        client,
        f"group-sessions/{session.json()['id']}/attendance/",
        {"presence": {str(first["id"]): "present"}},
    )
    assert presence.status_code == 200, presence.content
    assert [r["presence"] for r in presence.json()] == ["present"]
    rows = client.get(f"{API}group-attendance/?session={session.json()['id']}").json()
    assert [r["participant"] for r in rows["results"]] == [first["id"]]
    measurement = post(
        client,
        "group-measurements/",
        {
            "participant": first["id"],
            "instrument": who5.pk,
            "point": "before",
            "answers": answers(11),
            "answered_on": "2026-09-08",
        },
    )
    assert measurement.status_code == 201, measurement.content
    assert measurement.json()["total_score"] == 11
    issued = post(
        client,
        "group-measurement-codes/",
        {"participant": first["id"], "instrument": who5.pk, "point": "after"},
    )
    assert issued.status_code == 201, issued.content
    code = issued.json()["code"]
    assert len(code) == 9 and code[4] == "-"
    listed = client.get(f"{API}group-measurement-codes/").json()["results"]
    assert len(listed) == 1 and code not in str(listed)
    finished = post(
        client,
        f"group-participants/{first['id']}/finish/",
        {"version": begun.json()["version"]},
    )
    assert finished.status_code == 200 and finished.json()["status"] == "completed"
    assert MeasurementCode.objects.count() == 1 and Measurement.objects.count() == 1


# Who gets 404 ----------------------------------------------------------------------------


@pytest.fixture
def run(leader, cycle, who5):
    """A session, a started participant measured before, a code issued."""
    member = started(leader, cycle)
    session = services.session_add(actor=leader, cycle=cycle, held_on=DAY)
    services.attendance_record(actor=leader, session=session, presence={member.pk: "present"})
    measurement = measured(leader, member, who5, Point.BEFORE, 9)
    services.code_issue(actor=leader, participant=member, instrument=who5, point=Point.AFTER)
    return {"member": member, "session": session, "measurement": measurement}


@pytest.fixture
def foreign_leader(other_municipality, other_org):
    from kinsight.core.models import Role

    return factories.staff(
        other_municipality, role=Role.GROUP_LEADER, unit=other_org["district"], username="far"
    )


@pytest.mark.parametrize("who", ["other_leader", "worker", "outsider", "foreign_leader"])
def test_whoever_does_not_lead_the_cycle_gets_404(client, login, request, cycle, run, who, who5):
    login(request.getfixturevalue(who))
    member, session = run["member"], run["session"]
    for url in (
        f"group-participants/{member.pk}/",
        f"group-sessions/{session.pk}/",
        f"group-measurements/{run['measurement'].pk}/",
        f"group-attendance/{session.attendance.get().pk}/",
        f"group-measurement-codes/{MeasurementCode.objects.get().pk}/",
    ):
        assert client.get(API + url).status_code == 404, url
    assert client.get(f"{API}group-cycles/{cycle.pk}/").status_code == 404
    for url in ("group-participants/", "group-measurements/", "group-attendance/"):
        assert client.get(API + url).json()["results"] == [], url
    moved = post(client, f"group-participants/{member.pk}/drop/", {"version": 2, "reason": "x"})
    assert moved.status_code == 404
    attended = post(
        client, f"group-sessions/{session.pk}/attendance/", {"presence": {str(member.pk): "absent"}}
    )
    assert attended.status_code == 404
    effect = client.get(f"{API}group-effect/?instrument={who5.pk}&cycle={cycle.pk}")
    assert effect.status_code == 404
    assert GroupParticipant.objects.get().status == "active"


# Bad input -------------------------------------------------------------------------------


def test_bad_input_is_refused_with_what_to_fix(client, login, leader, cycle, run, who5):
    member = run["member"]
    login(leader)
    outside = post(
        client,
        "group-measurements/",
        {
            "participant": member.pk,
            "instrument": who5.pk,
            "point": "after",
            "answers": {"1": 9, "2": 3, "3": 3, "4": 3, "5": 3},
        },
    )
    assert outside.status_code == 400
    assert "Ogiltigt svar på fråga 1" in str(outside.json())
    twice = post(
        client,
        "group-measurements/",
        {"participant": member.pk, "instrument": who5.pk, "point": "before", "answers": answers(9)},
    )
    assert twice.status_code == 400 and "redan gjord" in str(twice.json())
    coming = services.session_add(
        actor=leader, cycle=cycle, held_on=today() + datetime.timedelta(days=7)
    )
    future = post(
        client,
        f"group-sessions/{coming.pk}/attendance/",
        {"presence": {str(member.pk): "present"}},
    )
    assert future.status_code == 400
    assert "när träffen har varit" in future.json()["session"][0]
    bad_key = post(
        client, f"group-sessions/{run['session'].pk}/attendance/", {"presence": {"x": "present"}}
    )
    assert bad_key.status_code == 400 and "id som nycklar" in bad_key.json()["presence"][0]
    unversioned = post(client, f"group-participants/{member.pk}/finish/", {})
    assert unversioned.status_code == 400 and list(unversioned.json()) == ["version"]
    no_reason = post(
        client, f"group-participants/{member.pk}/drop/", {"version": member.version, "reason": " "}
    )
    assert no_reason.status_code == 400
    assert client.get(f"{API}group-effect/").status_code == 400
    assert client.get(f"{API}group-effect/?instrument={who5.pk}&year=1800").status_code == 400
    assert GroupParticipant.objects.get().status == "active"


# The effect and the reach ----------------------------------------------------------------

BEFORE, AFTER = [8, 10, 11, 9, 12, 7], [14, 15, 11, 16, 18, 9]


def test_the_effect_and_reach_as_the_head_and_the_leader_read_them(
    client, login, head, leader, worker, cycle, who5
):
    for b, a in zip(BEFORE, AFTER, strict=True):
        member = started(leader, cycle)
        measured(leader, member, who5, Point.BEFORE, b)
        measured(leader, member, who5, Point.AFTER, a)
    login(head)
    effect = client.get(f"{API}group-effect/?instrument={who5.pk}&year=2026")
    assert effect.status_code == 200, effect.content
    body = effect.json()
    assert (body["measured_before"], body["pairs"], body["attrition"]) == (6, 6, 0)
    assert body["effect"]["change"]["estimate"] == pytest.approx(4.333333333)
    assert body["effect"]["change"]["low"] < body["effect"]["change"]["estimate"]
    assert sum(body["reliable"][k] for k in ("improved", "unchanged", "deteriorated")) == 6
    reach = client.get(f"{API}group-reach/?year=2026").json()
    assert reach == [
        {
            "provider": "Familjeenheten Norr",
            "district": cycle.district.name,
            "target_group": "children",
            "total": 6,
            "anonymous": 6,
        }
    ]
    assert client.get(f"{API}group-reach/").status_code == 400

    login(leader)
    own = client.get(f"{API}group-effect/?instrument={who5.pk}&cycle={cycle.pk}")
    assert own.status_code == 200 and own.json()["pairs"] == 6
    # The municipality's effect and the reach are for those who keep the groups.
    assert client.get(f"{API}group-effect/?instrument={who5.pk}").status_code == 403
    assert client.get(f"{API}group-reach/?year=2026").status_code == 403
    login(worker)
    assert client.get(f"{API}group-effect/?instrument={who5.pk}").status_code == 403


def test_below_the_minimum_n_only_counts_are_answered(client, login, head, leader, cycle, who5):
    member = started(leader, cycle)
    measured(leader, member, who5, Point.BEFORE, 8)
    login(head)
    body = client.get(f"{API}group-effect/?instrument={who5.pk}").json()
    assert (body["pairs"], body["effect"], body["reliable"]) == (0, None, None)
    assert "bara antal" in body["notes"][0]


# Audit and query counts ------------------------------------------------------------------


def test_reads_of_participants_are_audited_and_the_catalogue_is_not(
    client, login, leader, cycle, run
):
    member = run["member"]
    login(leader)
    client.get(f"{API}group-participants/")
    client.get(f"{API}group-participants/{member.pk}/")
    rows = reads("groups.groupparticipant")
    assert [(r.object_id, r.changes) for r in rows] == [
        (LIST_ID, {"ids": [str(member.pk)]}),
        (str(member.pk), {}),
    ]
    client.get(f"{API}group-measurements/")
    assert reads("groups.measurement")[-1].changes["ids"] == [str(run["measurement"].pk)]
    client.get(f"{API}group-programmes/")
    assert reads("groups.programme") == []
    post(client, "group-participants/", {"cycle": cycle.pk, "age_band": "13-16", "intake": "self"})
    assert AuditEntry.objects.filter(
        action="create", object_type="groups.groupparticipant"
    ).count() == (2)


# Per list: session and user 2, role scopes 1, count and page 2, what the page prefetches,
# and for personal data the audit row (with its chain head and subjects: one statement
# fewer on PostgreSQL, where entries, subjects and head are one statement).
UNAUDITED = {"group-programmes/", "group-providers/"}
QUERIES = {
    "group-participants/": 9,  # with the own-consent age
    "group-measurements/": 7,
    "group-attendance/": 7,
    "group-sessions/": 8,
    "group-cycles/": 9,
    "group-programmes/": 5,
    "group-providers/": 5,
}


@pytest.mark.parametrize("url", sorted(QUERIES))
def test_a_list_costs_the_same_for_one_row_and_many(
    client, login, head, leader, cycle, who5, url, django_assert_num_queries
):
    def grow():
        member = started(leader, cycle)
        session = services.session_add(actor=leader, cycle=cycle, held_on=DAY)
        services.attendance_record(actor=leader, session=session, presence={member.pk: "present"})
        measured(leader, member, who5, Point.BEFORE, 10)
        services.cycle_create(
            actor=head,
            programme=cycle.programme,
            name=f"Omgång {member.pk}",
            district=cycle.district,
            start_on=DAY,
            leaders=[leader],
        )
        provider = services.provider_create(
            actor=head, name=f"Förening {member.pk}", kind="external"
        )
        services.programme_create(
            actor=head,
            name=f"Program {member.pk}",
            problem_area="other",
            target_group="parents",
            group_sessions=8,
            provider=provider,
        )

    expected = QUERIES[url] - (url not in UNAUDITED and connection.vendor == "postgresql")
    grow()
    login(leader)
    with django_assert_num_queries(expected):
        first = len(client.get(API + url).json()["results"])
    for _ in range(3):
        grow()
    with django_assert_num_queries(expected):
        assert len(client.get(API + url).json()["results"]) == first + 3
    assert first in (1, 2)  # the cycle fixture's programme, provider and cycle besides
