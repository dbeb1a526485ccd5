"""A participant's planned measurements: the leader enters the answers, or makes a
one-time code for the participant to answer on their own phone (views/public.py); and
the consents to measurement the participant's age requires."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read_on_get
from kinsight.core.validation import today
from kinsight.groups import queries, services
from kinsight.groups.forms import ConsentForm, MeasurementForm
from kinsight.groups.rules import needs_own_consent, own_consent_age
from kinsight.groups.services.measurements import CODE_DAYS
from kinsight.groups.views.cycles import NAV
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


def _planned(request, pk, measure):
    participant = queries.participant_for_change(actor=request.user, pk=pk)
    return participant, queries.planned_measure(participant=participant, pk=measure)


def _title(participant, measure):
    return _("%(instrument)s, %(point)s: %(participant)s") % {
        "instrument": measure.instrument.name,
        "point": measure.get_point_display().lower(),
        "participant": participant,
    }


@route("stodgrupper/deltagare/<int:pk>/matningar/<int:measure>/", name="measure_new")
def measure_new(request, pk, measure):
    """The leader enters the participant's answers (from paper, or read aloud)."""
    participant, planned = _planned(request, pk, measure)
    audit_read_on_get(request, participant)
    back = reverse("groups:cycle_detail", args=[participant.cycle_id])
    return form_page(
        request,
        MeasurementForm(request.POST or None, instrument=planned.instrument),
        call_with(
            services.measurement_record,
            "answers",
            "answered_on",
            actor=request.user,
            participant=participant,
            instrument=planned.instrument,
            point=planned.point,
        ),
        done=_("Mätningen är registrerad."),
        back_to=back,
        template="groups/measure_form.html",
        context={
            "title": _title(participant, planned),
            "nav": NAV,
            "instrument": planned.instrument,
            "cancel_url": back,
        },
    )


@route("stodgrupper/deltagare/<int:pk>/matningar/<int:measure>/kod/", name="measure_code")
@require_POST
def measure_code(request, pk, measure):
    """A one-time code for the participant, shown once with the address to answer at."""
    participant, planned = _planned(request, pk, measure)
    try:
        code = services.code_issue(
            actor=request.user,
            participant=participant,
            instrument=planned.instrument,
            point=planned.point,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("groups:cycle_detail", participant.cycle_id)
    return render(
        request,
        "groups/measure_code.html",
        {
            "title": _("Svarskod"),
            "nav": NAV,
            "participant": participant,
            "measure": planned,
            "code": code,
            "days": CODE_DAYS,
            "address": request.build_absolute_uri(reverse("groups:answer")),
        },
    )


@route("stodgrupper/deltagare/<int:pk>/samtycke/", name="participant_consent")
def participant_consent(request, pk):
    """The leader records the consents to measurement (given or withdrawn); the page
    says which the participant's age requires."""
    participant = queries.participant_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, participant)
    back = reverse("groups:cycle_detail", args=[participant.cycle_id])
    from_age = own_consent_age(participant.municipality_id)
    form = ConsentForm(
        request.POST or None,
        initial={
            "version": participant.version,
            "measurement_consent": participant.measurement_consent,
            "own_consent": participant.own_consent,
        },
    )
    needed = needs_own_consent(participant, from_age=from_age, day=today())
    intro = (
        _("Barnets eget samtycke krävs från %(age)d år, utöver vårdnadshavarens.")
        if needed
        else _("Barnets eget samtycke krävs inte vid deltagarens ålder (från %(age)d år).")
    ) % {"age": from_age}
    return form_page(
        request,
        form,
        call_with(
            services.participant_consent,
            "version",
            "measurement_consent",
            "own_consent",
            actor=request.user,
            participant=participant,
        ),
        done=_("Samtycket är registrerat."),
        back_to=back,
        template="ui/form_page.html",
        context={
            "title": _("%(participant)s: samtycke till mätning") % {"participant": participant},
            "nav": NAV,
            "intro": intro,
            "cancel_url": back,
        },
    )
