import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.cases import services as case_services
from kinsight.detection import queries, services
from kinsight.detection.models import (
    ChildQuestion,
    ChildRecord,
    ChildRecordStep,
    ConcernReport,
    ReportStatus,
    add_months,
)
from kinsight.people.models import Person
from tests.people import factories as pf


def audit_rows(obj, action=None):
    rows = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return rows.filter(action=action) if action else rows


# The child question -----------------------------------------------------------------


def test_it_answers_the_child_question_and_keeps_the_history(worker, open_case):
    question = services.child_question_answer(
        actor=worker, case=open_case, has_children="yes", expecting_child="no", expected_version=0
    )
    assert question.answered_by == worker
    assert question.next_ask_on == add_months(timezone.localdate(), 6)
    assert not question.is_pending()
    assert audit_rows(question, "create").count() == 1
    again = services.child_question_answer(
        actor=worker,
        case=open_case,
        has_children="no",
        expecting_child="no",
        expected_version=question.version,
    )
    assert again.pk == question.pk and again.version == 2
    assert question.answers.count() == 2
    assert audit_rows(question, "update").count() == 1


def test_it_takes_the_interval_from_the_setting(settings, worker, open_case):
    settings.KINSIGHT_CHILD_QUESTION_MONTHS = 12
    question = services.child_question_answer(
        actor=worker, case=open_case, has_children="no", expecting_child="no", expected_version=0
    )
    assert question.next_ask_on == add_months(timezone.localdate(), 12)


def test_it_wants_a_reason_for_unknown(worker, open_case):
    with pytest.raises(ValidationError) as error:
        services.child_question_answer(
            actor=worker,
            case=open_case,
            has_children="unknown",
            expecting_child="no",
            expected_version=0,
        )
    assert "unknown_reason" in error.value.message_dict
    assert not ChildQuestion.objects.exists()


def test_unknown_comes_back_at_the_next_case_event(worker, open_case):
    question = services.child_question_answer(
        actor=worker,
        case=open_case,
        has_children="unknown",
        expecting_child="unknown",
        unknown_reason="Ville inte svara",
        expected_version=0,
    )
    assert not question.is_pending(case=open_case)
    case_services.case_change_status(
        actor=worker, case=open_case, status="forhandsbedomning", expected_version=1
    )
    open_case.refresh_from_db()
    question.refresh_from_db()
    assert question.is_pending(case=open_case)
    assert ChildQuestion.objects.pending().filter(pk=question.pk).exists()


def test_it_asks_again_after_the_interval_and_when_reopened(worker, open_case, answered):
    later = answered.next_ask_on
    assert ChildQuestion.objects.pending(on=later).filter(pk=answered.pk).exists()
    assert not ChildQuestion.objects.pending().filter(pk=answered.pk).exists()
    case_services.case_change_status(
        actor=worker, case=open_case, status="avslutad", expected_version=open_case.version
    )
    assert not ChildQuestion.objects.pending().filter(pk=answered.pk).exists()
    case_services.case_change_status(
        actor=worker, case=open_case, status="aktualisering", expected_version=open_case.version
    )
    open_case.refresh_from_db()
    assert open_case.closed_on is None and open_case.reopened_at is not None
    assert ChildQuestion.objects.pending().filter(pk=answered.pk).exists()
    answered.refresh_from_db()
    assert answered.is_pending(case=open_case)


def test_pending_cases_include_cases_without_a_question(worker, open_case, municipality):
    child = pf.child(municipality, "Ung", "Klient", age=15)
    pf.case(child, open_case.unit, responsible=worker)
    pending = list(queries.cases_with_pending_child_question(actor=worker))
    assert pending == [open_case]  # the 15-year-old is not asked
    services.child_question_answer(
        actor=worker, case=open_case, has_children="no", expecting_child="no", expected_version=0
    )
    assert not queries.cases_with_pending_child_question(actor=worker).exists()


def test_a_colleague_may_not_answer(colleague, open_case):
    with pytest.raises(PermissionDenied):
        services.child_question_answer(
            actor=colleague,
            case=open_case,
            has_children="no",
            expecting_child="no",
            expected_version=0,
        )


# Children as next of kin ---------------------------------------------------------------


def test_it_records_a_known_child_and_an_unknown_one(worker, kim_record, unknown_child, family):
    assert (
        kim_record.child == family["kim"] and kim_record.birth_year == family["kim"].birth_date.year
    )
    assert kim_record.status == "identified" and kim_record.attended_on is None
    assert unknown_child.child is None and unknown_child.age() == 4
    assert ChildRecordStep.objects.filter(record=kim_record, status="identified").count() == 1
    assert audit_rows(kim_record, "create").count() == 1


def test_it_registers_a_child_by_personnummer_through_the_people_services(worker, open_case):
    number = pf.pnr(2016, 6, 1)
    record = services.child_record_add(
        actor=worker, case=open_case, identifier=number, first_name="Mio", lives_with="part"
    )
    child = record.child
    assert child.identifier == number and child.last_name == "Åberg"
    assert child.relations_to.filter(from_person=open_case.person, kind="parent").exists()
    assert audit_rows(child, "create").count() == 1


def test_it_links_an_existing_visible_person_by_personnummer(worker, open_case, family):
    record = services.child_record_add(
        actor=worker, case=open_case, identifier=family["kim"].identifier, first_name=""
    )
    assert record.child == family["kim"]
    assert Person.objects.filter(identifier=family["kim"].identifier).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"first_name": "Stor", "age": 19}, "age", "under 18"),
        ({"first_name": "", "age": 5}, "first_name", "förnamn"),
        ({"first_name": "Lo"}, "age", "ålder"),
    ],
)
def test_it_refuses_bad_children_with_a_message_on_the_field(
    worker, open_case, kwargs, field, text
):
    with pytest.raises(ValidationError) as error:
        services.child_record_add(actor=worker, case=open_case, **kwargs)
    assert text in " ".join(error.value.message_dict[field])
    assert not ChildRecord.objects.exists()


def test_it_refuses_a_child_of_18_by_personnummer(worker, open_case):
    number = pf.pnr(2000, 1, 1)
    with pytest.raises(ValidationError) as error:
        services.child_record_add(
            actor=worker, case=open_case, identifier=number, first_name="Vuxen"
        )
    assert "under 18" in " ".join(error.value.message_dict["identifier"])
    assert not ChildRecord.objects.exists()
    assert not Person.objects.filter(identifier=number).exists()


def test_it_refuses_the_parent_as_their_own_child(worker, open_case, client_person):
    with pytest.raises(ValidationError) as error:
        services.child_record_add(actor=worker, case=open_case, identifier=client_person.identifier)
    assert "förälderns eget" in " ".join(error.value.message_dict["identifier"])


def test_it_offers_the_existing_record_for_the_same_child_twice(
    worker, open_case, kim_record, unknown_child, family
):
    with pytest.raises(services.DuplicateChild) as error:
        services.child_record_add(actor=worker, case=open_case, child=family["kim"])
    assert error.value.existing == kim_record
    with pytest.raises(services.DuplicateChild) as error:
        services.child_record_add(actor=worker, case=open_case, first_name="lo", age=4)
    assert error.value.existing == unknown_child
    assert "finns redan" in " ".join(error.value.message_dict["first_name"])
    assert ChildRecord.objects.count() == 2


def test_nothing_is_half_saved_when_the_record_fails(worker, open_case, kim_record, monkeypatch):
    """A personnummer registers a person; if the record then fails, the person is gone."""

    def boom(*args, **kwargs):
        raise ValidationError({"custody": "fel"})

    monkeypatch.setattr(services.child_records, "create_audited", boom)
    number = pf.pnr(2018, 2, 2)
    with pytest.raises(ValidationError):
        services.child_record_add(actor=worker, case=open_case, identifier=number, first_name="X")
    assert not Person.objects.filter(identifier=number).exists()


def test_the_lifecycle_moves_step_by_step_with_dates(worker, kim_record):
    with pytest.raises(ValidationError) as error:
        services.child_record_step(
            actor=worker, record=kim_record, status="assessed", expected_version=1
        )
    assert "uppmärksammat" in error.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as error:
        services.child_record_step(
            actor=worker, record=kim_record, status="attended", expected_version=1
        )
    assert "parent_talked_with" in error.value.message_dict
    services.child_record_step(
        actor=worker,
        record=kim_record,
        status="attended",
        expected_version=1,
        parent_talked_with=True,
        child_information="given",
        note="Pratat med Anna",
    )
    services.child_record_step(
        actor=worker, record=kim_record, status="assessed", expected_version=2
    )
    kim_record.refresh_from_db()
    assert kim_record.status == "assessed" and kim_record.attended_on == timezone.localdate()
    assert [s.status for s in kim_record.steps.all()] == ["identified", "attended", "assessed"]
    assert audit_rows(kim_record, "update").count() == 2


def test_flags_have_dates_and_are_not_doubled(worker, kim_record):
    flag = services.child_flag_add(actor=worker, record=kim_record, kind="young_carer")
    with pytest.raises(ValidationError) as error:
        services.child_flag_add(actor=worker, record=kim_record, kind="young_carer")
    assert "redan" in error.value.message_dict["kind"][0]
    services.child_flag_end(actor=worker, flag=flag, expected_version=1)
    flag.refresh_from_db()
    assert flag.ended_on == timezone.localdate()
    assert audit_rows(flag).count() == 2


# Concern reports ---------------------------------------------------------------------


def test_an_internal_report_starts_the_clocks(internal_report, kim_record, adult_unit):
    assert internal_report.reporting_unit == adult_unit
    assert internal_report.reporter_category == "social_services"
    received = internal_report.received_on
    assert internal_report.pre_assessment_due_on == received + datetime.timedelta(days=14)
    assert internal_report.pre_assessment_rule.legal_topic == "pre-assessment-14-days"
    assert audit_rows(internal_report, "create").count() == 1
    assert "concern" not in audit_rows(internal_report).get().changes


def test_decisions_move_the_report_and_start_the_investigation_clock(child_worker, internal_report):
    report = services.concern_report_pre_assessment(
        actor=child_worker,
        report=internal_report,
        decision="open_investigation",
        decided_on=internal_report.received_on,
        expected_version=1,
    )
    assert report.status == ReportStatus.INVESTIGATING
    assert report.investigation_due_on == add_months(report.received_on, 4)
    report = services.concern_report_complete_investigation(
        actor=child_worker,
        report=report,
        outcome="intervention",
        completed_on=report.received_on,
        expected_version=2,
    )
    assert report.status == ReportStatus.CLOSED


def test_a_decision_before_the_report_is_refused(child_worker, internal_report):
    with pytest.raises(ValidationError) as error:
        services.concern_report_pre_assessment(
            actor=child_worker,
            report=internal_report,
            decision="no_investigation",
            decided_on=internal_report.received_on - datetime.timedelta(days=1),
            expected_version=1,
        )
    assert "före datumet då anmälan kom in" in error.value.message_dict["decided_on"][0]
    internal_report.refresh_from_db()
    assert internal_report.status == ReportStatus.RECEIVED


def test_an_external_report_needs_a_reporter_category(child_worker, child_unit):
    with pytest.raises(ValidationError) as error:
        services.concern_report_register(
            actor=child_worker,
            receiving_unit=child_unit,
            reporter_category="",
            child_name="Ella",
            concern="Skolan är orolig",
        )
    assert "anmälan" in error.value.message_dict["reporter_category"][0]
    assert not ConcernReport.objects.exists()


def test_an_external_report_is_registered_by_the_receiving_unit(child_worker, child_unit, worker):
    report = services.concern_report_register(
        actor=child_worker,
        receiving_unit=child_unit,
        reporter_category="school",
        child_name="Ella",
        child_age=9,
        concern="Skolan är orolig",
        received_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    assert report.is_overdue()
    assert ConcernReport.objects.due_by(timezone.localdate()).filter(pk=report.pk).exists()
    with pytest.raises(PermissionDenied):
        services.concern_report_register(
            actor=worker,
            receiving_unit=child_unit,
            reporter_category="school",
            child_name="Ella",
            concern="x",
        )
