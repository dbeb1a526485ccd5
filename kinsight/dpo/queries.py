"""Reads of the register of extract requests: the log reviewer's only, everyone else
gets 404. Each read is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.http import Http404
from django.utils import timezone

from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.dpo.models import ExtractRequest
from kinsight.ui.paging import page_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kinsight.core.models import User


def require_dpo_page(user: User) -> None:
    if not (user.is_authenticated and user.municipality_id and user.is_log_reviewer):
        raise Http404


def extract_request_page(request: HttpRequest) -> Page[Any]:
    """The register of requests, the earliest due first, one page, audited."""
    require_dpo_page(request.user)  # type: ignore[arg-type]
    rows = (
        ExtractRequest.objects.visible_to(request.user, "view")
        .select_related("person")
        .order_by("due_on", "pk")
    )
    page = page_of(request, rows)
    today = timezone.localdate()
    for row in page.object_list:
        row.overdue = row.is_overdue(today)
    audit_read_many(
        actor=request.user,
        objects=page.object_list,
        object_type=ExtractRequest._meta.label_lower,
        subjects=[row.person_id for row in page.object_list],
    )
    return page


def extract_request_get(*, actor: User, pk: int) -> ExtractRequest:
    """One request with its extract, audited as a read (404 for anyone else)."""
    require_dpo_page(actor)
    rows = ExtractRequest.objects.select_related(
        "person", "received_by", "compiled_by", "reviewed_by", "released_by"
    )
    obj = get_for(actor, rows, pk)
    audit_read(actor=actor, obj=obj)
    return obj


def extract_request_for_change(*, actor: User, pk: int) -> ExtractRequest:
    require_dpo_page(actor)
    return get_for(actor, ExtractRequest.objects.all(), pk, "change")
