from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.audit.models import AuditAction, ReviewOutcome
from kinsight.core.models import OrgUnit

ACTION_CHOICES = [("", _("Alla"))] + AuditAction.choices
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {
    "required": _("Ange ett datum."),
    "invalid": _("Ange datumet som ÅÅÅÅ-MM-DD."),
}


class PersonLogFilterForm(forms.Form):
    """A person's log filtered by optional days and event; the log's filters add their
    own to these (AuditFilterForm), so the window and its check are written once."""

    start = forms.DateField(label=_("Från och med"), required=False, widget=DATE)
    end = forms.DateField(label=_("Till och med"), required=False, widget=DATE)
    action = forms.ChoiceField(label=_("Händelse"), choices=ACTION_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        return data


class AuditFilterForm(PersonLogFilterForm):
    """The log's filters. The person is searched by number or name: the form is
    posted and the text kept in the session (``ui.search_terms``), never in the URL;
    a person id (``person``, from a pattern hit) may be."""

    actor = forms.CharField(label=_("Vem (användarnamn)"), required=False)
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=OrgUnit.objects.none(), required=False)
    person_text = forms.CharField(
        label=_("Läst person (personnummer eller namn)"), required=False, max_length=100
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    object_type = forms.CharField(label=_("Objekttyp"), required=False)
    object_id = forms.CharField(label=_("Objekt-id"), required=False)
    field_order = ["actor", "unit", "person_text", "person", "start", "end", "action"]

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(municipality_id=municipality_id).order_by("name")
        self.fields["unit"].queryset = units


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Person (personnummer eller namn)"),
        max_length=100,
        error_messages={"required": _("Skriv ett personnummer eller ett namn.")},
    )


class PeriodForm(forms.Form):
    """A window of whole days, at most ``patterns.MAX_DAYS`` long."""

    start = forms.DateField(label=_("Från och med"), widget=DATE, error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("Till och med"), widget=DATE, error_messages=DATE_ERRORS)

    def clean(self):
        from kinsight.audit.patterns import MAX_DAYS

        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        elif start and end and (end - start).days >= MAX_DAYS:
            self.add_error("end", _("Välj högst %(days)s dagar åt gången.") % {"days": MAX_DAYS})
        return data


# A review's outcome and comment, also in break the glass's review (people.emergency)
# with its own outcomes and its own rules for the comment.
def outcome_field(choices, required) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Bedömning"),
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required},  # what to say when none is chosen
    )


def comment_field(rows: int, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class ReviewForm(forms.Form):
    outcome = outcome_field(ReviewOutcome.choices, _("Välj en bedömning."))
    comment = comment_field(
        4,
        required=False,
        max_length=4000,
        help_text=_("Krävs när något inte är i sin ordning eller ska följas upp."),
    )


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Månad"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Ange månaden som ÅÅÅÅ-MM.")},
    )


def kind_choices():
    from kinsight.audit.patterns import all_patterns

    return [("", _("Alla")), ("sample", _("Stickprov"))] + [
        (p.key, p.title) for p in all_patterns()
    ]


class ReviewFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad som granskats"), required=False, choices=kind_choices)
    outcome = forms.ChoiceField(
        label=_("Bedömning"), required=False, choices=[("", _("Alla")), *ReviewOutcome.choices]
    )
    reviewer = forms.CharField(label=_("Granskare (användarnamn)"), required=False)
    start = forms.DateField(label=_("Granskad från och med"), required=False, widget=DATE)
    end = forms.DateField(label=_("Granskad till och med"), required=False, widget=DATE)
