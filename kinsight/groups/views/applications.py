"""A cycle's leaders handle the applications from the open group list: accept (an
anonymous participant on the waiting list) or decline. Anyone but the cycle's leaders
gets 404."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kinsight.groups.queries_applications import application_for_change
from kinsight.groups.services.applications import application_accept, application_decline
from kinsight.ui.forms_flow import act_and_back
from kinsight.ui.routes import route

STEPS = {
    "accept": (application_accept, _("Den sökande står på väntelistan.")),
    "decline": (application_decline, _("Intresseanmälan är avböjd.")),
}


@route("stodgrupper/intresseanmalningar/<int:pk>/anta/", name="application_accept", step="accept")
@route(
    "stodgrupper/intresseanmalningar/<int:pk>/avboj/", name="application_decline", step="decline"
)
@require_POST
def application_step(request, pk, step):
    application = application_for_change(actor=request.user, pk=pk)
    service, done = STEPS[step]
    return act_and_back(
        request,
        lambda: service(actor=request.user, application=application),
        done=done,
        back=reverse("groups:cycle_detail", args=[application.cycle_id]) + "#h-applications",
    )
