from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.forms import VersionField


class ExtractRequestForm(forms.Form):
    """A new request: the person by number (posted, never in a URL)."""

    identifier = forms.CharField(
        label=_("Personnummer eller samordningsnummer"), max_length=20, strip=True
    )
    received_on = forms.DateField(
        label=_("Begäran mottagen"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    requested_via = forms.CharField(
        label=_("Begärd genom (brev, e-tjänst, besök …)"), max_length=200, required=False
    )


class StepForm(forms.Form):
    """A step of the request (compile, release, refuse): the version it started from
    and, for release and refusal, a note."""

    version = VersionField(required=True)
    note = forms.CharField(
        label=_("Anteckning"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
