from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.audit.forms import comment_field, outcome_field
from kinsight.people.emergency.models import EmergencyReason, ReviewOutcome


class EmergencyStartForm(forms.Form):
    identifier = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=20,
        error_messages={"required": _("Skriv personens personnummer.")},
    )
    reason = forms.ChoiceField(
        label=_("Skäl"),
        choices=EmergencyReason.choices,
        error_messages={"required": _("Välj ett skäl.")},
    )
    reason_text = forms.CharField(
        label=_("Beskriv varför"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Beskriv varför du behöver uppgifterna.")},
    )
    password = forms.CharField(
        label=_("Ditt lösenord (krävs om personen har skyddade personuppgifter)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    protected_confirmed = forms.BooleanField(
        label=_(
            "Jag förstår att personen kan ha skyddade personuppgifter och att uppgifterna "
            "inte får lämnas vidare."
        ),
        required=False,
    )


class EmergencyReviewForm(forms.Form):
    outcome = outcome_field(ReviewOutcome.choices, _("Välj om åtkomsten var befogad eller inte."))
    review_comment = comment_field(
        3, max_length=2000, error_messages={"required": _("Skriv en kommentar till bedömningen.")}
    )
