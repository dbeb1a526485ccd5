"""Referrals: the lists, a new referral from a family work, its page and its steps."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinsight.interventions import queries, services
from kinsight.interventions.forms import ReferralForm, ReferralStepForm
from kinsight.interventions.models import ReferralStatus
from kinsight.interventions.views.common import FAMILY_NAV, current_members
from kinsight.ui.forms_flow import call_with, form_page, post_on_detail
from kinsight.ui.paging import page_of
from kinsight.ui.routes import route


@route("remisser/", name="referral_list")
def referral_list(request):
    status = request.GET.get("status", "")
    if status and status not in ReferralStatus.values:
        status = ""
    received, sent = queries.referral_lists(actor=request.user, status=status)
    received = page_of(request, received)
    sent = page_of(request, sent, key="sent_page")
    shown = {r.pk: r for r in [*received.object_list, *sent.object_list]}
    queries.audit_list(
        actor=request.user, objects=shown.values(), object_type=queries.REFERRAL_TYPE
    )
    context = {
        "title": _("Remisser"),
        "received": received,
        "sent": sent,
        "status": status,
        "statuses": ReferralStatus.choices,
        "nav": "referrals",
    }
    return render(request, "interventions/referral_list.html", context)


@route("familjearenden/<int:pk>/remisser/ny/", name="referral_new")
def referral_new(request, pk):
    family_work = queries.family_work_get(actor=request.user, pk=pk)
    if queries.sending_unit(request.user, family_work) is None:
        raise PermissionDenied
    members = current_members(request, family_work)
    initial = {}
    for name in ("person", "intervention", "to_unit"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = ReferralForm(request.POST or None, user=request.user, members=members, initial=initial)
    fields = ("person", "intervention", "to_unit", "external_provider", "external_contact")
    return form_page(
        request,
        form,
        call_with(
            services.referral_send, "reason", *fields, actor=request.user, family_work=family_work
        ),
        done=lambda saved: _("Remissen är skickad till %(to)s.") % {"to": saved.receiver},
        back_to=lambda saved: reverse("interventions:referral_detail", args=[saved.pk]),
        template="interventions/referral_form.html",
        context={"work": family_work, "nav": FAMILY_NAV},
    )


@route("remisser/<int:pk>/", name="referral_detail")
def referral_detail(request, pk):
    referral = queries.referral_get(actor=request.user, pk=pk)
    acting = queries.referral_acting_unit(request.user, referral)
    step_form = None
    if acting is not None and referral.next_statuses():
        step_form = ReferralStepForm(referral=referral)
    context = {"referral": referral, "step_form": step_form, "nav": "referrals"}
    return render(request, "interventions/referral_detail.html", context)


@route("remisser/<int:pk>/steg/", name="referral_step")
@require_POST
def referral_step(request, pk):
    referral = queries.referral_for_step(actor=request.user, pk=pk)
    if queries.referral_acting_unit(request.user, referral) is None:
        raise PermissionDenied
    fields = ("status", "version", "on", "note")
    return post_on_detail(
        request,
        ReferralStepForm(request.POST, referral=referral),
        call_with(services.referral_step, *fields, actor=request.user, referral=referral),
        done=lambda saved: (
            _("Remissen är %(status)s.") % {"status": saved.get_status_display().lower()}
        ),
        back_to=reverse("interventions:referral_detail", args=[referral.pk]),
        template="interventions/referral_detail.html",
        context=lambda form: {"referral": referral, "step_form": form, "nav": "referrals"},
    )
