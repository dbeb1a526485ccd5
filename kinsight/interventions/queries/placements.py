"""Reads of placements and their contact plans, and who may place a child."""

from django.db.models import Prefetch

from kinsight.access.lists import audited_list
from kinsight.access.querysets import TenantQuerySet
from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.core.models import User
from kinsight.family.access import coordinated_work_ids, participations, work_unit_ids
from kinsight.family.models import FamilyWork
from kinsight.interventions.models import ContactEvent, ContactPlan, Placement
from kinsight.interventions.queries.common import row_for_change


def placements_for_work(*, actor: User, family_work: FamilyWork) -> list[Placement]:
    return audited_list(
        actor, Placement, family_work=family_work, related=("child", "responsible_unit")
    )


def _placement_rows() -> TenantQuerySet[Placement, Placement]:
    return Placement.objects.select_related("child", "responsible_unit", "family_work")


def placement_get(*, actor: User, pk: int) -> Placement:
    """The placement for its page (404 when not seen); the read audited. It carries
    ``may_change``, read with it."""
    placement = get_for(actor, _placement_rows(), pk, flags=("change",))
    audit_read(actor=actor, obj=placement)
    return placement


def placement_for_change(*, actor: User, pk: int) -> Placement:
    return row_for_change(actor, _placement_rows(), pk)


def placement_may_change(*, actor: User, placement: Placement) -> bool:
    """Read with the placement (``may_change``) when it came from here, else asked."""
    if hasattr(placement, "may_change"):
        return placement.may_change
    return Placement.objects.visible_to(actor, "change").filter(pk=placement.pk).exists()


def contact_plans(*, actor: User, placement: Placement) -> list[ContactPlan]:
    events = (
        ContactEvent.objects.visible_to(actor, "view")
        .select_related("recorded_by")
        .order_by("-on", "-pk")
    )
    plans = audited_list(
        actor,
        ContactPlan,
        placement=placement,
        related=("parent",),
        prefetch=(Prefetch("events", queryset=events),),
    )
    shown = [event for plan in plans for event in plan.events.all()]
    audit_read_many(actor=actor, objects=shown, object_type="interventions.contactevent")
    return plans


def contact_plan_for_change(*, actor: User, pk: int) -> ContactPlan:
    return row_for_change(actor, ContactPlan.objects.select_related("placement", "parent"), pk)


def can_place(actor: User, family_work: FamilyWork) -> bool:
    if not participations(actor).filter(family_work_id=family_work.pk).exists():
        return False
    return bool(work_unit_ids(actor)) and (
        FamilyWork.objects.filter(pk=family_work.pk, pk__in=coordinated_work_ids(actor)).exists()
        or participations(actor)
        .filter(family_work_id=family_work.pk, unit_id__in=work_unit_ids(actor))
        .exists()
    )
