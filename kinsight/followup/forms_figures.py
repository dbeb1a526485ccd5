"""The figures page's and API's choices: which definition, the period (the
minimum-level page's from/to months, by default the last 12), the step (month,
quarter, year), the scope (unit, unit type) and the breakdown (one the definition has)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from kinsight.followup import queries_figures
from kinsight.followup.figures import BREAKDOWNS, REGISTRY, STEPS, Definition, Period
from kinsight.followup.forms import MinimumLevelFilterForm
from kinsight.followup.minimum_level import add_months
from kinsight.followup.tables import Table

DEFAULT_MONTHS = 12
STEP_LABELS = {"month": _("Månad"), "quarter": _("Kvartal"), "year": _("År")}


class FiguresForm(MinimumLevelFilterForm):
    definition = forms.ChoiceField(
        label=_("Nyckeltal"), required=False, help_text=_("Vad som räknas står under tabellen.")
    )
    step = forms.ChoiceField(
        label=_("Steg"),
        choices=[(key, STEP_LABELS[key]) for key in STEPS],
        required=False,
        help_text=_("En rad per månad, kvartal eller år när uppdelningen är period."),
    )
    by = forms.ChoiceField(
        label=_("Uppdelning"),
        choices=list(BREAKDOWNS.items()),
        required=False,
        help_text=_(
            "Kön, åldersgrupp och problemområde finns för de nyckeltal där de går att räkna."
        ),
    )
    field_order = ["definition", "start", "end", "step", "unit", "unit_type", "by"]

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, user=user, **kwargs)
        definition = self.fields["definition"]
        assert isinstance(definition, forms.ChoiceField)
        definition.choices = [(key, d.title) for key, d in REGISTRY.items()]
        self.fields["unit"].help_text = _("Du ser bara de enheter du är chef för.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.data.get("start") and "end" not in self.errors:
            data["start"] = add_months(data["end"], -(DEFAULT_MONTHS - 1))
        key = data.get("definition") or next(iter(REGISTRY), "")
        if key not in REGISTRY:
            self.add_error("definition", _("Välj ett nyckeltal i listan."))
            return data
        data["definition"] = REGISTRY[key]
        data["step"] = data.get("step") or "month"
        data["by"] = data.get("by") or "period"
        if data["by"] not in REGISTRY[key].breakdowns:
            names = ", ".join(str(BREAKDOWNS[b]).lower() for b in REGISTRY[key].breakdowns)
            self.add_error(
                "by",
                _("Nyckeltalet kan delas upp efter: %(names)s.") % {"names": names},
            )
        return data

    @property
    def chosen(self) -> Definition:
        return self.cleaned_data["definition"]

    def period(self) -> Period:
        data = self.cleaned_data
        return Period(data["start"], data["end"], data["step"])

    def tables(self, actor: Any) -> list[Table]:
        """The tables the valid form asks for: the page's, its CSV's and the API's."""
        data = self.cleaned_data
        return queries_figures.figures(
            actor=actor,
            definition=self.chosen,
            period=self.period(),
            by=data["by"],
            unit=data.get("unit"),
            unit_type=data.get("unit_type", ""),
        )

    def figures_query(self, **changes: str) -> str:
        """The choices as URL parameters (for the CSV links and the API)."""
        data = self.cleaned_data
        params = {
            "definition": self.chosen.key,
            "from": f"{data['start']:%Y-%m}",
            "to": f"{data['end']:%Y-%m}",
            "step": data["step"],
            "by": data["by"],
        }
        if data.get("unit"):
            params["unit"] = data["unit"].pk
        if data.get("unit_type"):
            params["unit_type"] = data["unit_type"]
        return urlencode(params | changes)
