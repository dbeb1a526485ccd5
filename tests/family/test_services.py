import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.audit.models import AuditEntry
from kinsight.family import services
from kinsight.family.models import (
    Consent,
    FamilyRole,
    FamilyWork,
    MeetingNote,
    Participant,
    PerspectiveKind,
)
from tests.family.conftest import give_consent
from tests.people import factories as pf

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_it_starts_family_work_from_a_case_with_the_unit_as_coordinator(work, worker, open_case):
    participant = work.participants.get()
    assert participant.is_coordinator and participant.unit == open_case.unit
    assert participant.worker == worker
    assert list(work.linked_cases.values_list("case_id", flat=True)) == [open_case.pk]
    assert sorted(work.members.values_list("role", flat=True)) == ["child", "parent_1", "parent_2"]
    created = AuditEntry.objects.filter(action="create", object_type__startswith="family.")
    assert set(created.values_list("object_type", flat=True)) == {
        "family.familywork",
        "family.participant",
        "family.linkedcase",
        "family.familymember",
    }


def test_it_refuses_to_start_without_the_case_person(worker, open_case, household):
    with pytest.raises(ValidationError) as error:
        services.family_work_start(
            actor=worker,
            case=open_case,
            title="Familjen",
            members=[(household["kim"], FamilyRole.CHILD)],
        )
    assert "members" in error.value.error_dict
    assert not FamilyWork.objects.exists()


def test_it_refuses_two_parent_1(worker, open_case, household):
    with pytest.raises(ValidationError):
        services.family_work_start(
            actor=worker,
            case=open_case,
            title="Familjen",
            members=[
                (household["anna"], FamilyRole.PARENT_1),
                (household["per"], FamilyRole.PARENT_1),
            ],
        )


def test_it_lets_only_who_may_change_the_case_start(colleague, child_worker, open_case, household):
    for user in (colleague, child_worker):
        with pytest.raises(PermissionDenied):
            services.family_work_start(
                actor=user,
                case=open_case,
                title="Familjen",
                members=[(household["anna"], FamilyRole.PARENT_1)],
            )


def test_it_lists_the_perspectives_from_the_roles(work, household):
    keys = work.perspective_keys()
    anna, per, kim = household["anna"].pk, household["per"].pk, household["kim"].pk
    assert keys == {
        f"child:{kim}",
        f"parent:{anna}",
        f"parent:{per}",
        f"parent_child:{anna}:{kim}",
        f"parent_child:{per}:{kim}",
        f"couple:{anna}:{per}",
        "family",
    }


def test_it_has_no_couple_perspective_with_one_parent(work, worker, household):
    member = work.members.get(person=household["per"])
    services.member_end(actor=worker, member=member)
    kinds = [p.kind for p in FamilyWork.objects.get(pk=work.pk).perspectives()]
    assert PerspectiveKind.COUPLE not in kinds
    assert kinds.count(PerspectiveKind.PARENT) == 1


def test_it_refuses_a_consent_that_ends_before_it_starts(work, worker, household):
    with pytest.raises(ValidationError) as error:
        give_consent(worker, work, household["anna"], valid_from=TODAY, valid_to=TODAY - DAY)
    assert "valid_to" in error.value.error_dict
    assert "upphöra före" in str(error.value)
    assert not Consent.objects.exists()


def test_it_needs_a_guardian_for_a_childs_consent(work, worker, household, municipality):
    with pytest.raises(ValidationError) as error:
        give_consent(worker, work, household["kim"])
    assert "given_by" in error.value.error_dict
    stranger = pf.person(municipality, "Okänd", "Person")
    with pytest.raises(ValidationError) as error:
        give_consent(worker, work, household["kim"], given_by=stranger)
    assert "inte vårdnadshavare" in str(error.value)
    assert give_consent(worker, work, household["kim"], given_by=household["per"]).given_by_id


def test_it_records_the_childs_own_view_only_from_the_set_age(work, worker, household, settings):
    kim = household["kim"]  # 8 years old
    with pytest.raises(ValidationError) as error:
        give_consent(worker, work, kim, given_by=household["anna"], child_view="agrees")
    assert "child_view" in error.value.error_dict
    settings.KINSIGHT_CHILD_VIEW_AGE = 8
    consent = give_consent(
        worker,
        work,
        kim,
        given_by=household["anna"],
        child_view="objects",
        child_view_text="Jag vill inte att skolan får veta.",
    )
    assert consent.child_view == "objects"


def test_it_refuses_a_guardian_on_an_adults_consent(work, worker, household):
    with pytest.raises(ValidationError) as error:
        give_consent(worker, work, household["per"], given_by=household["anna"])
    assert "given_by" in error.value.error_dict


def test_it_allows_consent_only_for_participating_units(work, worker, household, other_unit):
    with pytest.raises(ValidationError) as error:
        give_consent(worker, work, household["anna"], all_units=False, units=[other_unit])
    assert "units" in error.value.error_dict
    with pytest.raises(ValidationError):
        give_consent(worker, work, household["anna"], all_units=False, units=[])


def test_it_withdraws_once_with_a_reason(work, worker, household):
    consent = give_consent(worker, work, household["anna"])
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=worker, consent=consent, reason=" ")
    services.consent_withdraw(actor=worker, consent=consent, reason="Vill inte.")
    assert Consent.objects.get(pk=consent.pk).state == "withdrawn"
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=worker, consent=consent, reason="Igen.")


def test_it_keeps_signed_minutes_unchanged_and_corrects_with_a_new_note(work, worker, household):
    meeting = services.meeting_create(
        actor=worker,
        family_work=work,
        held_on=TODAY,
        agenda="1. Läget",
        members=[household["anna"]],
        staff=[worker],
        externals=["Skolkurator, Norrskolan"],
    )
    assert meeting.participants.count() == 3
    note = services.minutes_create(actor=worker, meeting=meeting)
    with pytest.raises(ValidationError):
        services.minutes_sign(actor=worker, note=note, text=" ", expected_version=1)
    services.minutes_sign(actor=worker, note=note, text="Beslut: stödsamtal.", expected_version=1)
    with pytest.raises(ValidationError) as error:
        services.minutes_save(actor=worker, note=note, text="Ändrat", expected_version=2)
    assert "signerat" in str(error.value)
    assert MeetingNote.objects.get(pk=note.pk).text == "Beslut: stödsamtal."
    correction = services.minutes_create(actor=worker, meeting=meeting, corrects=note)
    assert correction.corrects_id == note.pk


def test_it_refuses_a_meeting_participant_from_outside_the_family(work, worker, municipality):
    stranger = pf.person(municipality, "Okänd", "Person")
    with pytest.raises(ValidationError):
        services.meeting_create(actor=worker, family_work=work, held_on=TODAY, members=[stranger])


def test_it_hands_over_the_coordinator_role(joined, worker, child_worker, child_unit):
    child_part = Participant.objects.get(family_work=joined, unit=child_unit)
    services.coordinator_set(actor=worker, participant=child_part)
    assert Participant.objects.get(family_work=joined, is_coordinator=True).unit == child_unit
    with pytest.raises(ValidationError):
        services.participant_leave(actor=child_worker, participant=child_part)
    with pytest.raises(PermissionDenied):
        services.participant_add(actor=worker, family_work=joined, unit=child_unit)


def test_it_links_only_the_own_units_case_of_a_member(work, worker, child_worker, kim_case):
    with pytest.raises(PermissionDenied):
        services.case_link(actor=child_worker, family_work=work, case=kim_case)
    services.participant_add(actor=worker, family_work=work, unit=kim_case.unit)
    with pytest.raises(PermissionDenied):
        services.case_link(actor=worker, family_work=work, case=kim_case)
    assert services.case_link(actor=child_worker, family_work=work, case=kim_case).pk


def test_it_makes_tasks_for_participating_units_and_completes_them(
    joined, worker, child_worker, child_unit, other_unit
):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=worker,
            family_work=joined,
            title="Ring skolan",
            due_on=TODAY,
            responsible_unit=other_unit,
        )
    assert "responsible_unit" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=worker,
            family_work=joined,
            title="Ring skolan",
            due_on=TODAY,
            responsible_unit=child_unit,
            responsible=worker,
        )
    assert "responsible" in error.value.error_dict
    task = services.task_create(
        actor=worker,
        family_work=joined,
        title="Ring skolan",
        due_on=TODAY + DAY,
        responsible_unit=child_unit,
        responsible=child_worker,
    )
    services.task_complete(actor=child_worker, task=task, expected_version=1, outcome="Klart.")
    task.refresh_from_db()
    assert task.is_done and task.done_by == child_worker


def test_it_refuses_changes_to_closed_family_work(work, worker, household):
    services.family_work_close(actor=worker, family_work=work, expected_version=work.version)
    with pytest.raises(ValidationError):
        give_consent(worker, work, household["anna"])


def test_the_starter_loses_sight_when_their_unit_has_left(joined, worker, child_worker, child_unit):
    from kinsight.family.models import FamilyWork

    child_part = Participant.objects.get(family_work=joined, unit=child_unit)
    services.coordinator_set(actor=worker, participant=child_part)
    own_part = Participant.objects.get(family_work=joined, unit=joined.from_case.unit)
    services.participant_leave(actor=child_worker, participant=own_part)
    assert joined.started_by == worker
    assert not FamilyWork.objects.visible_to(worker, "view").filter(pk=joined.pk).exists()
