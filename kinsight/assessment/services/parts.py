"""Writes of the joint assessment. Every function takes the acting user, checks that
they may act, validates, writes and audits in one transaction."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require_administrator
from kinsight.assessment.models import (
    Assessment,
    AssessmentPart,
    FactorTarget,
    ProtectiveFactor,
)
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record, audit_updated, diff, snapshot
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, save_changes
from kinsight.core.versioning import VersionMissing
from kinsight.family.access import participations
from kinsight.family.models import FamilyWork, Perspective, PerspectiveKind
from kinsight.people.models import Person

# The part's text fields are named once, on the model (is_empty reads them too).
PART_FIELDS = list(AssessmentPart.TEXT_FIELDS)


# Perspectives -------------------------------------------------------------------------


def perspective_get(*, family_work: FamilyWork, key: str) -> Perspective:
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


def _persons(perspective: Perspective) -> tuple[Person | None, Person | None]:
    persons = list(perspective.persons)
    return (persons[0] if persons else None, persons[1] if len(persons) > 1 else None)


# Assessment and parts -----------------------------------------------------------------


def _require_participating_unit(actor: User, family_work: FamilyWork, unit: OrgUnit) -> None:
    if not participations(actor).filter(family_work_id=family_work.pk, unit_id=unit.pk).exists():
        raise PermissionDenied


def assessment_start(*, actor: User, family_work: FamilyWork) -> Assessment:
    """The family work's assessment, created (and audited) on first use."""
    if not FamilyWork.objects.visible_to(actor, "view").filter(pk=family_work.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        assessment = Assessment.objects.filter(family_work=family_work).first()
        if assessment is not None:
            return assessment
        return create_audited(
            actor, Assessment, ["family_work"], family_work=family_work, started_by=actor
        )


def _check_factors(factors: list[ProtectiveFactor], actor: User) -> None:
    allowed = set(ProtectiveFactor.objects.visible_to(actor, "view").values_list("pk", flat=True))
    if any(f.pk not in allowed for f in factors):
        raise ValidationError({"protective_factors": _("Välj skyddsfaktorer ur katalogen.")})


def _part_snapshot(part: AssessmentPart, factor_ids: Iterable[int]) -> dict[str, Any]:
    data = snapshot(part, PART_FIELDS)
    data["protective_factors"] = sorted(factor_ids)
    return data


def part_save(
    *,
    actor: User,
    family_work: FamilyWork,
    perspective_key: str,
    unit: OrgUnit,
    data: Mapping[str, Any],
    protective_factors: Iterable[ProtectiveFactor] = (),
    expected_version: int | None,
) -> AssessmentPart:
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
        factors_before = sorted(part.protective_factors.values_list("pk", flat=True).order_by())
        changes = save_changes(
            part,
            {**values, "updated_by": actor, "updated_at": now},
            expected_version=expected_version,
            audited=PART_FIELDS,
            stored=part,
            clean=True,
        )
        part.protective_factors.set(factors)
        changes |= diff(
            {"protective_factors": factors_before}, {"protective_factors": sorted(factor_ids)}
        )
        return audit_updated(actor, part, changes)


# Instruments --------------------------------------------------------------------------


def protective_factor_add(
    *, actor: User, code: str, label: str, target: str = FactorTarget.ANY
) -> ProtectiveFactor:
    """An administrator adds a protective factor to the municipality's catalogue."""
    require_administrator(actor)
    catalogue = ProtectiveFactor.objects.filter(municipality=municipality_id_of(actor))
    with transaction.atomic():
        return create_audited(
            actor,
            ProtectiveFactor,
            ["code", "label"],
            clean=True,
            code=code,
            label=label,
            target=target,
            order=100 + catalogue.count(),
        )


def protective_factor_set_active(
    *, actor: User, factor: ProtectiveFactor, is_active: bool
) -> ProtectiveFactor:
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
