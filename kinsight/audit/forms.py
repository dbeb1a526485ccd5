from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.audit.models import AuditAction

ACTION_CHOICES = [("", _("Alla"))] + AuditAction.choices
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Vem (användarnamn)"), required=False)
    action = forms.ChoiceField(label=_("Händelse"), choices=ACTION_CHOICES, required=False)
    object_type = forms.CharField(label=_("Objekttyp"), required=False)
    object_id = forms.CharField(label=_("Objekt-id"), required=False)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Person (personnummer eller namn)"),
        max_length=100,
        error_messages={"required": _("Skriv ett personnummer eller ett namn.")},
    )


class PersonLogFilterForm(forms.Form):
    start = forms.DateField(label=_("Från och med"), required=False, widget=DATE)
    end = forms.DateField(label=_("Till och med"), required=False, widget=DATE)
    action = forms.ChoiceField(label=_("Händelse"), choices=ACTION_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        return data
