"""Which roles a member of staff holds, and where.

A membership gives a role in one organisation node and everything under it; a few
roles (MUNICIPALITY_WIDE_ROLES) hold for the whole municipality. Organisation trees are
small (tens to hundreds of nodes), so the tree is read with the user's memberships in
one query and walked in Python once per request.
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


def ids_under(unit) -> set[int]:
    """The ids of ``unit`` and of every node under it, at any depth: one query for the
    small organisation tree."""
    from kinsight.core.models import OrgUnit

    children_of = defaultdict(list)
    tree = OrgUnit.objects.filter(municipality_id=unit.municipality_id)
    for node_id, parent_id in tree.values_list("id", "parent_id"):
        children_of[parent_id].append(node_id)
    return _descendants(children_of, unit.pk)


def _tree_with_roles(user):
    """The organisation tree of the user's municipality, each node with the role the
    user currently holds there (None where none; a node once per role): one query,
    the memberships joined to the nodes they are given in."""
    from django.db.models import FilteredRelation, Q

    from kinsight.core.models import OrgUnit

    day = timezone.localdate()
    held = Q(
        Q(memberships__valid_from__lte=day) | Q(memberships__valid_from__isnull=True),
        Q(memberships__valid_to__gte=day) | Q(memberships__valid_to__isnull=True),
        memberships__user=user,
        memberships__municipality_id=user.municipality_id,
    )
    return (
        OrgUnit.objects.filter(municipality_id=user.municipality_id)
        .annotate(held=FilteredRelation("memberships", condition=held))
        .values_list("id", "parent_id", "unit_type", "is_active", "held__role")
        .order_by()
    )


def scopes_for(user):
    """{role: set of OrgUnit ids} for the user's current memberships (cached on user)."""
    cached = getattr(user, "_role_scopes", None)
    if cached is not None:
        return cached
    from kinsight.core.models import MUNICIPALITY_WIDE_ROLES

    scopes = defaultdict(set)
    types = {}
    if user.is_authenticated and user.is_active and user.municipality_id:
        children_of, all_ids, memberships = defaultdict(list), set(), []
        for node_id, parent_id, unit_type, is_active, role in _tree_with_roles(user):
            if role is not None:
                memberships.append((role, node_id))
            if node_id in all_ids:
                continue
            children_of[parent_id].append(node_id)
            all_ids.add(node_id)
            if is_active:
                types[node_id] = unit_type
        for role, unit_id in memberships:
            if role in MUNICIPALITY_WIDE_ROLES:
                scopes[role] |= all_ids
            else:
                scopes[role] |= _descendants(children_of, unit_id)
        if not memberships:
            types = {}
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
