"""A person with data in every app (Anna, a parent), her child Kim, and the log
reviewer who compiles Anna's register extract."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from kinsight.assessment.models import Assessment, AssessmentPart, Instrument
from kinsight.cases.models import JournalNote
from kinsight.core.models import Role, UnitType
from kinsight.core.services import update_audited
from kinsight.detection.models import ConcernReport
from kinsight.family.models import Consent, FamilyMember, FamilyRole, FamilyWork
from kinsight.groups.models import Cycle, GroupParticipant, Measurement, Programme, Provider
from kinsight.interventions.models import FamilyPlan, PlanGoal
from kinsight.people.models import RelationKind
from tests import factories
from tests.followup import factories as ff
from tests.people import factories as pf

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def unit(org):
    return org["units"][UnitType.ADULTS_ADDICTION]


@pytest.fixture
def unit_manager(municipality, unit):
    return factories.staff(municipality, role=Role.UNIT_MANAGER, unit=unit, username="manager1")


@pytest.fixture
def anna(municipality):
    return pf.person(municipality, "Anna", "Åberg", street_address="Storgatan 1")


def _family_work(anna, kim, worker, case):
    m = anna.municipality
    work = FamilyWork.objects.create(
        municipality=m, title="Familjen Åberg", started_by=worker, started_on=TODAY, from_case=case
    )
    for person, role in ((anna, FamilyRole.PARENT_1), (kim, FamilyRole.CHILD)):
        FamilyMember.objects.create(municipality=m, family_work=work, person=person, role=role)
    Consent.objects.create(
        municipality=m,
        family_work=work,
        person=kim,
        given_by=anna,
        purpose="sharing",
        form="written",
        given_on=TODAY,
        valid_from=TODAY,
        recorded_by=worker,
        recorded_unit=case.unit,
    )
    assessment = Assessment.objects.create(municipality=m, family_work=work, started_by=worker)
    AssessmentPart.objects.create(
        municipality=m,
        assessment=assessment,
        family_work=work,
        perspective="parent",
        kind="parent",
        person=anna,
        unit=case.unit,
        needs="Behöver stöd i föräldraskapet.",
        created_by=worker,
        updated_by=worker,
    )
    plan = FamilyPlan.objects.create(
        municipality=m, family_work=work, created_by=worker, updated_by=worker
    )
    PlanGoal.objects.create(
        municipality=m,
        plan=plan,
        perspective_key="parent",
        perspective_label="Förälder",
        text="Anna går i stödgrupp.",
        created_by=worker,
    )
    return work


def _group(anna, district):
    m = anna.municipality
    provider = Provider.objects.create(municipality=m, name="Familjeenheten", kind="external")
    programme = Programme.objects.create(
        municipality=m,
        name="Vågen",
        problem_area="addiction",
        target_group="children",
        provider=provider,
    )
    cycle = Cycle.objects.create(
        municipality=m, programme=programme, name="Vågen HT", district=district, start_on=TODAY
    )
    participant = GroupParticipant.objects.create(
        municipality=m, cycle=cycle, person=anna, age_band="7-12", intake="self"
    )
    Measurement.objects.create(
        municipality=m,
        participant=participant,
        instrument=Instrument.objects.get(code="who5", municipality=None),
        point="before",
        total_score=12,
    )


@pytest.fixture
def everything(anna, worker, unit, org):
    return build_everything(anna, worker, unit, org["district"])


def build_everything(anna, worker, unit, district):
    """Anna with a relationship, a case with a signed note and its correction, the
    child question, a child record, a concern report naming its reporter, a family
    work with a consent, an assessment and a plan, and a support group with a
    measurement."""
    m = anna.municipality
    with transaction.atomic():  # a change of her own data, audited: the history shows it
        update_audited(worker, anna, {"postal_code": "12345"}, expected_version=anna.version)
    kim = pf.child(m, "Kim", "Åberg", age=8)
    pf.relate(anna, kim, RelationKind.GUARDIAN)
    case = pf.case(anna, unit, responsible=worker)
    first = pf.note(case, worker, "Samtal med Anna.")
    JournalNote.objects.create(
        municipality=m,
        case=case,
        author=worker,
        unit=unit,
        text="Samtal med Anna (rättat datum).",
        corrects=first,
        signed_at=timezone.now(),
        signed_by=worker,
    )
    ff.question(case, "yes", by=worker)
    record = ff.child_record(case, "Kim", by=worker)
    report = ff.report(unit, "Kim Åberg")
    ConcernReport.objects.filter(pk=report.pk).update(
        child_record=record, reporter_name="Lärare Lena Lind", reporter_contact="070-1234567"
    )
    _family_work(anna, kim, worker, case)
    _group(anna, district)
    return {"anna": anna, "kim": kim, "case": case}
