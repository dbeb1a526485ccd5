"""Placements of a child, the contact plans with each parent, and contact events."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.core.models import OrgUnit, User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.validation import not_future, ordered
from kinsight.family.access import (
    coordinated_work_ids,
    work_unit_ids,
)
from kinsight.family.models import (
    PARENT_ROLES,
    FamilyRole,
    FamilyWork,
)
from kinsight.family.rules import refuse_closed
from kinsight.interventions.models import (
    ContactEvent,
    ContactPlan,
    ContactStatus,
    Placement,
    PlacementKind,
)
from kinsight.interventions.queries import (
    can_place,
)
from kinsight.interventions.rules import check_responsibility, require_member
from kinsight.people.models import Person

PLACEMENT_FIELDS = [
    "family_work",
    "child",
    "kind",
    "responsible_unit",
    "start_on",
    "end_on",
]
CONTACT_PLAN_FIELDS = ["placement", "parent", "frequency"]
CONTACT_EVENT_FIELDS = ["contact_plan", "on", "status"]


def _overlapping(
    child: Person,
    start_on: datetime.date,
    end_on: datetime.date | None,
    exclude: Placement | None = None,
) -> Placement | None:
    found = Placement.objects.filter(municipality_id=child.municipality_id, child=child).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start_on)
    )
    if end_on is not None:
        found = found.filter(start_on__lte=end_on)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("start_on").first()


def _refuse_overlap(
    child: Person,
    start_on: datetime.date,
    end_on: datetime.date | None,
    exclude: Placement | None = None,
) -> None:
    other = _overlapping(child, start_on, end_on, exclude)
    if other is not None:
        period = other.start_on.isoformat() + (
            f"–{other.end_on.isoformat()}" if other.end_on else _(" och tills vidare")
        )
        raise ValidationError(
            {
                "start_on": _(
                    "%(child)s har redan en placering under den perioden (%(kind)s, "
                    "%(period)s). Avsluta den först eller välj andra datum."
                )
                % {"child": child, "kind": other.get_kind_display().lower(), "period": period}
            }
        )


def placement_create(
    *,
    actor: User,
    family_work: FamilyWork,
    child: Person,
    kind: str,
    responsible_unit: OrgUnit | None,
    start_on: datetime.date | None,
    end_on: datetime.date | None = None,
    place: str = "",
    note: str = "",
) -> Placement:
    """Record a child's placement (coordinator, or a participating unit for itself)."""
    if not can_place(actor, family_work):
        raise PermissionDenied
    coordinator = FamilyWork.objects.filter(
        pk=family_work.pk, pk__in=coordinated_work_ids(actor)
    ).exists()
    if (
        responsible_unit is not None
        and not coordinator
        and responsible_unit.pk not in work_unit_ids(actor)
    ):
        raise ValidationError(
            {"responsible_unit": _("Du kan bara registrera placeringar för din egen enhet.")}
        )
    refuse_closed(family_work)
    require_member(family_work, child, "child", roles=[FamilyRole.CHILD])
    kind_error = {} if kind in PlacementKind.values else {"kind": _("Välj placeringsform.")}
    start_on, responsible_unit = check_responsibility(
        actor, family_work, start_on, end_on, responsible_unit, errors=kind_error
    )
    with transaction.atomic():
        _refuse_overlap(child, start_on, end_on)
        return create_audited(
            actor,
            Placement,
            PLACEMENT_FIELDS,
            family_work=family_work,
            child=child,
            kind=kind,
            place=place or "",
            responsible_unit=responsible_unit,
            start_on=start_on,
            end_on=end_on,
            note=note or "",
            created_by=actor,
        )


def placement_end(
    *,
    actor: User,
    placement: Placement,
    expected_version: int | None,
    end_on: datetime.date | None,
) -> Placement:
    require(Placement.objects.visible_to(actor, "change"), placement)
    if end_on is None:
        raise ValidationError({"end_on": _("Ange slutdatum.")})
    ordered(placement.start_on, end_on)
    with transaction.atomic():
        _refuse_overlap(placement.child, placement.start_on, end_on, exclude=placement)
        return update_audited(
            actor, placement, {"end_on": end_on}, expected_version=expected_version
        )


def contact_plan_add(
    *, actor: User, placement: Placement, parent: Person, frequency: str, arrangement: str = ""
) -> ContactPlan:
    """Planned contact (umgänge) between the placed child and one of the parents."""
    require(Placement.objects.visible_to(actor, "change"), placement)
    require_member(placement.family_work, parent, "parent", roles=list(PARENT_ROLES))
    frequency = (frequency or "").strip()
    if not frequency:
        raise ValidationError({"frequency": _("Skriv hur ofta umgänget ska ske.")})
    if ContactPlan.objects.filter(placement=placement, parent=parent).exists():
        raise ValidationError(
            {"parent": _("Det finns redan ett planerat umgänge med den föräldern.")}
        )
    with transaction.atomic():
        return create_audited(
            actor,
            ContactPlan,
            CONTACT_PLAN_FIELDS,
            placement=placement,
            parent=parent,
            frequency=frequency,
            arrangement=arrangement or "",
            created_by=actor,
        )


def contact_event_record(
    *,
    actor: User,
    contact_plan: ContactPlan,
    on: datetime.date | None,
    status: str,
    note: str = "",
) -> ContactEvent:
    """A contact that happened or was cancelled."""
    require(ContactPlan.objects.visible_to(actor, "change"), contact_plan)
    errors: dict[str, str] = {}
    if on is None:
        errors["on"] = _("Ange datum.")
    if status not in ContactStatus.values:
        errors["status"] = _("Välj om umgänget blev av eller ställdes in.")
    if errors or on is None:
        raise ValidationError(errors)
    not_future(on, "on", _("Datum"))
    if on < contact_plan.placement.start_on:
        raise ValidationError({"on": _("Datumet ligger före placeringen.")})
    with transaction.atomic():
        return create_audited(
            actor,
            ContactEvent,
            CONTACT_EVENT_FIELDS,
            contact_plan=contact_plan,
            on=on,
            status=status,
            note=note or "",
            recorded_by=actor,
        )
