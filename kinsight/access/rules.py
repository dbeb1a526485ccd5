"""Single-object checks that services and views share. Reads never use these: they
start from visible_to(user, action), which already answers 404 for the invisible."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest

    from kinsight.access.querysets import TenantQuerySet
    from kinsight.core.models import User


def get_for(
    user: User | AnonymousUser,
    queryset: TenantQuerySet,
    pk: Any,
    action: str = "view",
    *,
    flags: Iterable[str] = (),
) -> Any:
    """The row ``pk`` of ``queryset`` (a TenantQuerySet, e.g. with select_related) as
    ``user`` may see it: 404 when they may not see it, 403 when they see it but may not
    ``action`` it. One query: whether they may ``action`` it (and each action in
    ``flags``) is read with the row and kept on it as ``may_<action>`` (``may_change``)
    for the page that offers the change."""
    rows = queryset.visible_to(user, "view")
    wanted = {*flags, action} - {"view"}
    if not rows.query.is_empty():
        for name in wanted:
            allowed = queryset.model.objects.visible_to(user, name).filter(pk=OuterRef("pk"))
            rows = rows.annotate(**{f"may_{name}": Exists(allowed)})
    obj = get_object_or_404(rows, pk=pk)
    if action != "view" and not getattr(obj, f"may_{action}"):
        raise PermissionDenied
    return obj


def require(queryset: QuerySet[Any], obj: Model) -> None:
    """PermissionDenied unless ``obj`` is in ``queryset`` (e.g. visible_to(user, "change"))."""
    if not queryset.filter(pk=obj.pk).exists():
        raise PermissionDenied


def require_administrator(actor: User) -> None:
    """PermissionDenied unless ``actor`` is a system administrator of a municipality."""
    if not (actor.is_authenticated and actor.municipality_id and actor.is_administrator):
        raise PermissionDenied


def administrator_only(request: HttpRequest) -> None:
    """Administrator pages answer 404 to everyone else, like anything not theirs to see."""
    if not (request.user.is_authenticated and request.user.is_administrator):
        raise Http404


def municipality_id_of(actor: User) -> int:
    """The municipality ``actor`` writes in. Services that create a row call it:
    PermissionDenied for an account without one (a technical account), never a row
    without a tenant."""
    if actor.municipality_id is None:
        raise PermissionDenied
    return actor.municipality_id
