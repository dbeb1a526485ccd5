"""Every page and endpoint of family work, run as the three personas (tests/personas.py)
in a family work of Anna, Per and Kim where every member has given sharing consent for
all units, so the other participants see its rows:

- the family work itself (close, participants, members): the coordinator (worker) may,
  the children's unit (child_worker, a participant) sees it (403), the violence unit
  (bystander, not taking part) gets 404;
- a meeting of the adult unit and its minutes: the adult unit (worker) may, the
  children's unit sees them (403), the bystander gets 404;
- a task of the economic-assistance unit: its responsible worker (econ_worker) may, the
  children's unit sees it (403), the bystander gets 404;
- what any participant may do (consents, new meetings and tasks): the children's unit
  may, the bystander gets 404 (nobody only sees the family work without taking part);
- a linked case: its own unit may unlink it, the coordinator sees it through Kim's
  consent but not the case itself (403)."""

import datetime

import pytest

from kinsight.family import services
from kinsight.family.models import FamilyMember, Participant
from tests.family.conftest import give_consent
from tests.personas import Request, cases, check_cast

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _version(name):
    return lambda w: {"version": w[name].version}


COORDINATOR = [
    Request("family work page", "get", lambda w: f"/familjearenden/{w['work'].pk}/", read=True),
    Request(
        "close", "post", lambda w: f"/familjearenden/{w['work'].pk}/avsluta/", _version("work")
    ),
    Request("add a unit", "get", lambda w: f"/familjearenden/{w['work'].pk}/enheter/ny/"),
    Request("add a member", "get", lambda w: f"/familjearenden/{w['work'].pk}/medlemmar/ny/"),
    Request("unit leaves", "post", lambda w: f"/familjearenden/enheter/{w['econ'].pk}/lamna/"),
    Request(
        "hand over coordination",
        "post",
        lambda w: f"/familjearenden/enheter/{w['econ'].pk}/samordnare/",
    ),
    Request("member ends", "post", lambda w: f"/familjearenden/medlemmar/{w['kim'].pk}/avsluta/"),
    Request("API family work", "get", lambda w: f"/api/v1/family-work/{w['work'].pk}/", read=True),
    Request(
        "API family work update",
        "patch",
        lambda w: f"/api/v1/family-work/{w['work'].pk}/",
        lambda w: {"title": "Ny titel", "version": w["work"].version},
    ),
    Request(
        "API close",
        "post",
        lambda w: f"/api/v1/family-work/{w['work'].pk}/close/",
        _version("work"),
    ),
    Request(
        "API participant",
        "get",
        lambda w: f"/api/v1/family-participants/{w['econ'].pk}/",
        read=True,
    ),
    Request("API leave", "post", lambda w: f"/api/v1/family-participants/{w['econ'].pk}/leave/"),
    Request(
        "API coordinator",
        "post",
        lambda w: f"/api/v1/family-participants/{w['econ'].pk}/coordinator/",
    ),
    Request("API member", "get", lambda w: f"/api/v1/family-members/{w['kim'].pk}/", read=True),
    Request("API member end", "post", lambda w: f"/api/v1/family-members/{w['kim'].pk}/end/"),
]

MEETING = [
    Request(
        "meeting page", "get", lambda w: f"/familjearenden/moten/{w['meeting'].pk}/", read=True
    ),
    Request(
        "new minutes", "post", lambda w: f"/familjearenden/moten/{w['meeting'].pk}/protokoll/nytt/"
    ),
    Request(
        "correct minutes", "post", lambda w: f"/familjearenden/protokoll/{w['minutes'].pk}/ratta/"
    ),
    Request(
        "API meeting", "get", lambda w: f"/api/v1/family-meetings/{w['meeting'].pk}/", read=True
    ),
    Request(
        "API meeting update",
        "patch",
        lambda w: f"/api/v1/family-meetings/{w['meeting'].pk}/",
        lambda w: {"place": "Biblioteket", "version": w["meeting"].version},
    ),
    Request(
        "API minutes",
        "get",
        lambda w: f"/api/v1/family-meeting-notes/{w['minutes'].pk}/",
        read=True,
    ),
]

TASK = [
    Request("task done form", "get", lambda w: f"/familjearenden/uppgifter/{w['task'].pk}/klar/"),
    Request(
        "task done",
        "post",
        lambda w: f"/familjearenden/uppgifter/{w['task'].pk}/klar/",
        lambda w: {"version": w["task"].version, "outcome": "Klart"},
    ),
    Request("API task", "get", lambda w: f"/api/v1/follow-up-tasks/{w['task'].pk}/", read=True),
    Request(
        "API task complete",
        "post",
        lambda w: f"/api/v1/follow-up-tasks/{w['task'].pk}/complete/",
        _version("task"),
    ),
]

PARTICIPANT = [
    Request("new consent", "get", lambda w: f"/familjearenden/{w['work'].pk}/samtycken/nytt/"),
    Request("new meeting", "get", lambda w: f"/familjearenden/{w['work'].pk}/moten/nytt/"),
    Request("new task", "get", lambda w: f"/familjearenden/{w['work'].pk}/uppgifter/ny/"),
    Request(
        "withdraw consent form",
        "get",
        lambda w: f"/familjearenden/samtycken/{w['consent'].pk}/aterkalla/",
    ),
    Request("API consent", "get", lambda w: f"/api/v1/consents/{w['consent'].pk}/"),
    Request(
        "API withdraw consent",
        "post",
        lambda w: f"/api/v1/consents/{w['consent'].pk}/withdraw/",
        lambda w: {"reason": "Vill inte längre"},
    ),
]

LINKED_CASE = [
    Request(
        "API linked case",
        "get",
        lambda w: f"/api/v1/family-linked-cases/{w['link'].pk}/",
        read=True,
    ),
    Request("API unlink", "delete", lambda w: f"/api/v1/family-linked-cases/{w['link'].pk}/"),
]

CASTS = {
    "adult unit": (
        COORDINATOR + MEETING,
        {"sees": "child_worker", "outsider": "bystander", "may": "worker"},
    ),
    "task": (TASK, {"sees": "child_worker", "outsider": "bystander", "may": "econ_worker"}),
    "any participant": (PARTICIPANT, {"outsider": "bystander", "may": "child_worker"}),
    "linked case": (
        LINKED_CASE,
        {"sees": "worker", "outsider": "bystander", "may": "child_worker"},
    ),
}


@pytest.fixture
def world(joined, worker, econ_unit, econ_worker, household):
    consents = [give_consent(worker, joined, household[name]) for name in ("anna", "per")]
    give_consent(worker, joined, household["kim"], given_by=household["anna"])
    meeting = services.meeting_create(
        actor=worker, family_work=joined, held_on=TODAY, members=[household["anna"]]
    )
    minutes = services.minutes_create(actor=worker, meeting=meeting)
    minutes = services.minutes_sign(actor=worker, note=minutes, expected_version=1, text="Beslut")
    task = services.task_create(
        actor=worker,
        family_work=joined,
        title="Ring skolan",
        due_on=TODAY,
        responsible_unit=econ_unit,
        responsible=econ_worker,
    )
    return {
        "work": joined,
        "econ": Participant.objects.get(family_work=joined, unit=econ_unit),
        "kim": FamilyMember.objects.get(family_work=joined, person=household["kim"]),
        "meeting": meeting,
        "minutes": minutes,
        "task": task,
        "consent": consents[0],
        "link": joined.linked_cases.get(case__person=household["kim"]),
    }


@pytest.mark.parametrize(("cast", "request_"), cases(CASTS), ids=lambda v: str(v))
def test_each_persona_gets_the_answer_its_relationship_gives(
    client, login, world, request, cast, request_
):
    check_cast(request, client, login, request_, world, CASTS[cast][1])
