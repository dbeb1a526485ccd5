"""Every page and endpoint of assessment, run as the three personas (tests/personas.py),
in the family work of Anna, Per and Kim (adult unit coordinating, children's and
economic-assistance units taking part) with Anna's sharing consent:

- the adult unit's part for Anna, with an AUDIT result: the adult unit (worker) may,
  the children's unit (child_worker) sees it through the consent (403 on changes), the
  violence unit (bystander, not taking part) gets 404;
- the part's edit page is for the unit's own parts only: another unit's part, even
  one it sees, answers 404 there (it is read on the assessment page);
- the protective-factor catalogue: administrators keep it, its pages answer 404 to
  others; through the API a municipality's own factor is read by its staff and answers
  404 to another municipality."""

import pytest

from kinsight.assessment import services
from kinsight.assessment.models import Instrument
from tests.assessment.conftest import consent
from tests.personas import Request, cases, check_cast

pytestmark = pytest.mark.django_db


def _at(pattern, key):
    return lambda w: pattern.format(pk=w[key].pk)


def _edit_url(w):
    part = w["part"]
    return (
        f"/familjearenden/{part.family_work_id}/bedomning/{part.perspective}/enhet/{part.unit_id}/"
    )


PART = [
    Request("assessment page", "get", _at("/familjearenden/{pk}/bedomning/", "work"), read=True),
    Request("PDF", "get", _at("/familjearenden/{pk}/bedomning/utskrift.pdf", "work"), read=True),
    Request(
        "new instrument result",
        "get",
        lambda w: f"/bedomningsdelar/{w['part'].pk}/instrument/{w['audit'].pk}/",
    ),
    Request("API assessment", "get", _at("/api/v1/assessments/{pk}/", "assessment"), read=True),
    Request("API part", "get", _at("/api/v1/assessment-parts/{pk}/", "part"), read=True),
    Request(
        "API part update",
        "patch",
        _at("/api/v1/assessment-parts/{pk}/", "part"),
        lambda w: {"needs": "Behandling och boende", "version": w["part"].version},
    ),
    Request(
        "API instrument result",
        "get",
        _at("/api/v1/instrument-results/{pk}/", "result"),
        read=True,
    ),
]

OWN_PART = [Request("part edit page", "get", _edit_url)]

CATALOGUE_PAGES = [
    Request("protective factors", "get", lambda w: "/skyddsfaktorer/"),
    Request("switch a factor off", "post", _at("/skyddsfaktorer/{pk}/aktiv/", "factor")),
]

CATALOGUE_API = [
    Request(
        "API protective factor", "get", _at("/api/v1/protective-factors/{pk}/", "factor"), read=True
    ),
]

CASTS = {
    "part": (PART, {"sees": "child_worker", "outsider": "bystander", "may": "worker"}),
    "own part": (OWN_PART, {"outsider": "bystander", "may": "worker"}),
    "another unit's part": (OWN_PART, {"outsider": "child_worker", "may": "worker"}),
    "catalogue pages": (CATALOGUE_PAGES, {"outsider": "worker", "may": "administrator"}),
    "catalogue API": (
        CATALOGUE_API,
        {"sees": "worker", "outsider": "outsider", "may": "administrator"},
    ),
}

CASES = cases(CASTS)


@pytest.fixture
def world(work, worker, adult_unit, household, administrator):
    anna = household["anna"]
    consent(work, anna, recorded_by=worker, unit=adult_unit)
    part = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=f"parent:{anna.pk}",
        unit=adult_unit,
        data={"needs": "Behandling för alkohol"},
        expected_version=0,
    )
    audit = Instrument.objects.get(municipality=None, code="audit")
    result = services.instrument_result_record(
        actor=worker,
        part=part,
        instrument=audit,
        answers={str(n): 0 for n in range(1, 11)},
        sex="female",
    )
    part.refresh_from_db()
    factor = services.protective_factor_add(
        actor=administrator, code="idrott", label="Idrott på fritiden"
    )
    return {
        "work": work,
        "assessment": part.assessment,
        "part": part,
        "audit": audit,
        "result": result,
        "factor": factor,
    }


@pytest.mark.parametrize(("cast", "request_"), CASES, ids=lambda v: str(v))
def test_each_persona_gets_the_answer_its_relationship_gives(
    client, login, world, request, cast, request_
):
    check_cast(request, client, login, request_, world, CASTS[cast][1])
