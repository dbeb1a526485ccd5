"""The navigation's question about the network, without a query for most users: only
the region's staff (no municipality) and heads of services and unit managers (from the
role scopes the navigation loads anyway) are candidates."""

from typing import Any

from django import template

from kinsight.core.models import Role

register = template.Library()


@register.filter
def reads_network(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.municipality_id:
        return getattr(user, "region_staff", None) is not None
    return bool(user.units_with_role(Role.HEAD_OF_SERVICES, Role.UNIT_MANAGER))
