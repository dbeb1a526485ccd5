"""A support group offered from a child's record (barn som anhörig) by the child's
case worker: a choice of open cycles (name, programme, district, dates, free places;
no participant data), the way in and the consent."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.audit.services import audit_read_on_get
from kinsight.detection import queries as detection_queries
from kinsight.groups import services
from kinsight.groups.models import Cycle, Intake
from kinsight.groups.services.offers import OFFER_INTAKES
from kinsight.ui.forms_flow import call_with, form_page
from kinsight.ui.routes import route


def _cycle_label(cycle):
    end = cycle.end_on.isoformat() if cycle.end_on else "–"
    free = max(cycle.places - cycle.taken, 0)
    return _("%(name)s (%(programme)s), %(district)s, %(start)s–%(end)s: %(free)s lediga") % {
        "name": cycle.name,
        "programme": cycle.programme,
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


@route("barn-som-anhoriga/<int:pk>/stodgrupp/", name="child_offer")
def child_offer(request, pk):
    """Offer a support group to the child: 404 when the record is not seen, 403 when
    it is seen but not changed by this user."""
    record = detection_queries.child_record_for_change(actor=request.user, pk=pk)
    audit_read_on_get(request, record)
    form = OfferForm(request.POST or None, user=request.user)
    back = reverse("detection:child_detail", args=[record.pk])
    return form_page(
        request,
        form,
        call_with(
            services.participant_offer,
            "cycle",
            "intake",
            "measurement_consent",
            actor=request.user,
            record=record,
        ),
        done=_("%(name)s står på väntelistan till gruppomgången.") % {"name": record.display_name},
        back_to=back,
        template="ui/form_page.html",
        context={
            "title": _("Erbjud stödgrupp till %(name)s") % {"name": record.display_name},
            "submit": _("Erbjud platsen"),
            "cancel_url": back,
            "nav": "my_cases",
        },
    )
