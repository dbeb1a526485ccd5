"""Reads of organisation and staff, each starting from visible_to(user, action)."""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.db.models import Value as V
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404

from kinsight.audit.services import audit_read
from kinsight.core.db import Casefold
from kinsight.core.models import Membership, OrgUnit, User


def org_tree(*, actor: User) -> list[tuple[OrgUnit, int]]:
    """[(node, depth)] in tree order, from one query."""
    nodes = list(OrgUnit.objects.visible_to(actor, "view").order_by("name"))
    children: defaultdict[int | None, list[OrgUnit]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    ordered: list[tuple[OrgUnit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for node in children.get(parent_id, ()):
            ordered.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ordered


def org_unit_get(*, actor: User, pk: int, action: str = "view") -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.visible_to(actor, action), pk=pk)


def staff_search(
    *, actor: User, q: str = "", unit: OrgUnit | None = None, role: str = "", active: str = "1"
) -> QuerySet[User]:
    staff = User.objects.visible_to(actor, "view")
    if q:
        staff = staff.annotate(
            search_text=Casefold(Concat("first_name", V(" "), "last_name", V(" "), "username"))
        )
        for word in q.casefold().split():
            staff = staff.filter(search_text__contains=word)
    if unit is not None:
        staff = staff.filter(memberships__unit=unit)
    if role:
        staff = staff.filter(memberships__role=role)
    if active in ("0", "1"):
        staff = staff.filter(is_active=active == "1")
    memberships = Membership.objects.select_related("unit").order_by("unit__name")
    return (
        staff.distinct()
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("last_name", "first_name", "pk")
    )


def staff_get(*, actor: User, pk: int, action: str = "view") -> User:
    """One member of staff, audited as a read of personal data."""
    user = get_object_or_404(User.objects.visible_to(actor, action), pk=pk)
    audit_read(actor=actor, obj=user)
    return user


def membership_get(*, actor: User, pk: int, action: str = "view") -> Membership:
    return get_object_or_404(Membership.objects.visible_to(actor, action), pk=pk)
