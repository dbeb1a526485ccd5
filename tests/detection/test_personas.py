"""Every page and endpoint of early detection, run as the three personas
(tests/personas.py):

- Anna's case, its child question and the child record of her son Kim (with a flag):
  the responsible worker may, a colleague in the adult unit sees them (403), the
  children's unit, without a report or a case for Kim, gets 404;
- a concern report about Kim sent to the children's unit: the receiving unit
  (child_worker) decides, the sender sees the status view (403 on decisions), the
  violence unit (bystander) gets 404."""

import pytest
from django.utils import timezone

from kinsight.core.models import Role, UnitType
from kinsight.detection import services
from tests import factories
from tests.personas import Request, cases, check_cast

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate().isoformat()


def _record(path):
    return lambda w: f"/barn-som-anhoriga/{w['record'].pk}/{path}"


def _api_record(path=""):
    return lambda w: f"/api/v1/child-records/{w['record'].pk}/{path}"


def _report(path=""):
    return lambda w: f"/orosanmalningar/{w['report'].pk}/{path}"


def _api_report(path=""):
    return lambda w: f"/api/v1/concern-reports/{w['report'].pk}/{path}"


def _step(w):
    return {
        "version": w["record"].version,
        "status": "attended",
        "on": _today(),
        "parent_talked_with": True,
        "child_information": "given",
    }


def _decision(w):
    return {"version": w["report"].version, "decision": "no_investigation", "decided_on": _today()}


CASE = [
    Request("child question", "get", lambda w: f"/arenden/{w['case'].pk}/barnfragan/"),
    Request("new child", "get", lambda w: f"/arenden/{w['case'].pk}/barn/nytt/"),
    Request("expected child", "get", lambda w: f"/arenden/{w['case'].pk}/barn/vantat/"),
    Request("child record page", "get", _record(""), read=True),
    Request("child record edit", "get", _record("andra/")),
    Request("step", "post", _record("steg/"), _step),
    Request(
        "flag",
        "post",
        _record("markeringar/"),
        lambda w: {"kind": "violence_in_family", "noted_on": _today()},
    ),
    Request(
        "end a flag",
        "post",
        lambda w: f"/markeringar/{w['flag'].pk}/avsluta/",
        lambda w: {
            f"f{w['flag'].pk}-version": w["flag"].version,
            f"f{w['flag'].pk}-ended_on": _today(),
        },
    ),
    Request("send a report", "get", _record("orosanmalan/")),
    Request(
        "API child question",
        "get",
        lambda w: f"/api/v1/child-questions/{w['question'].pk}/",
        read=True,
    ),
    Request("API child record", "get", _api_record(), read=True),
    Request(
        "API child record details",
        "post",
        _api_record("details/"),
        lambda w: {"version": w["record"].version, "custody": "joint", "lives_with": "part"},
    ),
    Request("API step", "post", _api_record("step/"), _step),
    Request("API flag", "post", _api_record("flag/"), lambda w: {"kind": "child_interpreter"}),
    Request(
        "API concern report",
        "post",
        _api_record("concern-report/"),
        lambda w: {"receiving_unit": w["child_unit"].pk, "concern": "Kim tolkar åt mamma"},
    ),
    Request("API flag row", "get", lambda w: f"/api/v1/child-flags/{w['flag'].pk}/", read=True),
    Request(
        "API flag end",
        "post",
        lambda w: f"/api/v1/child-flags/{w['flag'].pk}/end/",
        lambda w: {"version": w["flag"].version},
    ),
]

REPORT = [
    Request("report page", "get", _report(), read=True),
    Request("pre-assessment", "post", _report("forhandsbedomning/"), _decision),
    Request("API report", "get", _api_report(), read=True),
    Request("API pre-assessment", "post", _api_report("pre-assessment/"), _decision),
]

CASTS = {
    "case": (CASE, {"sees": "colleague", "outsider": "child_worker", "may": "worker"}),
    "report": (REPORT, {"sees": "worker", "outsider": "bystander", "may": "child_worker"}),
}


@pytest.fixture
def world(request, cast):
    """A report about Kim lets the children's unit see his record: only for its cast."""
    if cast == "report":
        return {"report": request.getfixturevalue("internal_report")}
    return request.getfixturevalue("case_world")


@pytest.fixture
def case_world(open_case, answered, kim_record, worker, child_unit):
    flag = services.child_flag_add(actor=worker, record=kim_record, kind="young_carer")
    kim_record.refresh_from_db()
    return {
        "case": open_case,
        "question": answered,
        "record": kim_record,
        "flag": flag,
        "child_unit": child_unit,
    }


@pytest.fixture
def bystander(municipality, org):
    unit = org["units"][UnitType.VIOLENCE]
    return factories.staff(municipality, role=Role.CASE_WORKER, unit=unit, username="bystander1")


@pytest.mark.parametrize(("cast", "request_"), cases(CASTS), ids=lambda v: str(v))
def test_each_persona_gets_the_answer_its_relationship_gives(
    client, login, world, request, cast, request_
):
    check_cast(request, client, login, request_, world, CASTS[cast][1])
