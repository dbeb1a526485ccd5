"""The groups' catalogue: providers and their grants, programmes and their measurement
plan, and the register of trained leaders. Kept by administrators and heads of services."""

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinsight.assessment.models import Instrument
from kinsight.audit.services import audit_updated, diff, snapshot
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.validation import not_future
from kinsight.groups.access import leads_groups
from kinsight.groups.models import (
    LeaderTraining,
    Point,
    Programme,
    ProgrammeMeasure,
    Provider,
    ProviderGrant,
)
from kinsight.interventions.models import ProviderKind

PROVIDER_FIELDS = ["name", "kind", "unit", "contact", "agreement", "is_active"]
PROGRAMME_FIELDS = [
    "name",
    "problem_area",
    "target_group",
    "min_age",
    "max_age",
    "group_sessions",
    "individual_talks",
    "provider",
    "description",
    "is_active",
]
GRANT_CHANGES = ["amount", "note"]
_K = TypeVar("_K", Provider, Programme)


def require_catalogue_keeper(actor: User) -> None:
    if not leads_groups(actor):
        raise PermissionDenied(_("Bara systemförvaltare och IFO-chefer ändrar stödgrupperna."))


def _same_municipality(actor: User, obj: Any, field: str) -> None:
    if obj is not None and obj.municipality_id != actor.municipality_id:
        raise ValidationError({field: _("Välj något i din egen kommun.")})


def _check_provider(actor: User, data: dict[str, Any]) -> None:
    unit = data.get("unit")
    _same_municipality(actor, unit, "unit")
    if data.get("kind") == ProviderKind.EXTERNAL:
        data["unit"] = None
    elif unit is None:
        raise ValidationError({"unit": _("Välj den enhet i kommunen som leder grupperna.")})
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Skriv utförarens namn.")})
    data["name"] = name


def _keep_create(actor: User, model: type[_K], fields: list[str], data: dict[str, Any]) -> _K:
    """A new catalogue row of ``model``: the keeper's right, the model's check, audited."""
    require_catalogue_keeper(actor)
    CHECKS[model](actor, data)
    with transaction.atomic():
        return create_audited(actor, model, fields, clean=True, **data)


def _keep_update(
    actor: User, obj: _K, fields: list[str], expected_version: int | None, data: dict[str, Any]
) -> _K:
    """A changed catalogue row: ``data`` over what it holds, checked as a new one is."""
    require_catalogue_keeper(actor)
    _same_municipality(actor, obj, type(obj).__name__.lower())
    merged = {name: getattr(obj, name) for name in fields} | data
    CHECKS[type(obj)](actor, merged)
    with transaction.atomic():
        return update_audited(actor, obj, merged, expected_version=expected_version, clean=True)


def provider_create(*, actor: User, **data: Any) -> Provider:
    return _keep_create(actor, Provider, PROVIDER_FIELDS, data)


def provider_update(
    *, actor: User, provider: Provider, expected_version: int | None, **data: Any
) -> Provider:
    return _keep_update(actor, provider, PROVIDER_FIELDS, expected_version, data)


def grant_set(
    *, actor: User, provider: Provider, year: int, amount: int, note: str = ""
) -> ProviderGrant:
    """The provider's grant for ``year`` (a second call for the same year replaces it)."""
    require_catalogue_keeper(actor)
    _same_municipality(actor, provider, "provider")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Ange ett år mellan 2000 och 2100.")})
    with transaction.atomic():
        grant = ProviderGrant.objects.filter(provider=provider, year=year).first()
        if grant is None:
            return create_audited(
                actor,
                ProviderGrant,
                ["provider", "year", "amount", "note"],
                provider=provider,
                year=year,
                amount=amount,
                note=note,
            )
        before = snapshot(grant, GRANT_CHANGES)
        grant.amount, grant.note = amount, note
        grant.save(update_fields=GRANT_CHANGES)
        return audit_updated(actor, grant, diff(before, snapshot(grant, GRANT_CHANGES)))


def _check_programme(actor: User, data: dict[str, Any]) -> None:
    _same_municipality(actor, data.get("provider"), "provider")
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        raise ValidationError({"max_age": _("Åldern till kan inte vara lägre än åldern från.")})
    if not data.get("group_sessions"):
        raise ValidationError({"group_sessions": _("Ett program har minst en gruppträff.")})


def programme_create(*, actor: User, **data: Any) -> Programme:
    return _keep_create(actor, Programme, PROGRAMME_FIELDS, data)


def programme_update(
    *, actor: User, programme: Programme, expected_version: int | None, **data: Any
) -> Programme:
    return _keep_update(actor, programme, PROGRAMME_FIELDS, expected_version, data)


CHECKS: dict[type, Callable[[User, dict[str, Any]], None]] = {
    Provider: _check_provider,
    Programme: _check_programme,
}


def programme_measure_add(
    *,
    actor: User,
    programme: Programme,
    instrument: Instrument,
    point: str,
    months_after_end: int | None = None,
) -> ProgrammeMeasure:
    require_catalogue_keeper(actor)
    _same_municipality(actor, programme, "programme")
    if instrument.municipality_id not in (None, actor.municipality_id):
        raise ValidationError({"instrument": _("Välj ett instrument i din kommuns katalog.")})
    if point == Point.FOLLOW_UP and not months_after_end:
        raise ValidationError(
            {"months_after_end": _("Ange hur många månader efter avslut uppföljningen görs.")}
        )
    if ProgrammeMeasure.objects.filter(
        programme=programme, instrument=instrument, point=point
    ).exists():
        raise ValidationError({"point": _("Programmet mäter redan med det instrumentet då.")})
    with transaction.atomic():
        return create_audited(
            actor,
            ProgrammeMeasure,
            ["programme", "instrument", "point", "months_after_end"],
            programme=programme,
            instrument=instrument,
            point=point,
            months_after_end=months_after_end if point == Point.FOLLOW_UP else None,
        )


def leader_training_add(
    *,
    actor: User,
    leader: User,
    district: OrgUnit,
    training: str,
    trained_on: datetime.date,
    programme: Programme | None = None,
) -> LeaderTraining:
    """A trained leader in the register (so the head of services sees where leaders are
    missing)."""
    require_catalogue_keeper(actor)
    for field, obj in (("leader", leader), ("district", district), ("programme", programme)):
        _same_municipality(actor, obj, field)
    not_future(trained_on, "trained_on", _("Utbildningsdatumet"))
    with transaction.atomic():
        return create_audited(
            actor,
            LeaderTraining,
            ["leader", "district", "programme", "training", "trained_on"],
            leader=leader,
            district=district,
            programme=programme,
            training=training.strip(),
            trained_on=trained_on,
        )
