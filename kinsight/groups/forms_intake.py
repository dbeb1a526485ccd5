"""Forms of the open group list: the municipality's settings, and an application
from the public with its spam protection (a honeypot field and a signed time stamp)."""

import re

from django import forms
from django.core import signing
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kinsight.groups.models import AgeBand, GroupSettings
from kinsight.people.models import Sex

STAMP_SALT = "kinsight.groups.application"
STAMP_MIN_SECONDS = 3
STAMP_MAX_SECONDS = 2 * 60 * 60
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


class SettingsForm(forms.ModelForm):
    """The open list on or off, and the age of the child's own consent."""

    class Meta:
        model = GroupSettings
        fields = ["public_list", "own_consent_age"]


def stamp() -> str:
    """A signed time stamp for a new form: when it was handed out, not forgeable."""
    return signing.TimestampSigner(salt=STAMP_SALT).sign("application")


class Refused(Exception):
    """A post the spam protection refuses, with the message to show."""


def check_stamp(value: str) -> None:
    """Refuse a form sent back faster than a person fills it in, older than two hours,
    or with a stamp that is missing or changed."""
    signer = signing.TimestampSigner(salt=STAMP_SALT)
    try:
        signer.unsign(value, max_age=STAMP_MAX_SECONDS)
    except signing.SignatureExpired as expired:
        raise Refused(
            _("Formuläret har varit öppet för länge. Skicka det igen, dina uppgifter finns kvar.")
        ) from expired
    except signing.BadSignature as bad:
        raise Refused(_("Formuläret kunde inte skickas. Ladda om sidan och försök igen.")) from bad
    try:
        signer.unsign(value, max_age=STAMP_MIN_SECONDS)
    except signing.SignatureExpired:
        return
    raise Refused(_("Formuläret skickades för snabbt. Vänta några sekunder och skicka igen."))


class ApplicationForm(forms.Form):
    """An application to one cycle: only what the leaders need to get in touch. The
    honeypot and the signed stamp are written by the page (views/open_list.py)."""

    name = forms.CharField(label=_("Namn"), max_length=100)
    contact = forms.CharField(
        label=_("Telefon eller e-post"),
        max_length=200,
        help_text=_("Så att gruppledaren kan höra av sig."),
    )
    age_band = forms.ChoiceField(label=_("Ålder"), choices=[("", "---------"), *AgeBand.choices])
    sex = forms.ChoiceField(
        label=_("Kön (frivilligt)"), choices=[("", "---------"), *Sex.choices], required=False
    )
    message = forms.CharField(
        label=_("Meddelande (frivilligt)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("Vi sparar uppgifterna bara för att kontakta dig om gruppen"),
        error_messages={"required": _("Kryssa i rutan för att skicka anmälan.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_contact(self) -> str:
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except forms.ValidationError:
                pass
            else:
                return value
        elif PHONE.match(value):
            return value
        raise forms.ValidationError(
            _("Skriv ett telefonnummer (t.ex. 070-123 45 67) eller en e-postadress.")
        )
