"""Reads of the support groups: the effect of a programme, cycle, provider or year (as
aggregates: no participant row leaves this module) and the reach per target group,
provider and district."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kinsight.assessment.models import Instrument
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
from kinsight.groups.models import Cycle, GroupParticipant, Measurement, Point


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


def _norms(instrument: Instrument, measured: list[Measurement]) -> Norms:
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
    sd = float(sum((x - sum(totals) / len(totals)) ** 2 for x in totals) / (len(totals) - 1)) ** 0.5
    source = _("urvalets egen spridning före och Cronbachs alfa %(alpha).2f") % {"alpha": alpha}
    return Norms.from_sd(sd, max(alpha, 0.0), source=source, **common)


def effect_report(
    *, actor: User, instrument: Instrument, point: str = Point.AFTER, **scope: Any
) -> EffectReport:
    """The change on ``instrument`` from before to ``point`` over the participants in
    ``scope`` (cycle, programme_id, provider_id, year). Below the minimum n it gives
    counts only and says why; a measure the data cannot carry is a note, never NaN."""
    rows = Measurement.objects.filter(
        _scope(actor, **scope), instrument=instrument, point__in=[Point.BEFORE, point]
    ).select_related("participant")
    before: dict[int, Measurement] = {}
    later: dict[int, Measurement] = {}
    for row in rows:
        (before if row.point == Point.BEFORE else later)[row.participant_id] = row
    paired = sorted(set(before) & set(later))
    report = EffectReport(
        instrument=instrument,
        point=point,
        measured_before=len(before),
        pairs=len(paired),
        anonymous_pairs=sum(1 for pk in paired if before[pk].participant.person_id is None),
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


def reach(*, actor: User, year: int) -> list[dict[str, Any]]:
    """Participants who took part during ``year`` (started or on the waiting list of a
    cycle starting that year), per provider, district and target group; anonymous ones
    counted too. Heads of services and administrators."""
    if not leads_groups(actor):
        raise PermissionDenied
    participants = GroupParticipant.objects.filter(
        Q(municipality_id=actor.municipality_id),
        cycle__start_on__gte=datetime.date(year, 1, 1),
        cycle__start_on__lte=datetime.date(year, 12, 31),
    ).exclude(status="waiting")
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
