"""Support groups through their services: the catalogue, a cycle's life, attendance,
measurements by a leader and by one-time code, with access and audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.core.models import UnitType
from kinsight.groups import services
from kinsight.groups.models import (
    Attendance,
    Cycle,
    GroupParticipant,
    Measurement,
    MeasurementCode,
    Point,
    Programme,
    ProviderGrant,
    Session,
)
from kinsight.interventions.models import ProviderKind
from tests.groups.conftest import add_anonymous, answers

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 2, 1)


def audited(model, action="create"):
    return AuditEntry.objects.filter(object_type=model._meta.label_lower, action=action)


# The catalogue ---------------------------------------------------------------------


def test_head_of_services_keeps_providers_and_grants(head, programme):
    provider = programme.provider
    grant = services.grant_set(actor=head, provider=provider, year=2026, amount=450_000)
    again = services.grant_set(actor=head, provider=provider, year=2026, amount=500_000)
    assert again.pk == grant.pk and ProviderGrant.objects.get().amount == 500_000
    assert audited(ProviderGrant, "update").get().changes["amount"] == [450_000, 500_000]
    assert audited(Programme).count() == 1


def test_an_external_provider_has_no_unit_and_an_own_one_needs_one(head, org):
    ngo = services.provider_create(
        actor=head,
        name="Ersta Vändpunkten",
        kind=ProviderKind.EXTERNAL,
        unit=org["units"][UnitType.FAMILIES],
    )
    assert ngo.unit is None
    with pytest.raises(ValidationError) as refused:
        services.provider_create(actor=head, name="Egen", kind=ProviderKind.OWN_UNIT)
    assert "unit" in refused.value.message_dict


def test_a_case_worker_or_a_leader_may_not_change_the_catalogue(worker, leader):
    for actor in (worker, leader):
        with pytest.raises(PermissionDenied):
            services.provider_create(actor=actor, name="X", kind=ProviderKind.EXTERNAL)


def test_programme_ages_and_follow_up_months_are_checked(head, programme, who5):
    with pytest.raises(ValidationError) as refused:
        services.programme_update(
            actor=head, programme=programme, expected_version=1, min_age=14, max_age=12
        )
    assert "max_age" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.programme_measure_add(
            actor=head, programme=programme, instrument=who5, point=Point.FOLLOW_UP
        )
    assert "months_after_end" in refused.value.message_dict


# A cycle's life ----------------------------------------------------------------------


def test_leaders_must_hold_the_group_leader_role(head, worker, programme, org):
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(
            actor=head,
            programme=programme,
            name="Solrosen",
            district=org["district"],
            start_on=DAY,
            leaders=[worker],
        )
    assert "leaders" in refused.value.message_dict


def test_a_leader_sees_only_their_own_cycles_and_participants(
    cycle, leader, other_leader, head, outsider
):
    person = add_anonymous(leader, cycle)
    assert list(Cycle.objects.visible_to(leader, "view")) == [cycle]
    assert not Cycle.objects.visible_to(other_leader, "view").exists()
    assert not GroupParticipant.objects.visible_to(other_leader, "view").exists()
    # The head of services plans cycles but reads participants only as aggregates.
    assert Cycle.objects.visible_to(head, "view").filter(pk=cycle.pk).exists()
    assert not GroupParticipant.objects.visible_to(head, "view").filter(pk=person.pk).exists()
    assert not Cycle.objects.visible_to(outsider, "view").exists()
    with pytest.raises(PermissionDenied):
        add_anonymous(other_leader, cycle)


def test_participant_moves_from_waiting_to_completed_or_dropped(leader, cycle):
    first = add_anonymous(leader, cycle)
    second = add_anonymous(leader, cycle, age_band="13-16", intake="decision")
    first = services.participant_start(actor=leader, participant=first, expected_version=1, on=DAY)
    first = services.participant_finish(
        actor=leader, participant=first, expected_version=2, on=DAY + datetime.timedelta(days=70)
    )
    assert first.status == "completed"
    with pytest.raises(ValidationError) as refused:
        services.participant_drop(
            actor=leader, participant=second, expected_version=1, on=DAY, reason="  "
        )
    assert "dropped_reason" in refused.value.message_dict
    second = services.participant_drop(
        actor=leader, participant=second, expected_version=1, on=DAY, reason="Flyttade"
    )
    assert second.status == "dropped" and second.dropped_reason == "Flyttade"
    with pytest.raises(ValidationError):
        services.participant_start(actor=leader, participant=second, expected_version=2, on=DAY)
    updates = audited(GroupParticipant, "update")
    assert updates.count() == 3
    assert updates.first().changes["status"] == ["waiting", "active"]


def test_a_referral_intake_names_the_referral(leader, cycle):
    with pytest.raises(ValidationError) as refused:
        add_anonymous(leader, cycle, intake="referral")
    assert "referral" in refused.value.message_dict


def test_attendance_is_for_past_sessions_and_the_groups_own_participants(leader, cycle):
    past = services.session_add(actor=leader, cycle=cycle, held_on=DAY, theme="Att lära känna")
    future = services.session_add(
        actor=leader, cycle=cycle, held_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    assert (past.number, future.number) == (1, 2)
    member = add_anonymous(leader, cycle)
    services.participant_start(actor=leader, participant=member, expected_version=1, on=DAY)
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(actor=leader, session=future, presence={member.pk: "present"})
    assert "session" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.attendance_record(actor=leader, session=past, presence={member.pk + 99: "present"})
    with pytest.raises(ValidationError):
        services.attendance_record(actor=leader, session=past, presence={member.pk: "maybe"})
    services.attendance_record(actor=leader, session=past, presence={member.pk: "present"})
    services.attendance_record(actor=leader, session=past, presence={member.pk: "excused"})
    assert Attendance.objects.get().presence == "excused"
    assert audited(Attendance, "update").get().changes["presence"] == ["present", "excused"]
    assert audited(Session).count() == 2


# Measurements ------------------------------------------------------------------------


def test_a_measurement_needs_consent_and_the_programmes_plan(leader, cycle, who5):
    without = add_anonymous(leader, cycle, measurement_consent=False)
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(
            actor=leader,
            participant=without,
            instrument=who5,
            point=Point.BEFORE,
            answers=answers(10),
            answered_on=DAY,
        )
    assert "participant" in refused.value.message_dict
    member = add_anonymous(leader, cycle)
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(
            actor=leader,
            participant=member,
            instrument=who5,
            point=Point.FOLLOW_UP,
            answers=answers(10),
            answered_on=DAY,
        )
    assert "instrument" in refused.value.message_dict


def test_a_score_outside_the_range_is_refused(leader, cycle, who5):
    member = add_anonymous(leader, cycle)
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(
            actor=leader,
            participant=member,
            instrument=who5,
            point=Point.BEFORE,
            answers={**answers(10), "1": 6},
            answered_on=DAY,
        )
    assert "answers" in refused.value.message_dict
    assert not Measurement.objects.exists()


def test_a_one_time_code_opens_one_questionnaire_once(leader, cycle, who5):
    member = add_anonymous(leader, cycle)
    code = services.code_issue(actor=leader, participant=member, instrument=who5, point="before")
    assert len(code) == 9 and code[4] == "-"
    assert code not in MeasurementCode.objects.get().code_hash
    # A wrong answer keeps the code usable; the right one spends it.
    with pytest.raises(ValidationError):
        services.code_answer(code=code, answers={"1": 3})
    measurement = services.code_answer(code=code.lower(), answers=answers(12))
    assert (measurement.total_score, measurement.entered_by) == (12, None)
    created = audited(Measurement).get()
    assert created.actor is None
    with pytest.raises(PermissionDenied):
        services.code_answer(code=code, answers=answers(12))


def test_an_expired_or_unknown_code_is_refused_with_the_same_message(leader, cycle, who5):
    member = add_anonymous(leader, cycle)
    code = services.code_issue(actor=leader, participant=member, instrument=who5, point="before")
    MeasurementCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(PermissionDenied) as expired:
        services.code_answer(code=code, answers=answers(12))
    with pytest.raises(PermissionDenied) as unknown:
        services.code_answer(code="AAAA-BBBB", answers=answers(12))
    assert str(expired.value) == str(unknown.value)


def test_another_leader_cannot_measure_or_issue_codes(other_leader, leader, cycle, who5):
    member = add_anonymous(leader, cycle)
    with pytest.raises(PermissionDenied):
        services.code_issue(actor=other_leader, participant=member, instrument=who5, point="before")


def test_a_reversed_item_counts_from_the_other_end(leader, cycle, who5):
    """Reverse-scored items as data: the answer is stored as given, the total counts it
    reversed (0-5: an answer 1 adds 4)."""
    who5.items.filter(number=1).update(is_reversed=True)
    member = add_anonymous(leader, cycle)
    measurement = services.measurement_record(
        actor=leader,
        participant=member,
        instrument=who5,
        point=Point.BEFORE,
        answers={"1": 1, "2": 0, "3": 0, "4": 0, "5": 0},
        answered_on=DAY,
    )
    assert (measurement.answers["1"], measurement.total_score) == (1, 4)
