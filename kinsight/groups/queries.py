"""Reads of the support groups: the effect of a programme, cycle, provider or year (as
aggregates: no participant row leaves it; in queries_effect, re-exported here), the
reach per target group, provider and district, and the leader's pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from kinsight.access.lists import visible_list
from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read_many
from kinsight.core.models import User
from kinsight.groups.access import leads_groups
from kinsight.groups.models import (
    Attendance,
    Cycle,
    GroupParticipant,
    ParticipantStatus,
    Point,
    ProgrammeMeasure,
    Session,
)
from kinsight.groups.queries_effect import (  # noqa: F401 (the effect's reads, re-exported)
    EffectReport,
    effect_of,
    effect_report,
)
from kinsight.groups.rules import consent_missing, own_consent_age


def reached(
    municipality_id: int, first: datetime.date, last: datetime.date
) -> QuerySet[GroupParticipant]:
    """The participants a reach counts: of cycles starting from ``first`` to ``last``,
    those who took part (the waiting list not counted), anonymous ones included."""
    return GroupParticipant.objects.filter(
        municipality_id=municipality_id, cycle__start_on__gte=first, cycle__start_on__lte=last
    ).exclude(status="waiting")


def reach(*, actor: User, year: int) -> list[dict[str, Any]]:
    """Participants who took part during ``year`` (started or on the waiting list of a
    cycle starting that year), per provider, district and target group; anonymous ones
    counted too. Heads of services and administrators."""
    if not leads_groups(actor):
        raise PermissionDenied
    participants = reached(
        actor.municipality_id or 0, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    )
    return reach_rows(participants)


def reach_rows(participants: QuerySet[GroupParticipant]) -> list[dict[str, Any]]:
    """Counts (total, anonymous) per provider, district and target group."""
    rows = (
        participants.values(
            "cycle__programme__provider__name",
            "cycle__district__name",
            "cycle__programme__target_group",
        )
        .annotate(total=Count("pk"), anonymous=Count("pk", filter=Q(person__isnull=True)))
        .order_by(
            "cycle__programme__provider__name",
            "cycle__district__name",
            "cycle__programme__target_group",
        )
    )
    return [dict(row) for row in rows]


# The leader's pages: the start page's "what do I do today" and a cycle's page. -------

PARTICIPANT_TYPE = "groups.groupparticipant"
ATTENDANCE_TYPE = "groups.attendance"
MEASURED = (ParticipantStatus.ACTIVE, ParticipantStatus.COMPLETED)


def _cycle_order(day: datetime.date) -> Callable[[Cycle], tuple[int, int]]:
    """Running cycles first (latest start first), then the coming ones (soonest first),
    then the ended ones (latest end first)."""

    def key(cycle: Cycle) -> tuple[int, int]:
        if cycle.start_on > day:
            return (1, cycle.start_on.toordinal())
        if cycle.end_on is not None and cycle.end_on < day:
            return (2, -cycle.end_on.toordinal())
        return (0, -cycle.start_on.toordinal())

    return key


def _is_due(measure: ProgrammeMeasure, cycle: Cycle, day: datetime.date) -> bool:
    """Before: once the cycle has started; after: once it has ended; a follow-up: its
    months after the end."""
    if measure.point == Point.BEFORE:
        return cycle.start_on <= day
    if cycle.end_on is None or cycle.end_on >= day:
        return False
    if measure.point == Point.AFTER:
        return True
    months = cycle.end_on.month - 1 + (measure.months_after_end or 0)
    year, month = cycle.end_on.year + months // 12, months % 12 + 1
    return datetime.date(year, month, 1) <= day


@dataclass
class LeaderDay:
    """The start page: the cycles, and for a leader what to do today."""

    cycles: list[Cycle]
    this_week: list[Session] = field(default_factory=list)
    unrecorded: list[Session] = field(default_factory=list)
    due: list[tuple[GroupParticipant, ProgrammeMeasure]] = field(default_factory=list)
    waiting: dict[int, int] = field(default_factory=dict)

    @property
    def waiting_total(self) -> int:
        return sum(self.waiting.values())


def leader_day(*, actor: User, day: datetime.date) -> LeaderDay:
    """The actor's cycles (current first) and, for the cycles they lead: the sessions
    this week, earlier sessions without attendance, the measurements due (participants
    with consent lacking a planned measurement) and the waiting list per cycle. The
    participants shown are audited as one list read."""
    cycles = list(
        Cycle.objects.visible_to(actor, "view")
        .select_related("programme", "district")
        .prefetch_related("leaders")
    )
    cycles.sort(key=_cycle_order(day))
    result = LeaderDay(cycles=cycles)
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    recorded = Exists(Attendance.objects.filter(session=OuterRef("pk")))
    sessions = (
        Session.objects.visible_to(actor, "view")
        .annotate(recorded=recorded)
        .filter(Q(held_on__range=(monday, sunday)) | Q(held_on__lt=monday, recorded=False))
        .select_related("cycle")
        .order_by("held_on", "cycle__name")
    )
    for session in sessions:
        week = session.held_on >= monday
        (result.this_week if week else result.unrecorded).append(session)
    participants = (
        GroupParticipant.objects.visible_to(actor, "view")
        .filter(measurement_consent=True, status__in=MEASURED, cycle__start_on__lte=day)
        .select_related("cycle__programme", "person")
        .prefetch_related(
            Prefetch(
                "cycle__programme__measures",
                queryset=ProgrammeMeasure.objects.select_related("instrument"),
            ),
            "measurements",
        )
    )
    from_age = own_consent_age(participants[0].municipality_id) if participants else 0
    for participant in participants:
        if consent_missing(participant, from_age=from_age, day=day):
            continue  # the cycle's page says which consent is missing
        done = {(m.instrument_id, m.point) for m in participant.measurements.all()}
        for measure in participant.cycle.programme.measures.all():
            if (measure.instrument_id, measure.point) not in done and _is_due(
                measure, participant.cycle, day
            ):
                result.due.append((participant, measure))
    result.waiting = dict(
        GroupParticipant.objects.visible_to(actor, "view")
        .filter(status=ParticipantStatus.WAITING)
        .values("cycle_id")
        .annotate(n=Count("pk"))
        .values_list("cycle_id", "n")
    )
    for cycle in cycles:
        setattr(cycle, "waiting", result.waiting.get(cycle.pk, 0))  # noqa: B010 (no such field)
    shown = {participant.pk: participant for participant, _measure in result.due}
    audit_read_many(actor=actor, objects=shown.values(), object_type=PARTICIPANT_TYPE)
    return result


def cycle_get(*, actor: User, pk: int) -> Cycle:
    """A cycle for its page (no personal data: programme, dates, venue, leaders), with
    ``may_change``; 404 when the actor does not see it."""
    rows = Cycle.objects.select_related("programme__provider", "district").prefetch_related(
        "leaders"
    )
    return get_for(actor, rows, pk, flags=("change",))


@dataclass
class CycleOverview:
    """A cycle's sessions, participants (with their measurements), attendance by
    (session id, participant id) and the programme's measurement plan. Sessions and
    participants are empty for anyone but the cycle's leaders."""

    sessions: list[Session]
    participants: list[GroupParticipant]
    attendance: dict[tuple[int, int], str]
    measures: list[ProgrammeMeasure]


def cycle_overview(*, actor: User, cycle: Cycle) -> CycleOverview:
    """What the cycle's page lists, in a fixed number of queries; the participants and
    the attendance shown are audited as list reads."""
    participants = visible_list(
        actor,
        GroupParticipant,
        related=("person", "district"),
        prefetch=("measurements", "talks"),
        cycle=cycle,
    )
    attendance = visible_list(
        actor, Attendance, session__cycle=cycle, order=("session_id", "participant_id")
    )
    persons = sorted({p.person_id for p in participants if p.person_id})
    audit_read_many(actor=actor, objects=participants, object_type=PARTICIPANT_TYPE)
    audit_read_many(actor=actor, objects=attendance, object_type=ATTENDANCE_TYPE, subjects=persons)
    return CycleOverview(
        sessions=visible_list(actor, Session, cycle=cycle),
        participants=participants,
        attendance={(a.session_id, a.participant_id): a.presence for a in attendance},
        measures=list(
            ProgrammeMeasure.objects.filter(programme_id=cycle.programme_id).select_related(
                "instrument"
            )
        ),
    )


def participant_for_change(*, actor: User, pk: int) -> GroupParticipant:
    """A participant a write starts from, with its cycle and programme: 404 unseen,
    403 seen but not changeable. Not audited (the service audits the write)."""
    rows = GroupParticipant.objects.select_related("cycle__programme", "person")
    return get_for(actor, rows, pk, "change")


def session_for_change(*, actor: User, pk: int) -> Session:
    return get_for(actor, Session.objects.select_related("cycle"), pk, "change")


def planned_measure(*, participant: GroupParticipant, pk: int) -> ProgrammeMeasure:
    """One measurement of the participant's programme's plan (404 for another's)."""
    rows = ProgrammeMeasure.objects.select_related("instrument").prefetch_related(
        "instrument__items__options"
    )
    return get_object_or_404(rows, pk=pk, programme_id=participant.cycle.programme_id)
