"""What the interventions pages share."""

from django.core.exceptions import PermissionDenied

from kinsight.family.models import FamilyMember
from kinsight.interventions import queries
from kinsight.interventions.models import FamilyPlan

FAMILY_NAV = "family"


def current_members(request, family_work):
    """The current members the user may see (names need their consent)."""
    return list(
        FamilyMember.objects.visible_to(request.user, "view")
        .filter(family_work=family_work, ended_on__isnull=True)
        .select_related("person")
        .order_by("role", "pk")
    )


def coordinated_work(request, pk):
    """The family work the user coordinates (404 when not seen, 403 when not theirs)."""
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    if not queries.is_coordinator(actor=request.user, family_work=family_work):
        raise PermissionDenied
    return family_work


def plan_version(family_work):
    plan = FamilyPlan.objects.filter(family_work=family_work).first()
    return plan.version if plan else 0
