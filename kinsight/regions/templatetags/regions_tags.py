"""The navigation's two questions about the regional network, answered without a query
for almost everyone: region staff are users without a municipality (only for them is
the staff row looked up), publishers hold the head-of-services role (from the role
scopes the navigation loads anyway)."""

from typing import Any

from django import template

from kinsight.core.models import Role

register = template.Library()


@register.filter
def is_region_staff(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or user.municipality_id:
        return False
    return getattr(user, "region_staff", None) is not None


@register.filter
def is_head_of_services(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.municipality_id:
        return False
    return bool(user.units_with_role(Role.HEAD_OF_SERVICES))
