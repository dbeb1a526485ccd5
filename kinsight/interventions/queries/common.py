"""What the interventions reads share: the object types of their audit rows, a row
or 404, a row for a change (404, 403), and the family work as its participants see it."""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from kinsight.access.querysets import TenantQuerySet
from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read_many
from kinsight.core.models import User
from kinsight.family.access import coordinated_work_ids
from kinsight.family.models import FamilyWork

REFERRAL_TYPE = "interventions.referral"
PLACEMENT_TYPE = "interventions.placement"
PLAN_INTERVENTION_TYPE = "interventions.planintervention"
REVISION_TYPE = "interventions.planrevision"

_M = TypeVar("_M", bound=Model)


def row_or_404(queryset: QuerySet[_M], pk: int) -> _M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def row_for_change(actor: User, queryset: TenantQuerySet[_M, _M], pk: int) -> _M:
    """The row ``pk`` the actor is about to change: 404 when they do not see it, 403
    when they may not change it. Not audited: the write that follows is."""
    return get_for(actor, queryset, pk, "change")


def audit_list(*, actor: User, objects: Iterable[Model], object_type: str) -> None:
    audit_read_many(actor=actor, objects=list(objects), object_type=object_type)


def family_work_get(*, actor: User, pk: int) -> FamilyWork:
    """The family work as its participants see it (404 for others). Not audited: the
    family work's summary is no personal data; the pages audit what they show."""
    return row_or_404(FamilyWork.objects.visible_to(actor, "view"), pk)


def is_coordinator(*, actor: User, family_work: FamilyWork) -> bool:
    return FamilyWork.objects.filter(pk=family_work.pk, pk__in=coordinated_work_ids(actor)).exists()
