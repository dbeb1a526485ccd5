import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.audit.models import AuditEntry
from kinsight.cases import services
from kinsight.cases.models import Case, CaseStatus, JournalNote, LegalReference
from kinsight.core.services import StaleEdit
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def test_it_seeds_both_laws_as_data():
    new = LegalReference.objects.get(topic="pre-assessment-14-days", law="SFS 2025:400")
    old = LegalReference.objects.get(topic="pre-assessment-14-days", law="SFS 2001:453")
    assert new.reference == "20 kap. 2 §" and old.reference == "11 kap. 1 a §"
    assert new.valid_from == datetime.date(2025, 7, 1)
    assert old.valid_to == datetime.date(2025, 6, 30)


@pytest.fixture
def registered(municipality, adult_unit):
    """A person registered by the adult unit, without a case yet."""
    return pf.person(municipality, "Rut", "Ny", unit=adult_unit)


def test_it_opens_a_case_with_the_worker_responsible_and_audits_it(worker, registered, adult_unit):
    case = services.case_open(
        actor=worker,
        person=registered,
        unit=adult_unit,
        subject="Ansökan om behandling",
        legal_basis=LegalReference.objects.get(topic="documentation", law="SFS 2025:400"),
    )
    assert case.responsible == worker
    assert case.status == CaseStatus.ACTUALISATION
    assert AuditEntry.objects.filter(object_type="cases.case", action="create").exists()


def test_it_refuses_a_case_for_a_deceased_person(worker, municipality, adult_unit):
    dead = pf.person(municipality, "Död", unit=adult_unit, deceased_on=datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.case_open(actor=worker, person=dead, unit=adult_unit, subject="X")
    assert "avliden" in error.value.message_dict["person"][0]
    assert not Case.objects.exists()


def test_it_refuses_a_legal_basis_not_valid_on_the_opening_day(worker, registered, adult_unit):
    old = LegalReference.objects.get(topic="documentation", law="SFS 2001:453")
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=worker, person=registered, unit=adult_unit, subject="X", legal_basis=old
        )
    assert "legal_basis" in error.value.message_dict


def test_it_follows_the_status_flow_and_refuses_jumps(worker, open_case):
    with pytest.raises(ValidationError) as error:
        services.case_change_status(
            actor=worker, case=open_case, status=CaseStatus.DECISION, expected_version=1
        )
    assert "förhandsbedömning" in error.value.message_dict["status"][0]
    version = 1
    for status in (
        CaseStatus.PRE_ASSESSMENT,
        CaseStatus.INVESTIGATION,
        CaseStatus.DECISION,
        CaseStatus.INTERVENTION,
        CaseStatus.FOLLOW_UP,
        CaseStatus.CLOSED,
    ):
        services.case_change_status(
            actor=worker, case=open_case, status=status, expected_version=version
        )
        version += 1
    open_case.refresh_from_db()
    assert open_case.status == CaseStatus.CLOSED and open_case.closed_on
    with pytest.raises(ValidationError):
        services.case_change_status(
            actor=worker, case=open_case, status=CaseStatus.INTERVENTION, expected_version=version
        )
    assert AuditEntry.objects.filter(object_type="cases.case", action="update").count() == 6


def test_it_refuses_a_stale_status_change(worker, open_case):
    services.case_change_status(
        actor=worker, case=open_case, status=CaseStatus.PRE_ASSESSMENT, expected_version=1
    )
    stale = Case.objects.get()
    stale.version = 1
    with pytest.raises(StaleEdit):
        services.case_change_status(
            actor=worker, case=stale, status=CaseStatus.CLOSED, expected_version=1
        )


def test_it_lets_the_unit_manager_assign_and_no_one_else(worker, colleague, manager, open_case):
    services.case_assign(actor=manager, case=open_case, responsible=colleague, expected_version=1)
    assert Case.objects.get().responsible == colleague
    with pytest.raises(PermissionDenied):
        services.case_assign(
            actor=colleague, case=open_case, responsible=worker, expected_version=2
        )


def test_it_refuses_to_assign_someone_outside_the_unit(manager, child_worker, open_case):
    with pytest.raises(ValidationError) as error:
        services.case_assign(
            actor=manager, case=open_case, responsible=child_worker, expected_version=1
        )
    assert "responsible" in error.value.message_dict


def test_it_refuses_writes_by_a_colleague_with_read_access(colleague, open_case):
    with pytest.raises(PermissionDenied):
        services.case_change_status(
            actor=colleague, case=open_case, status=CaseStatus.CLOSED, expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.note_create(actor=colleague, case=open_case)


def test_it_signs_a_note_and_never_changes_it_after(worker, open_case):
    note = services.note_create(actor=worker, case=open_case)
    services.note_save_draft(actor=worker, note=note, text="Första", expected_version=1)
    services.note_sign(actor=worker, note=note, text="Första samtalet.", expected_version=2)
    note = JournalNote.objects.get()
    assert note.signed_by == worker and note.signed_at
    with pytest.raises(ValidationError):
        services.note_save_draft(actor=worker, note=note, text="Ändrad", expected_version=3)
    with pytest.raises(ValidationError):
        services.note_sign(actor=worker, note=note, text="Ändrad", expected_version=3)
    assert JournalNote.objects.get().text == "Första samtalet."


def test_it_corrects_a_signed_note_with_a_new_note_linked_to_it(worker, open_case):
    original = pf.note(open_case, worker, "Fel datum.")
    correction = services.note_create(actor=worker, case=open_case, corrects=original)
    services.note_sign(
        actor=worker, note=correction, text="Rätt datum är 3 maj.", expected_version=1
    )
    assert correction.corrects == original
    assert JournalNote.objects.get(pk=original.pk).text == "Fel datum."


def test_it_refuses_to_sign_an_empty_note(worker, open_case):
    note = services.note_create(actor=worker, case=open_case)
    with pytest.raises(ValidationError) as error:
        services.note_sign(actor=worker, note=note, text="  ", expected_version=1)
    assert "text" in error.value.message_dict


def test_it_keeps_drafts_to_their_author(worker, colleague, manager, open_case):
    note = services.note_create(actor=worker, case=open_case, text="Utkast")
    assert JournalNote.objects.visible_to(worker, "view").filter(pk=note.pk).exists()
    assert not JournalNote.objects.visible_to(manager, "view").filter(pk=note.pk).exists()
    assert not JournalNote.objects.visible_to(manager, "change").exists()
