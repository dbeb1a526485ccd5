"""The cycle page's part of the intake from referrals: the open referrals to the
provider's unit (its leaders only) and the form that takes one in (the choice is only
among them: a referral to another unit is no choice)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.groups.queries_referrals import referrals_for_cycle
from kinsight.interventions.models import Referral


def _referral_label(referral):
    return _("%(person)s, från %(unit)s, skickad %(day)s") % {
        "person": referral.person,
        "unit": referral.from_unit,
        "day": referral.sent_on.isoformat(),
    }


class ReferralAcceptForm(forms.Form):
    referral = forms.ModelChoiceField(
        label=gettext_lazy("Remiss"), queryset=Referral.objects.none()
    )

    def __init__(self, *args, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["referral"]
        field.queryset = Referral.objects.filter(pk__in=[r.pk for r in referrals]).select_related(
            "person", "from_unit"
        )
        field.label_from_instance = _referral_label


def referral_context(request, cycle, is_leader):
    """The cycle page's intake from referrals (its leaders only): the open referrals
    to the provider's unit and the form that takes one in."""
    if not is_leader:
        return {"referrals": []}
    referrals = referrals_for_cycle(actor=request.user, cycle=cycle)
    return {
        "referrals": referrals,
        "referral_form": ReferralAcceptForm(referrals=referrals) if referrals else None,
        "referral_accept_url": reverse("groups:referral_accept", args=[cycle.pk]),
    }
