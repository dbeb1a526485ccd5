"""Reads of the support groups: the effect of a programme, cycle, provider or year (as
aggregates: no participant row leaves this module) and the reach per target group,
provider and district."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kinsight.access.lists import visible_list
from kinsight.access.rules import get_for
from kinsight.assessment.models import Instrument
from kinsight.audit.services import audit_read_many
from kinsight.core.models import User
from kinsight.groups.access import leads_groups
from kinsight.groups.effect import (
    Norms,
    NotComputable,
    PairedEffect,
    ReliableChange,
    cronbach_alpha,
    paired_effect,
    reliable_change,
)
from kinsight.groups.models import (
    Attendance,
    Cycle,
    GroupParticipant,
    Measurement,
    ParticipantStatus,
    Point,
    ProgrammeMeasure,
    Session,
)


@dataclass
class EffectReport:
    """What a report shows of one instrument's change from before to ``point``."""

    instrument: Instrument
    point: str
    measured_before: int  # participants with a before measurement
    pairs: int  # ... and the later one too
    anonymous_pairs: int
    effect: PairedEffect | None = None
    reliable: ReliableChange | None = None
    norms_source: str = ""
    notes: list[str] = field(default_factory=list)
    before: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)

    @property
    def attrition(self) -> int:
        return self.measured_before - self.pairs


def _scope(
    actor: User,
    *,
    cycle: Cycle | None = None,
    programme_id: int | None = None,
    provider_id: int | None = None,
    year: int | None = None,
) -> Q:
    """The participants a report covers, refused (PermissionDenied) unless the actor
    keeps the groups (everything) or leads the one cycle asked for."""
    if cycle is not None:
        if not (leads_groups(actor) or cycle.leaders.filter(pk=actor.pk).exists()):
            raise PermissionDenied
        return Q(participant__cycle=cycle)
    if not leads_groups(actor):
        raise PermissionDenied
    scope = Q(municipality_id=actor.municipality_id)
    if programme_id:
        scope &= Q(participant__cycle__programme_id=programme_id)
    if provider_id:
        scope &= Q(participant__cycle__programme__provider_id=provider_id)
    if year:
        scope &= Q(participant__cycle__start_on__year=year)
    return scope


class Scored(NamedTuple):
    """One measurement as the report needs it (no model instance: 20,000 of them are
    read for a report of 10,000 participants)."""

    participant_id: int
    point: str
    total_score: int
    answers: dict[str, int]
    person_id: int | None


def _norms(instrument: Instrument, measured: list[Scored]) -> Norms:
    """The instrument's published norms, or else the sample's own: the baseline SD and
    Cronbach's alpha of the baseline answers (said in the report)."""
    common: dict[str, Any] = {
        "higher_is_better": instrument.higher_is_better,
        "cutoff": instrument.clinical_cutoff,
    }
    if instrument.reference_sd and instrument.reliability is not None:
        source = instrument.norms_source or _("instrumentets normer")
        return Norms.from_sd(
            instrument.reference_sd, instrument.reliability, source=source, **common
        )
    items = sorted({key for m in measured for key in m.answers})
    rows = [[m.answers[k] for k in items] for m in measured if set(m.answers) == set(items)]
    alpha = cronbach_alpha(rows)
    totals = [float(m.total_score) for m in measured]
    sd = statistics.stdev(totals)
    source = _("urvalets egen spridning före och Cronbachs alfa %(alpha)s") % {
        "alpha": number_format(alpha, 2)
    }
    return Norms.from_sd(sd, max(alpha, 0.0), source=source, **common)


def effect_report(
    *, actor: User, instrument: Instrument, point: str = Point.AFTER, **scope: Any
) -> EffectReport:
    """The change on ``instrument`` from before to ``point`` over the participants in
    ``scope`` (cycle, programme_id, provider_id, year). Below the minimum n it gives
    counts only and says why; a measure the data cannot carry is a note, never NaN."""
    rows = Measurement.objects.filter(
        _scope(actor, **scope), instrument=instrument, point__in=[Point.BEFORE, point]
    ).values_list("participant_id", "point", "total_score", "answers", "participant__person_id")
    return effect_of(instrument, point, rows)


def effect_of(instrument: Instrument, point: str, rows: Iterable[tuple[Any, ...]]) -> EffectReport:
    """The report from the measurements (participant_id, point, total_score, answers,
    person_id) of ``instrument`` at BEFORE and ``point``: for a caller that has chosen
    the participants (kinsight.followup's figures, over several instruments at once)."""
    before: dict[int, Scored] = {}
    later: dict[int, Scored] = {}
    for values in rows:
        row = Scored(*values)
        (before if row.point == Point.BEFORE else later)[row.participant_id] = row
    paired = sorted(set(before) & set(later))
    report = EffectReport(
        instrument=instrument,
        point=point,
        measured_before=len(before),
        pairs=len(paired),
        anonymous_pairs=sum(1 for pk in paired if before[pk].person_id is None),
    )
    minimum = settings.KINSIGHT_GROUPS_MIN_N
    if len(paired) < minimum:
        report.notes.append(
            _("Färre än %(n)d deltagare har båda mätningarna: bara antal visas.") % {"n": minimum}
        )
        return report
    report.before = [float(before[pk].total_score) for pk in paired]
    report.after = [float(later[pk].total_score) for pk in paired]
    try:
        report.effect = paired_effect(report.before, report.after)
    except NotComputable as refusal:
        report.notes.append(str(refusal))
    try:
        norms = _norms(instrument, [before[pk] for pk in paired])
        report.reliable = reliable_change(report.before, report.after, norms)
        report.norms_source = norms.source
    except NotComputable as refusal:
        report.notes.append(str(refusal))
    return report


def reached(
    municipality_id: int | None, first: datetime.date, last: datetime.date
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
        actor.municipality_id, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
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
    for participant in participants:
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
