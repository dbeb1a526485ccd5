"""Break the glass: the case worker's form and their own accesses, ending one early,
and the log reviewer's review queue with each access's reads and review form."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.core.models import User
from kinsight.people.emergency import live, queries, services
from kinsight.people.emergency.forms import EmergencyReviewForm, EmergencyStartForm
from kinsight.people.emergency.models import EmergencyAccess
from kinsight.ui.forms_flow import act_and_back, form_page
from kinsight.ui.routes import route


class StaffRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: its user is a member of staff."""

    user: User


@route("personer/nodatkomst/", name="emergency_start")
def emergency_start(request: StaffRequest) -> HttpResponse:
    """The number is posted, never put in a URL; a person the user cannot see is
    opened only here, and only a person of the user's municipality."""
    services.require_casework(request.user)
    form = EmergencyStartForm(request.POST or None)

    def start(data: dict[str, Any]) -> EmergencyAccess:
        access = services.emergency_access_start(actor=request.user, **data)
        live.remember(request, access)
        return access

    mine = list(queries.my_accesses(actor=request.user)[:20])
    queries.audit_page(actor=request.user, accesses=mine)
    return form_page(
        request,
        form,
        start,
        done=_("Nödåtkomsten är öppnad. Allt du läser loggas som nödåtkomst."),
        back_to=lambda access: reverse("people:person_detail", args=[access.person_id]),
        template="people/emergency_start.html",
        context={
            "title": _("Nödåtkomst"),
            "nav": "people",
            "mine": mine,
            "minutes": settings.KINSIGHT_EMERGENCY_ACCESS_MINUTES,
            "submit": _("Öppna nödåtkomst"),
        },
    )


@route("personer/nodatkomst/<int:pk>/avsluta/", name="emergency_end")
@require_POST
def emergency_end(request: StaffRequest, pk: int) -> HttpResponse:
    services.require_casework(request.user)

    def end() -> EmergencyAccess:
        live.forget(request, pk)
        return services.emergency_access_end(actor=request.user, pk=pk)

    return act_and_back(
        request, end, done=_("Nödåtkomsten är avslutad."), back=reverse("people:emergency_start")
    )


def _marked(accesses: list[EmergencyAccess]) -> list[EmergencyAccess]:
    """Each access with ``overdue``: not reviewed by its day."""
    today = timezone.localdate()
    for access in accesses:
        access.overdue = access.is_overdue(today)  # type: ignore[attr-defined]
    return accesses


@route("logg/nodatkomst/", name="emergency_queue")
def emergency_queue(request: StaffRequest) -> HttpResponse:
    accesses = _marked(list(queries.review_queue(actor=request.user)))
    queries.audit_page(actor=request.user, accesses=accesses)
    context = {
        "title": _("Nödåtkomster att granska"),
        "nav": "emergency_review",
        "accesses": accesses,
        "days": settings.KINSIGHT_EMERGENCY_REVIEW_DAYS,
    }
    return render(request, "people/emergency_queue.html", context)


@route("logg/nodatkomst/<int:pk>/", name="emergency_review")
def emergency_review(request: StaffRequest, pk: int) -> HttpResponse:
    review = queries.access_for_review(actor=request.user, pk=pk)
    access = _marked([review.access])[0]
    form = EmergencyReviewForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.emergency_access_review(actor=request.user, access=access, **data),
        done=_("Granskningen är sparad."),
        back_to=reverse("people:emergency_queue"),
        template="people/emergency_review.html",
        context={
            "title": _("Granska nödåtkomst"),
            "nav": "emergency_review",
            "access": access,
            "page": review,
            "caption": _("Läsningar och ändringar under nödåtkomsten"),
            "submit": _("Spara granskningen"),
        },
    )
