"""Writes of the joint assessment. Every function takes the acting user, checks that
they may act, validates, writes and audits in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require_administrator
from kinsight.assessment.models import (
    Assessment,
    AssessmentPart,
    Cutoff,
    CutoffSex,
    FactorTarget,
    Instrument,
    InstrumentItem,
    InstrumentResult,
    ProtectiveFactor,
)
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record, diff, snapshot
from kinsight.core.versioning import VersionMissing, save_versioned
from kinsight.family.access import participations
from kinsight.family.models import FamilyWork, PerspectiveKind

PART_FIELDS = [
    "needs",
    "risk_factors",
    "protective_notes",
    "family_view",
    "child_words",
    "free_text",
]


# Perspectives -------------------------------------------------------------------------


def perspective_get(*, family_work, key):
    """The perspective ``key`` of the family as it is now, or a ValidationError that
    says why it does not exist (e.g. the couple relation in a family with one parent)."""
    members = list(family_work.members.filter(ended_on__isnull=True).select_related("person"))
    for perspective in family_work.perspectives(members):
        if perspective.key == key:
            return perspective
    kind = key.split(":", 1)[0]
    if kind == PerspectiveKind.COUPLE:
        message = _(
            "Familjen har inte två föräldrar i familjeärendet, så det finns ingen "
            "parrelation att bedöma. Lägg till förälder 2 i familjeärendet först."
        )
    elif kind in PerspectiveKind.values:
        message = _(
            "Perspektivet finns inte i familjen: personen ingår inte (längre) i "
            "familjeärendet med den rollen. Välj ett av familjens perspektiv."
        )
    else:
        message = _("Okänt perspektiv. Välj ett av familjens perspektiv.")
    raise ValidationError({"perspective": message})


def _persons(perspective):
    persons = list(perspective.persons)
    return (persons[0] if persons else None, persons[1] if len(persons) > 1 else None)


# Assessment and parts -----------------------------------------------------------------


def _require_participating_unit(actor, family_work, unit):
    if not participations(actor).filter(family_work_id=family_work.pk, unit_id=unit.pk).exists():
        raise PermissionDenied


def assessment_start(*, actor, family_work):
    """The family work's assessment, created (and audited) on first use."""
    if not FamilyWork.objects.visible_to(actor, "view").filter(pk=family_work.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        assessment = Assessment.objects.filter(family_work=family_work).first()
        if assessment is not None:
            return assessment
        assessment = Assessment.objects.create(
            municipality_id=family_work.municipality_id,
            family_work=family_work,
            started_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=assessment,
            changes={"family_work": [None, family_work.pk]},
        )
        return assessment


def _check_factors(factors, actor):
    allowed = set(ProtectiveFactor.objects.visible_to(actor, "view").values_list("pk", flat=True))
    if any(f.pk not in allowed for f in factors):
        raise ValidationError({"protective_factors": _("Välj skyddsfaktorer ur katalogen.")})


def _part_snapshot(part, factor_ids):
    data = snapshot(part, PART_FIELDS)
    data["protective_factors"] = sorted(factor_ids)
    return data


def part_save(
    *,
    actor,
    family_work,
    perspective_key,
    unit,
    data,
    protective_factors=(),
    expected_version,
):
    """Write the acting unit's part for one perspective: create it (the edit started
    from no part, ``expected_version`` NOT_YET_SAVED) or update it; either is refused
    as a stale edit if someone saved after the version the edit started from. The
    perspective must exist in the family as it is now."""
    if expected_version is None:
        raise VersionMissing
    _require_participating_unit(actor, family_work, unit)
    perspective = perspective_get(family_work=family_work, key=perspective_key)
    factors = list(protective_factors)
    _check_factors(factors, actor)
    factor_ids = [f.pk for f in factors]
    values = {name: (data.get(name) or "").strip() for name in PART_FIELDS}
    with transaction.atomic():
        assessment = assessment_start(actor=actor, family_work=family_work)
        part = AssessmentPart.objects.filter(
            assessment=assessment, perspective=perspective.key, unit=unit
        ).first()
        now = timezone.now()
        if part is None:
            person, other = _persons(perspective)
            part = AssessmentPart(
                municipality_id=family_work.municipality_id,
                assessment=assessment,
                family_work=family_work,
                perspective=perspective.key,
                kind=perspective.kind,
                person=person,
                other_person=other,
                unit=unit,
                created_by=actor,
                updated_by=actor,
                updated_at=now,
                **values,
            )
            part.full_clean(exclude=["protective_factors"])
            part.save()
            part.protective_factors.set(factors)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=part,
                changes={
                    name: [None, value]
                    for name, value in _part_snapshot(part, factor_ids).items()
                    if value
                }
                | {"perspective": [None, part.perspective], "unit": [None, unit.pk]},
            )
            return part
        before = _part_snapshot(
            part, part.protective_factors.values_list("pk", flat=True).order_by()
        )
        for name, value in values.items():
            setattr(part, name, value)
        part.updated_by = actor
        part.updated_at = now
        part.full_clean(exclude=["protective_factors"])
        save_versioned(
            part,
            expected_version=expected_version,
            fields=[*PART_FIELDS, "updated_by", "updated_at"],
        )
        part.protective_factors.set(factors)
        changes = diff(before, _part_snapshot(part, factor_ids))
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=part, changes=changes)
        return part


# Instruments --------------------------------------------------------------------------


def instrument_score(*, instrument, answers, sex=""):
    """Validate ``answers`` ({item number: score}) against the instrument's data and
    return (answers as stored, total, cut-off label). Every item must be answered with
    one of its options' scores, or for a score-only item a score within its range."""
    items = list(instrument.items.prefetch_related("options").order_by("number"))
    stored, missing, wrong = {}, [], []
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
    errors = []
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
    total = sum(stored.values())
    label = next((c.label for c in cutoffs if c.matches(total, sex)), "")
    return stored, total, label


def _require_instrument_fits(part, instrument):
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
    *, actor, part, instrument, answers, sex="", answered_on=None, note=""
):
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
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=result,
            changes={
                "part": [None, part.pk],
                "instrument": [None, instrument.code],
                "answers": [None, stored],
                "total_score": [None, total],
                "cutoff_label": [None, label],
            },
        )
        return result


def instrument_configure(
    *,
    actor,
    code,
    name,
    licence_note,
    areas,
    cutoffs=(),
    description="",
    for_adults=True,
    for_children=False,
):
    """A municipality's own score-only instrument, for instruments it holds a licence
    for (ASI, SDQ, BBIC areas): ``areas`` are (own short label, min score, max score),
    ``cutoffs`` (label, min, max, sex or ""). No item text is stored: Kinsight ships
    none of a licensed instrument's copyrighted text."""
    require_administrator(actor)
    if not areas:
        raise ValidationError({"areas": _("Ange minst ett område med poängintervall.")})
    with transaction.atomic():
        if Instrument.objects.filter(municipality_id=actor.municipality_id, code=code).exists():
            raise ValidationError({"code": _("Det finns redan ett instrument med den koden.")})
        instrument = Instrument(
            municipality_id=actor.municipality_id,
            code=code,
            name=name,
            description=description,
            licence_note=licence_note,
            is_licensed_text_included=False,
            for_adults=for_adults,
            for_children=for_children,
        )
        instrument.full_clean()
        instrument.save()
        for number, (label, low, high) in enumerate(areas, start=1):
            if high < low:
                raise ValidationError(
                    {"areas": _("Område %(n)s: högsta poäng är lägre än lägsta.") % {"n": number}}
                )
            item = InstrumentItem(
                instrument=instrument, number=number, label=label, min_score=low, max_score=high
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
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=instrument,
            municipality_id=actor.municipality_id,
            changes={
                "code": [None, code],
                "areas": [None, [list(a) for a in areas]],
                "cutoffs": [None, [list(c) for c in cutoffs]],
            },
        )
        return instrument


def protective_factor_add(*, actor, code, label, target=FactorTarget.ANY):
    """An administrator adds a protective factor to the municipality's catalogue."""
    require_administrator(actor)
    with transaction.atomic():
        factor = ProtectiveFactor(
            municipality_id=actor.municipality_id,
            code=code,
            label=label,
            target=target,
            order=100 + ProtectiveFactor.objects.filter(municipality=actor.municipality_id).count(),
        )
        factor.full_clean()
        factor.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=factor,
            municipality_id=actor.municipality_id,
            changes={"code": [None, code], "label": [None, label]},
        )
        return factor


def protective_factor_set_active(*, actor, factor, is_active):
    if not ProtectiveFactor.objects.visible_to(actor, "change").filter(pk=factor.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        before = factor.is_active
        factor.is_active = is_active
        factor.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=factor,
            municipality_id=actor.municipality_id,
            changes={"is_active": [before, is_active]},
        )
        return factor
