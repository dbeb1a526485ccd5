"""Reads of the catalogue of interventions (insatskatalogen)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from kinsight.core.models import User
from kinsight.interventions.models import Intervention
from kinsight.interventions.queries.common import row_or_404


def interventions(
    *, actor: User, search: str = "", target: str = "", include_inactive: bool = False
) -> QuerySet[Intervention]:
    found = Intervention.objects.visible_to(actor, "view").select_related("provider_unit")
    if not include_inactive:
        found = found.filter(is_active=True)
    if target:
        found = found.filter(target=target)
    for word in (search or "").split():
        found = found.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(provider_name__icontains=word)
            | Q(code__icontains=word)
        )
    return found.order_by("name", "pk")


def intervention_get(*, actor: User, pk: int, action: str = "view") -> Intervention:
    return row_or_404(Intervention.objects.visible_to(actor, action), pk)


def can_edit_catalogue(actor: User | AnonymousUser) -> bool:
    return bool(actor.is_authenticated and actor.is_administrator)
