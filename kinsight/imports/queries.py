"""The reads of imports: administrators only, their own municipality's (404 else)."""

from django.db.models import QuerySet

from kinsight.access.rules import get_for
from kinsight.core.models import User
from kinsight.imports.models import Import

LIST_FIELDS = ("data", "report")


def imports(user: User) -> QuerySet[Import]:
    return (
        Import.objects.visible_to(user, "view")
        .select_related("uploaded_by")
        .defer(*LIST_FIELDS)
        .order_by("-uploaded_at", "-id")
    )


def import_get(user: User, pk: int, action: str = "view", *, with_report: bool = False) -> Import:
    rows = Import.objects.select_related("uploaded_by").defer("data")
    if not with_report:
        rows = rows.defer(*LIST_FIELDS)
    return get_for(user, rows, pk, action)
