"""The catalogue of interventions (insatskatalogen): kept by the administrator."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require, require_administrator
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_created, audit_record
from kinsight.core.models import Municipality, User
from kinsight.core.services import update_audited
from kinsight.interventions.examples import EXAMPLES
from kinsight.interventions.models import (
    Intervention,
    ProviderKind,
)
from kinsight.interventions.rules import own_unit

INTERVENTION_FIELDS = [
    "name",
    "target",
    "provider_kind",
    "provider_unit",
    "provider_name",
    "provider_contact",
    "min_age",
    "max_age",
    "format",
    "evidence_level",
    "code",
    "description",
    "is_active",
]


def _check_intervention(actor: User, intervention: Intervention) -> None:
    errors: dict[str, str] = {}
    if (
        intervention.min_age is not None
        and intervention.max_age is not None
        and intervention.min_age > intervention.max_age
    ):
        errors["max_age"] = _("Åldern till kan inte vara lägre än åldern från.")
    if intervention.provider_kind == ProviderKind.EXTERNAL:
        if not intervention.provider_name.strip():
            errors["provider_name"] = _("Skriv namnet på den externa utföraren.")
        intervention.provider_unit = None
    else:
        intervention.provider_name = ""
    if errors:
        raise ValidationError(errors)
    own_unit(actor, intervention.provider_unit, "provider_unit")
    duplicate = Intervention.objects.filter(
        municipality_id=municipality_id_of(actor), name__iexact=intervention.name.strip()
    ).exclude(pk=intervention.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("Det finns redan en insats med det namnet.")})
    intervention.name = intervention.name.strip()


def intervention_create(*, actor: User, **data: Any) -> Intervention:
    """A new catalogue intervention (administrators)."""
    require_administrator(actor)
    with transaction.atomic():
        intervention = Intervention(municipality_id=municipality_id_of(actor))
        for name in INTERVENTION_FIELDS:
            if name in data:
                setattr(intervention, name, data[name])
        _check_intervention(actor, intervention)
        intervention.full_clean()
        intervention.save()
        return audit_created(actor, intervention, INTERVENTION_FIELDS)


def intervention_update(
    *,
    actor: User,
    intervention: Intervention,
    expected_version: int | None,
    data: dict[str, Any],
) -> Intervention:
    require(Intervention.objects.visible_to(actor, "change"), intervention)
    with transaction.atomic():
        stored = Intervention.objects.get(pk=intervention.pk)
        for name in INTERVENTION_FIELDS:
            if name in data:
                setattr(intervention, name, data[name])
        _check_intervention(actor, intervention)
        intervention.full_clean(validate_unique=False)
        return update_audited(
            actor,
            intervention,
            {name: getattr(intervention, name) for name in INTERVENTION_FIELDS},
            expected_version=expected_version,
            stored=stored,
        )


def examples_add(
    *, actor: User | None, municipality: Municipality | None = None
) -> list[Intervention]:
    """Add the seed's examples missing from the municipality's catalogue (by name).
    ``actor`` None: the demo generator (audited without an actor)."""
    if actor is not None:
        require_administrator(actor)
        municipality_id = municipality_id_of(actor)
    else:
        assert municipality is not None, "examples_add: an actor or a municipality"
        municipality_id = municipality.pk
    with transaction.atomic():
        existing = {
            name.lower()
            for name in Intervention.objects.filter(municipality_id=municipality_id).values_list(
                "name", flat=True
            )
        }
        made = Intervention.objects.bulk_create(
            [
                Intervention(municipality_id=municipality_id, is_example=True, **example)
                for example in EXAMPLES
                if example["name"].lower() not in existing
            ]
        )
        if made:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                municipality_id=municipality_id,
                object_type="interventions.intervention",
                object_id="*",
                changes={"examples": [example.name for example in made]},
            )
        return made
