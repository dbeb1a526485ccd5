"""A cycle's life: planned with its leaders, sessions added, participants taken in
(waiting list, then active), attendance recorded per session, and each participant's
completion or drop-out."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record, audit_updated
from kinsight.core.models import OrgUnit, Role, User
from kinsight.core.services import create_audited, save_changes, update_audited
from kinsight.core.validation import not_future, ordered, today
from kinsight.groups.models import (
    TAKING_PLACE,
    Attendance,
    Cycle,
    GroupParticipant,
    IndividualTalk,
    Intake,
    ParticipantStatus,
    Presence,
    Programme,
    Session,
)
from kinsight.groups.services.catalogue import require_catalogue_keeper
from kinsight.groups.services.linked import participant_linked_steps
from kinsight.interventions.models import Referral
from kinsight.people.models import Person

CYCLE_FIELDS = [
    "programme",
    "name",
    "district",
    "venue",
    "places",
    "is_public",
    "start_on",
    "end_on",
]
PARTICIPANT_FIELDS = [
    "cycle",
    "person",
    "age_band",
    "sex",
    "district",
    "intake",
    "referral",
    "measurement_consent",
    "own_consent",
]
S = ParticipantStatus


def _leaders_valid(actor: User, leaders: Iterable[User]) -> list[User]:
    chosen = list(leaders)
    if not chosen:
        raise ValidationError({"leaders": _("En gruppomgång har minst en gruppledare.")})
    for leader in chosen:
        if leader.municipality_id != actor.municipality_id or not leader.units_with_role(
            Role.GROUP_LEADER
        ):
            raise ValidationError(
                {"leaders": _("%(name)s är inte gruppledare i kommunen.") % {"name": leader}}
            )
    return chosen


def _checked(
    actor: User,
    start_on: datetime.date,
    end_on: datetime.date | None,
    leaders: Iterable[User],
) -> list[User]:
    """The checks a cycle's dates and leaders pass when planned and when changed."""
    ordered(start_on, end_on)
    return _leaders_valid(actor, leaders)


def cycle_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    district: OrgUnit,
    start_on: datetime.date,
    leaders: Iterable[User],
    end_on: datetime.date | None = None,
    venue: str = "",
    places: int = 8,
    is_public: bool = False,
) -> Cycle:
    """A planned cycle of ``programme`` (administrators and heads of services)."""
    require_catalogue_keeper(actor)
    if programme.municipality_id != actor.municipality_id or not programme.is_active:
        raise ValidationError({"programme": _("Välj ett aktivt program i kommunen.")})
    chosen = _checked(actor, start_on, end_on, leaders)
    with transaction.atomic():
        cycle = create_audited(
            actor,
            Cycle,
            CYCLE_FIELDS,
            clean=True,
            extra={"leaders": [u.pk for u in chosen]},
            programme=programme,
            name=name.strip(),
            district=district,
            venue=venue,
            places=places,
            is_public=is_public,
            start_on=start_on,
            end_on=end_on,
        )
        cycle.leaders.set(chosen, through_defaults={"municipality_id": cycle.municipality_id})
        return cycle


CHANGEABLE = ["name", "venue", "places", "is_public", "start_on", "end_on"]


def _check_change(cycle: Cycle, places: int, start_on: datetime.date) -> None:
    """Places for everyone taking part (waiting or active), and no session before the
    start."""
    taking_part = cycle.participants.filter(status__in=TAKING_PLACE).count()
    if places < taking_part:
        raise ValidationError(
            {
                "places": _(
                    "Platserna kan inte bli färre än de %(n)s deltagare som väntar eller är med."
                )
                % {"n": taking_part}
            }
        )
    if Session.objects.filter(cycle=cycle, held_on__lt=start_on).exists():
        raise ValidationError({"start_on": _("Gruppen har träffar före startdatumet.")})


def cycle_update(
    *,
    actor: User,
    cycle: Cycle,
    expected_version: int | None,
    leaders: Iterable[User],
    **data: Any,
) -> Cycle:
    """Name, venue, places, public or not, dates and leaders of a cycle (its leaders,
    administrators and heads of services), with the checks ``cycle_create`` makes; the
    places not below the participants taking part. Programme and district stay."""
    require(Cycle.objects.visible_to(actor, "change"), cycle)
    values = {name: data.get(name, getattr(cycle, name)) for name in CHANGEABLE}
    values["name"] = values["name"].strip()
    chosen = _checked(actor, values["start_on"], values["end_on"], leaders)
    _check_change(cycle, values["places"], values["start_on"])
    with transaction.atomic():
        before = sorted(cycle.leaders.values_list("pk", flat=True))
        changes = save_changes(cycle, values, expected_version=expected_version, clean=True)
        after = sorted(u.pk for u in chosen)
        if before != after:
            cycle.leaders.set(chosen, through_defaults={"municipality_id": cycle.municipality_id})
            changes["leaders"] = [before, after]
        return audit_updated(actor, cycle, changes)


def session_add(*, actor: User, cycle: Cycle, held_on: datetime.date, theme: str = "") -> Session:
    """The next session of the cycle (numbered in order)."""
    require(Cycle.objects.visible_to(actor, "change"), cycle)
    ordered(cycle.start_on, held_on, "held_on")
    with transaction.atomic():
        number = Session.objects.filter(cycle=cycle).count() + 1
        return create_audited(
            actor,
            Session,
            ["cycle", "number", "held_on", "theme"],
            cycle=cycle,
            number=number,
            held_on=held_on,
            theme=theme.strip(),
        )


def _check_participant(actor: User, data: Mapping[str, Any]) -> None:
    person: Person | None = data.get("person")
    referral: Referral | None = data.get("referral")
    if person is not None and person.municipality_id != actor.municipality_id:
        raise ValidationError({"person": _("Välj en person i din egen kommun.")})
    if data.get("intake") == Intake.REFERRAL and referral is None:
        raise ValidationError({"referral": _("Välj remissen som deltagaren kom med.")})
    if referral is not None and (person is None or referral.person_id != person.pk):
        raise ValidationError({"referral": _("Remissen gäller en annan person.")})


def participant_add(*, actor: User, cycle: Cycle, **data: Any) -> GroupParticipant:
    """A participant on the cycle's waiting list: identified (``person``) or anonymous
    (age band, sex, district). Self-referral needs no decision."""
    require(Cycle.objects.visible_to(actor, "change"), cycle)
    _check_participant(actor, data)
    with transaction.atomic():
        return create_audited(
            actor, GroupParticipant, PARTICIPANT_FIELDS, clean=True, cycle=cycle, **data
        )


def _move(
    actor: User,
    participant: GroupParticipant,
    expected_version: int | None,
    allowed_from: Iterable[str],
    **values: Any,
) -> GroupParticipant:
    require(GroupParticipant.objects.visible_to(actor, "change"), participant)
    if participant.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("Deltagaren är redan %(status)s.")
                % {"status": participant.get_status_display().lower()}
            }
        )
    with transaction.atomic():
        moved = update_audited(actor, participant, values, expected_version=expected_version)
        participant_linked_steps(actor=actor, participant=moved)
        return moved


def participant_start(
    *, actor: User, participant: GroupParticipant, expected_version: int | None, on: datetime.date
) -> GroupParticipant:
    """From the waiting list into the group."""
    not_future(on, "joined_on", _("Startdatumet"))
    return _move(actor, participant, expected_version, [S.WAITING], status=S.ACTIVE, joined_on=on)


def participant_finish(
    *, actor: User, participant: GroupParticipant, expected_version: int | None, on: datetime.date
) -> GroupParticipant:
    """Completed the programme."""
    not_future(on, "ended_on", _("Slutdatumet"))
    ordered(participant.joined_on, on, "ended_on")
    return _move(actor, participant, expected_version, [S.ACTIVE], status=S.COMPLETED, ended_on=on)


def participant_drop(
    *,
    actor: User,
    participant: GroupParticipant,
    expected_version: int | None,
    on: datetime.date,
    reason: str,
) -> GroupParticipant:
    """Left the group (or the waiting list) before the end, with the reason."""
    if not reason.strip():
        raise ValidationError({"dropped_reason": _("Skriv varför deltagaren avbröt.")})
    not_future(on, "ended_on", _("Slutdatumet"))
    return _move(
        actor,
        participant,
        expected_version,
        [S.WAITING, S.ACTIVE],
        status=S.DROPPED,
        ended_on=on,
        dropped_reason=reason.strip(),
    )


def individual_talk_add(
    *, actor: User, participant: GroupParticipant, on: datetime.date
) -> IndividualTalk:
    """An individual talk held with a participant who is (or was) in the group: the day
    only, by the leader."""
    require(GroupParticipant.objects.visible_to(actor, "change"), participant)
    if participant.status not in (S.ACTIVE, S.COMPLETED):
        raise ValidationError(
            {"on": _("Enskilda samtal registreras för deltagare som är eller har varit med.")}
        )
    not_future(on, "on", _("Datumet"))
    ordered(participant.joined_on, on, "on")
    with transaction.atomic():
        return create_audited(
            actor,
            IndividualTalk,
            ["participant", "held_on"],
            participant=participant,
            held_on=on,
            by=actor,
        )


def attendance_record(
    *, actor: User, session: Session, presence: Mapping[int, str]
) -> list[Attendance]:
    """Attendance at ``session``: {participant id: present/absent/excused} for the
    cycle's active (or since finished) participants. A session in the future has no
    attendance yet."""
    require(Cycle.objects.visible_to(actor, "change"), session.cycle)
    if session.held_on > today():
        raise ValidationError(
            {"session": _("Närvaro kan registreras först när träffen har varit.")}
        )
    members = {
        p.pk: p
        for p in GroupParticipant.objects.filter(
            cycle_id=session.cycle_id, status__in=[S.ACTIVE, S.COMPLETED, S.DROPPED]
        )
    }
    unknown = set(presence) - set(members)
    wrong = [v for v in presence.values() if v not in Presence.values]
    if unknown or wrong:
        raise ValidationError(
            {
                "presence": _(
                    "Närvaron gäller bara gruppens deltagare: närvarande, frånvarande "
                    "eller anmält förhinder."
                )
            }
        )
    earlier = dict(
        Attendance.objects.filter(session=session).values_list("participant_id", "presence")
    )
    with transaction.atomic():
        rows = []
        for pk, value in sorted(presence.items()):
            row, created = Attendance.objects.update_or_create(
                municipality_id=session.municipality_id,
                session=session,
                participant=members[pk],
                defaults={"presence": value},
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE if created else AuditAction.UPDATE,
                obj=row,
                changes={"presence": [earlier.get(pk), value]},
            )
            rows.append(row)
        return rows
