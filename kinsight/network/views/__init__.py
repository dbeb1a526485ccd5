"""The network's pages: meetings (meetings.py), the inventory (inventory.py), the
training offer and register (courses.py)."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kinsight.core.models import User
from kinsight.network import queries
from kinsight.ui.forms_flow import form_page, post_on_detail


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def list_form(request: HttpRequest, form_class: Any) -> tuple[User, Any]:
    """A list page of the network whose form only the network leader gets: the user and
    the form (None for a member; a member's POST 403, everyone else 404)."""
    user = user_of(request)
    regions = queries.reader_regions(user)
    if not regions:
        raise Http404
    leader = queries.is_leader(user, regions[0])
    form = form_class(request.POST or None) if leader else None
    if request.method == "POST" and form is None:
        raise PermissionDenied
    return user, form


def detail_url(found: Model) -> str:
    """A record's page: the network names each after its model (network:meeting,
    network:inventory, network:course, with the template network/<model>.html), so the
    list and detail helpers below find it from the record."""
    return reverse(f"network:{found._meta.model_name}", args=[found.pk])


def list_page(
    request: HttpRequest, form: Any, call: Any, *, done: str, template: str, context: Any
) -> HttpResponse:
    """The list with the leader's form (ui.forms_flow.form_page; saved, to the new
    record's page), or without one."""
    if form is None:
        return render(request, template, context)
    page = {"template": template, "context": context}
    return form_page(request, form, call, done=done, back_to=detail_url, **page)


def posted(
    request: HttpRequest,
    found: Model,
    name: str,
    form: Any,
    call: Any,
    *,
    page: Callable[..., dict[str, Any]],
    done: str = "",
    **more: Any,
) -> HttpResponse:
    """A form posted from a record's page (a meeting, an inventory, a course): saved,
    ``done`` (else "Sparat.") and back to the page; refused, the page again with the
    bound form as ``name`` in ``page(request, found, …)`` (ui.forms_flow.post_on_detail).
    One helper for the three pages, whose forms all post this way."""
    return post_on_detail(
        request,
        form,
        call,
        done=done or _("Sparat."),
        back_to=detail_url(found),
        template=f"network/{found._meta.model_name}.html",
        context=lambda bound: page(request, found, **{name: bound}, **more),
    )
