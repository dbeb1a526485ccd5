"""A support group offered by name from a child's record (barn som anhörig) or from
a case (a parent, an adult), by a worker who may change it: a choice of open cycles
(name, programme, district, dates, free places; no participant data), the way in and
the consent. And the intake from a referral on the cycle's page: the open referrals
to the provider's unit, for the cycle's leaders."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinsight.audit.services import audit_read_on_get
from kinsight.cases import queries as case_queries
from kinsight.detection import queries as detection_queries
from kinsight.groups import services
from kinsight.groups.forms_referrals import ReferralAcceptForm
from kinsight.groups.models import Cycle, Intake
from kinsight.groups.queries_referrals import referrals_for_cycle
from kinsight.groups.services.intake import participant_from_referral
from kinsight.groups.services.offers import OFFER_INTAKES, participant_offer_to_case
from kinsight.groups.views.cycles import _led_cycle, _post_on_cycle
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


def _cycle_label(cycle):
    end = cycle.end_on.isoformat() if cycle.end_on else "–"
    free = max(cycle.places - cycle.taken, 0)
    return _(
        "%(name)s (%(programme)s, %(target)s), %(district)s, %(start)s–%(end)s: %(free)s lediga"
    ) % {
        "name": cycle.name,
        "programme": cycle.programme,
        "target": cycle.programme.get_target_group_display().lower(),
        "district": cycle.district,
        "start": cycle.start_on.isoformat(),
        "end": end,
        "free": free,
    }


class OfferForm(forms.Form):
    cycle = forms.ModelChoiceField(label=gettext_lazy("Gruppomgång"), queryset=Cycle.objects.none())
    intake = forms.ChoiceField(
        label=gettext_lazy("Väg in"),
        choices=[(value, Intake(value).label) for value in OFFER_INTAKES],
    )
    measurement_consent = forms.BooleanField(
        label=gettext_lazy("Samtycke till mätning"),
        required=False,
        help_text=gettext_lazy(
            "Vårdnadshavarens och, från den ålder inställningen anger, barnets eget."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cycle"]
        field.queryset = services.open_cycles(user)
        field.label_from_instance = _cycle_label


def _offer_page(request, call, *, name, back):
    form = OfferForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        call,
        done=_("%(name)s står på väntelistan till gruppomgången.") % {"name": name},
        back_to=back,
        template="ui/form_page.html",
        context={
            "title": _("Erbjud stödgrupp till %(name)s") % {"name": name},
            "submit": _("Erbjud platsen"),
            "cancel_url": back,
            "nav": "my_cases",
        },
    )


@route("barn-som-anhoriga/<int:pk>/stodgrupp/", name="child_offer")
def child_offer(request, pk):
    """Offer a support group to the child: 404 when the record is not seen, 403 when
    it is seen but not changed by this user."""
    record = detection_queries.child_record_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, record)
    fields = ("cycle", "intake", "measurement_consent")
    return _offer_page(
        request,
        call_with(services.participant_offer, *fields, actor=request.user, record=record),
        name=record.display_name,
        back=reverse("detection:child_detail", args=[record.pk]),
    )


@route("arenden/<int:pk>/stodgrupp/", name="case_offer")
def case_offer(request, pk):
    """Offer a support group to the case's person (after a decision, or on their own
    application): 404 when the case is not seen, 403 when it is not changed by this
    user."""
    case = case_queries.case_for_write(actor=request.user, pk=pk)
    audit_read_on_get(request, case)
    fields = ("cycle", "intake", "measurement_consent")
    return _offer_page(
        request,
        call_with(participant_offer_to_case, *fields, actor=request.user, case=case),
        name=str(case.person),
        back=reverse("cases:case_detail", args=[case.pk]),
    )


# The intake from referrals, on the cycle's page ------------------------------------------


@route("stodgrupper/omgangar/<int:pk>/remisser/", name="referral_accept")
@require_POST
def referral_accept(request, pk):
    """Take in the person of an open referral: 404 unseen cycle, 403 unless its
    leader; a referral not open to the provider's unit is no choice (400)."""
    cycle = _led_cycle(request, pk)
    referrals = referrals_for_cycle(actor=request.user, cycle=cycle)
    return _post_on_cycle(
        request,
        cycle,
        ReferralAcceptForm(request.POST, referrals=referrals),
        call_with(participant_from_referral, "referral", actor=request.user, cycle=cycle),
        done=_("Personen från remissen står på väntelistan, och remissen är accepterad."),
        page_extra=lambda form: {"referral_form": form},
    )
