"""The fragment a background job's page polls while the job runs (an annual report, an
import, a culling): the job found as its page finds it, in the app's ``_status.html``."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def status_view(
    module: str, get: Callable[[Any, int], Any], template: str, name: str
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A view to ``@route``: ``get(user, pk)`` (404 for whom may not see the job)
    rendered in ``template`` as ``name``. ``module`` is the routing views module's
    ``__name__``, so that ``patterns_of`` lists the view there."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, template, {name: get(request.user, pk)})

    view.__module__ = module
    return view
