"""Writes of the joint assessment: instruments, their configuration and results. Every
function takes the acting user, checks that they may act, validates, writes and audits
in one transaction."""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require_administrator
from kinsight.assessment.models import (
    AssessmentPart,
    Cutoff,
    CutoffSex,
    Instrument,
    InstrumentItem,
    InstrumentResult,
)
from kinsight.audit.services import audit_created
from kinsight.core.models import User
from kinsight.core.services import create_audited
from kinsight.family.models import PerspectiveKind


def instrument_score(
    *, instrument: Instrument, answers: Mapping[Any, Any] | None, sex: str = ""
) -> tuple[dict[str, int], int, str]:
    """Validate ``answers`` ({item number: score}) against the instrument's data and
    return (answers as stored, total, cut-off label). Every item must be answered with
    one of its options' scores, or for a score-only item a score within its range."""
    items = list(instrument.items.prefetch_related("options").order_by("number"))
    stored: dict[str, int] = {}
    missing: list[str] = []
    wrong: list[str] = []
    given = {str(k): v for k, v in (answers or {}).items()}
    for item in items:
        raw = given.get(str(item.number))
        if raw is None or raw == "":
            missing.append(str(item.number))
            continue
        try:
            score = int(raw)
        except (TypeError, ValueError):
            wrong.append(str(item.number))
            continue
        options = [o.score for o in item.options.all()]
        if (options and score not in options) or (
            not options and not item.min_score <= score <= item.max_score
        ):
            wrong.append(str(item.number))
            continue
        stored[str(item.number)] = score
    errors: list[str] = []
    if missing:
        errors.append(_("Besvara fråga %(numbers)s.") % {"numbers": ", ".join(missing)})
    if wrong:
        errors.append(
            _("Ogiltigt svar på fråga %(numbers)s: välj ett av svarsalternativen.")
            % {"numbers": ", ".join(wrong)}
        )
    unknown = set(given) - {str(item.number) for item in items}
    if unknown:
        errors.append(
            _("Instrumentet har ingen fråga %(numbers)s.") % {"numbers": ", ".join(sorted(unknown))}
        )
    cutoffs = list(instrument.cutoffs.all())
    if any(c.sex for c in cutoffs) and sex not in CutoffSex.values:
        raise ValidationError(
            {
                "sex": _(
                    "Ange kvinna eller man: instrumentets gränsvärden skiljer sig mellan "
                    "kvinnor och män."
                ),
                **({"answers": errors} if errors else {}),
            }
        )
    if errors:
        raise ValidationError({"answers": errors})
    total = items_total(items, stored) or 0
    label = next((c.label for c in cutoffs if c.matches(total, sex)), "")
    return stored, total, label


def items_total(items: Sequence[InstrumentItem], answers: Mapping[str, int]) -> int | None:
    """The sum of ``items`` (a subscale's, with their options prefetched) from stored
    ``answers``, reversed items reversed as in the total; None when one is unanswered
    (a score-only result stores no item answers)."""
    if any(str(item.number) not in answers for item in items):
        return None
    return sum(_scored(item, answers[str(item.number)]) for item in items)


def _scored(item: InstrumentItem, score: int) -> int:
    """The item's contribution to the total: a reversed item counts from the other end
    of its range (the answer itself is stored as given)."""
    if not item.is_reversed:
        return score
    scores = [o.score for o in item.options.all()] or [item.min_score, item.max_score]
    return min(scores) + max(scores) - score


def _require_instrument_fits(part: AssessmentPart, instrument: Instrument) -> None:
    person_kinds = {PerspectiveKind.CHILD, PerspectiveKind.PARENT}
    if part.kind not in person_kinds:
        raise ValidationError(
            {"instrument": _("Instrument fylls i för ett barn eller en förälder för egen del.")}
        )
    if part.kind == PerspectiveKind.PARENT and not instrument.for_adults:
        raise ValidationError({"instrument": _("Instrumentet är inte avsett för vuxna.")})
    if part.kind == PerspectiveKind.CHILD and not instrument.for_children:
        raise ValidationError({"instrument": _("Instrumentet är inte avsett för barn.")})


def instrument_result_record(
    *,
    actor: User,
    part: AssessmentPart,
    instrument: Instrument,
    answers: Mapping[Any, Any],
    sex: str = "",
    answered_on: datetime.date | None = None,
    note: str = "",
) -> InstrumentResult:
    """Record a filled-in instrument on the actor's own part, with its total score and
    cut-off label computed from the instrument's data."""
    if not AssessmentPart.objects.visible_to(actor, "change").filter(pk=part.pk).exists():
        raise PermissionDenied
    if not Instrument.objects.visible_to(actor, "view").active().filter(pk=instrument.pk).exists():
        raise ValidationError({"instrument": _("Välj ett aktivt instrument.")})
    _require_instrument_fits(part, instrument)
    stored, total, label = instrument_score(instrument=instrument, answers=answers, sex=sex)
    with transaction.atomic():
        result = InstrumentResult(
            municipality_id=part.municipality_id,
            part=part,
            instrument=instrument,
            answered_on=answered_on or timezone.localdate(),
            sex=sex or "",
            answers=stored,
            total_score=total,
            cutoff_label=label,
            note=(note or "").strip(),
            created_by=actor,
        )
        result.full_clean()
        result.save()
        audited = ["part", "answers", "total_score", "cutoff_label"]
        return audit_created(actor, result, audited, instrument=instrument.code)


def instrument_configure(
    *,
    actor: User,
    code: str,
    name: str,
    licence_note: str,
    areas: Sequence[tuple[str, int, int] | tuple[str, int, int, str]],
    cutoffs: Sequence[tuple[str, int, int, str]] = (),
    description: str = "",
    for_adults: bool = True,
    for_children: bool = False,
) -> Instrument:
    """A municipality's own score-only instrument, for instruments it holds a licence
    for (ASI, SDQ, BBIC areas): ``areas`` are (own short label, min score, max score)
    and optionally the subscale the area belongs to,
    ``cutoffs`` (label, min, max, sex or ""). No item text is stored: Kinsight ships
    none of a licensed instrument's copyrighted text."""
    require_administrator(actor)
    if not areas:
        raise ValidationError({"areas": _("Ange minst ett område med poängintervall.")})
    municipality_id = municipality_id_of(actor)
    with transaction.atomic():
        if Instrument.objects.filter(municipality_id=municipality_id, code=code).exists():
            raise ValidationError({"code": _("Det finns redan ett instrument med den koden.")})
        instrument = create_audited(
            actor,
            Instrument,
            ["code"],
            clean=True,
            extra={"areas": [list(a) for a in areas], "cutoffs": [list(c) for c in cutoffs]},
            code=code,
            name=name,
            description=description,
            licence_note=licence_note,
            is_licensed_text_included=False,
            for_adults=for_adults,
            for_children=for_children,
        )
        for number, (label, low, high, *subscale) in enumerate(areas, start=1):
            if high < low:
                raise ValidationError(
                    {"areas": _("Område %(n)s: högsta poäng är lägre än lägsta.") % {"n": number}}
                )
            item = InstrumentItem(
                instrument=instrument,
                number=number,
                label=label,
                min_score=low,
                max_score=high,
                subscale="".join(subscale).strip(),
            )
            item.full_clean()
            item.save()
        for order, (label, low, high, sex) in enumerate(cutoffs, start=1):
            cutoff = Cutoff(
                instrument=instrument,
                label=label,
                min_score=low,
                max_score=high,
                sex=sex or "",
                order=order,
            )
            cutoff.full_clean()
            cutoff.save()
        return instrument
