"""Which roles a member of staff holds, and where.

A membership gives a role in one organisation node and everything under it; a few
roles (MUNICIPALITY_WIDE_ROLES) hold for the whole municipality. Organisation trees are
small (tens to hundreds of nodes), so the tree is walked in Python once per request.
"""

from collections import defaultdict

from django.utils import timezone


def _descendants(children_of, root_id):
    found, stack = set(), [root_id]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        stack.extend(children_of.get(node, ()))
    return found


def scopes_for(user):
    """{role: set of OrgUnit ids} for the user's current memberships (cached on user)."""
    cached = getattr(user, "_role_scopes", None)
    if cached is not None:
        return cached
    from kinsight.core.models import MUNICIPALITY_WIDE_ROLES, Membership, OrgUnit

    scopes = defaultdict(set)
    types = {}
    if user.is_authenticated and user.is_active and user.municipality_id:
        memberships = list(
            Membership.objects.filter(user=user, municipality_id=user.municipality_id)
            .current(timezone.localdate())
            .values_list("role", "unit_id")
        )
        if memberships:
            children_of = defaultdict(list)
            all_ids = []
            for node_id, parent_id, unit_type, is_active in OrgUnit.objects.filter(
                municipality_id=user.municipality_id
            ).values_list("id", "parent_id", "unit_type", "is_active"):
                children_of[parent_id].append(node_id)
                all_ids.append(node_id)
                if is_active:
                    types[node_id] = unit_type
            for role, unit_id in memberships:
                if role in MUNICIPALITY_WIDE_ROLES:
                    scopes[role] |= set(all_ids)
                else:
                    scopes[role] |= _descendants(children_of, unit_id)
    user._unit_types = types
    user._role_scopes = dict(scopes)
    return user._role_scopes


def unit_types(user):
    """{OrgUnit id: unit type} of the active nodes of the user's municipality (the type is
    "" except on units), read in the same query as the role scopes (empty for a user
    without a current membership). The navigation uses it to show only what the user
    may do without a query of its own."""
    scopes_for(user)
    return user._unit_types


def forget(user):
    """Drop the cached scopes (after memberships change within a request)."""
    if hasattr(user, "_role_scopes"):
        del user._role_scopes
        del user._unit_types
