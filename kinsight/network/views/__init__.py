"""The network's pages: meetings (meetings.py), the inventory (inventory.py), the
training offer and register (courses.py)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kinsight.core.models import User
from kinsight.network import queries
from kinsight.ui.forms_flow import form_page


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


def list_page(request: HttpRequest, form: Any, call: Any, **page: Any) -> HttpResponse:
    """The list with the leader's form (ui.forms_flow.form_page), or without one."""
    if form is None:
        return render(request, page["template"], page["context"])
    return form_page(request, form, call, **page)
