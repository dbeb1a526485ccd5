from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.assessment.models import CutoffSex, FactorTarget, ProtectiveFactor
from kinsight.core.forms import VersionField
from kinsight.family.models import PerspectiveKind

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PartForm(forms.Form):
    version = VersionField()
    needs = forms.CharField(label=_("Behov"), required=False, widget=TEXTAREA)
    risk_factors = forms.CharField(label=_("Riskfaktorer"), required=False, widget=TEXTAREA)
    protective_factors = forms.ModelMultipleChoiceField(
        label=_("Skyddsfaktorer"),
        queryset=ProtectiveFactor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj de skyddsfaktorer som finns eller behöver stärkas."),
    )
    protective_notes = forms.CharField(
        label=_("Om skyddsfaktorerna"), required=False, widget=TEXTAREA
    )
    family_view = forms.CharField(label=_("Familjens egen syn"), required=False, widget=TEXTAREA)
    child_words = forms.CharField(
        label=_("Barnets egna ord"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Skriv det barnet själv säger, med barnets egna ord."),
    )
    free_text = forms.CharField(label=_("Övrigt"), required=False, widget=TEXTAREA)

    def __init__(self, *args, factors=(), kind="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protective_factors"].queryset = ProtectiveFactor.objects.filter(
            pk__in=[f.pk for f in factors]
        ).order_by("order", "pk")
        if kind not in (PerspectiveKind.CHILD, PerspectiveKind.PARENT_CHILD):
            del self.fields["child_words"]

    def clean(self):
        """``data``: the part's texts, as part_save takes them."""
        data = super().clean()
        data["data"] = {
            name: value
            for name, value in data.items()
            if name not in ("version", "protective_factors")
        }
        return data


class InstrumentForm(forms.Form):
    """One field per item: a choice of answer (its score as value) or, for a
    score-only area, a whole number within its range."""

    answered_on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    sex = forms.ChoiceField(
        label=_("Kön (för gränsvärdena)"),
        choices=[("", _("Välj")), *CutoffSex.choices],
        required=False,
    )
    note = forms.CharField(label=_("Kommentar"), required=False, widget=TEXTAREA)

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        if not instrument.has_sex_specific_cutoffs:
            del self.fields["sex"]
        for item in instrument.items.all():
            name = f"item_{item.number}"
            label = f"{item.number}. {item.text or item.label}"
            options = list(item.options.all())
            if options:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=[(o.score, f"{o.label} ({o.score} p)") for o in options],
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=False,
                )
            else:
                self.fields[name] = forms.IntegerField(
                    label=label,
                    min_value=item.min_score,
                    max_value=item.max_score,
                    required=False,
                    help_text=_("Poäng %(low)s–%(high)s")
                    % {"low": item.min_score, "high": item.max_score},
                )
        self.item_names = [f"item_{item.number}" for item in instrument.items.all()]
        # Fields in the order of the instrument, the date, sex and note last.
        order = [*self.item_names, "answered_on", "sex", "note"]
        self.order_fields(order)

    def clean(self):
        """``answers``: the answered items' scores by number, and ``sex`` (blank when the
        instrument does not ask), as instrument_result_record takes them."""
        data = super().clean()
        data["answers"] = {
            name.removeprefix("item_"): data.get(name)
            for name in self.item_names
            if data.get(name) not in (None, "")
        }
        data.setdefault("sex", "")
        return data


class ProtectiveFactorForm(forms.Form):
    label = forms.CharField(
        label=_("Skyddsfaktor"),
        max_length=300,
        help_text=_("Som den ska stå i bedömningen, t.ex. ”Barnet har en trygg vuxen i skolan”."),
    )
    target = forms.ChoiceField(
        label=_("Gäller perspektiv"), choices=FactorTarget.choices, initial=FactorTarget.ANY
    )
