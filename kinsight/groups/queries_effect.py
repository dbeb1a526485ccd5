"""Reads of the effect of the support groups: of a programme, cycle, provider or year
(as aggregates: no participant row leaves this module), on an instrument's total or
on one of its subscales (the sum of that subscale's items, from the stored answers)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kinsight.assessment.models import Instrument, InstrumentItem
from kinsight.assessment.services import items_total
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
from kinsight.groups.models import Cycle, Measurement, Point


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
    subscale: str = ""  # the sum of one subscale's items instead of the total

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


def _norms(instrument: Instrument, measured: list[Scored], subscale: str = "") -> Norms:
    """The instrument's published norms, or else the sample's own: the baseline SD and
    Cronbach's alpha of the baseline answers (said in the report). The published norms
    and the clinical cut-off are the total's: a subscale always has the sample's own
    (its scores and its items' answers), read in the instrument's direction."""
    common: dict[str, Any] = {
        "higher_is_better": instrument.higher_is_better,
        "cutoff": None if subscale else instrument.clinical_cutoff,
    }
    if not subscale and instrument.reference_sd and instrument.reliability is not None:
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
    if subscale:
        source = _(
            "delskalan %(subscale)s: urvalets egen spridning före och Cronbachs alfa "
            "%(alpha)s för delskalans frågor (instrumentets normer och kliniska gräns "
            "gäller totalsumman)"
        ) % {"subscale": subscale, "alpha": number_format(alpha, 2)}
    return Norms.from_sd(sd, max(alpha, 0.0), source=source, **common)


def effect_report(
    *,
    actor: User,
    instrument: Instrument,
    point: str = Point.AFTER,
    subscale: str = "",
    **scope: Any,
) -> EffectReport:
    """The change on ``instrument`` (or on one ``subscale`` of it: the sum of its
    items' answers) from before to ``point`` over the participants in ``scope``
    (cycle, programme_id, provider_id, year). Below the minimum n it gives counts
    only and says why; a measure the data cannot carry is a note, never NaN."""
    items = _subscale_items(instrument, subscale) if subscale else []
    rows = Measurement.objects.filter(
        _scope(actor, **scope), instrument=instrument, point__in=[Point.BEFORE, point]
    ).values_list("participant_id", "point", "total_score", "answers", "participant__person_id")
    return effect_of(instrument, point, rows, subscale=subscale, items=items)


def _subscale_items(instrument: Instrument, subscale: str) -> list[InstrumentItem]:
    """The items of ``subscale`` with their options (to reverse as the total does);
    ValidationError when the instrument has no such subscale."""
    items = list(instrument.items.filter(subscale=subscale).prefetch_related("options"))
    if not items:
        raise ValidationError(
            {
                "subscale": _("%(instrument)s har ingen delskala %(subscale)s.")
                % {"instrument": instrument.name, "subscale": subscale}
            }
        )
    return items


def _on_subscale(row: Scored, items: list[InstrumentItem]) -> Scored | None:
    """``row`` scored on the subscale's items: their sum, and their answers as scored
    (reversed items reversed) for Cronbach's alpha; None without the items' answers
    (a measurement of the total only)."""
    total = items_total(items, row.answers)
    if total is None:
        return None
    scored = {str(item.number): items_total([item], row.answers) or 0 for item in items}
    return row._replace(total_score=total, answers=scored)


def effect_of(
    instrument: Instrument,
    point: str,
    rows: Iterable[tuple[Any, ...]],
    *,
    subscale: str = "",
    items: list[InstrumentItem] | None = None,
) -> EffectReport:
    """The report from the measurements (participant_id, point, total_score, answers,
    person_id) of ``instrument`` at BEFORE and ``point``: for a caller that has chosen
    the participants (kinsight.followup's figures, over several instruments at once).
    With ``subscale`` (and its ``items``) on the sum of that subscale's items."""
    before: dict[int, Scored] = {}
    later: dict[int, Scored] = {}
    totals_only = 0
    for values in rows:
        row: Scored | None = Scored(*values)
        if items:
            row = _on_subscale(Scored(*values), items)
        if row is None:
            totals_only += 1
            continue
        (before if row.point == Point.BEFORE else later)[row.participant_id] = row
    paired = sorted(set(before) & set(later))
    report = EffectReport(
        instrument=instrument,
        point=point,
        measured_before=len(before),
        pairs=len(paired),
        anonymous_pairs=sum(1 for pk in paired if before[pk].person_id is None),
        subscale=subscale,
    )
    if totals_only:
        report.notes.append(
            _(
                "%(n)d mätningar har bara summan, inga svar per fråga: delskalan kan inte "
                "räknas för dem och de är inte med."
            )
            % {"n": totals_only}
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
        norms = _norms(instrument, [before[pk] for pk in paired], subscale)
        report.reliable = reliable_change(report.before, report.after, norms)
        report.norms_source = norms.source
    except NotComputable as refusal:
        report.notes.append(str(refusal))
    return report
