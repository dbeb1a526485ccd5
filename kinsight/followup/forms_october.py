"""The October survey's filters: the census date, the date to compare with, the unit
types counted and the unit (the minimum-level page's unit field)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import UnitType
from kinsight.followup import queries_october
from kinsight.followup.forms import MinimumLevelFilterForm, _units, user_dashboard_units
from kinsight.followup.minimum_level import _years_before
from kinsight.followup.october import DEFAULT_UNIT_TYPES, last_october

DATE_ERROR = _("Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-10-31.")
FUTURE_ERROR = _("Välj ett datum som inte ligger i framtiden.")


class DateInput(forms.DateInput):
    input_type = "date"


def _date_field(label: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages={"invalid": DATE_ERROR},
    )


class OctoberForm(forms.Form):
    census = _date_field(
        _("Mätdatum"),
        _(
            "Oktoberkartläggningen räknar de vuxna (20 år och äldre) som hade ett öppet "
            "ärende denna dag och hur barnfrågan var besvarad vid dagens slut: har de barn "
            "under 18 år, bor barnen hos dem, väntar de barn. Förval: senaste 31 oktober."
        ),
    )
    compare = _date_field(
        _("Jämför med"),
        _("Ett tidigare mätdatum att jämföra med. Förval: två år före mätdatumet."),
    )
    unit_types = forms.MultipleChoiceField(
        label=_("Enhetstyper som räknas"),
        choices=UnitType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unit = MinimumLevelFilterForm.base_fields["unit"]

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        if data is not None and not data:
            data = _defaults()
        if data is not None and "unit_types" in data:
            # The API takes unit_types=a,b as well as repeated parameters.
            data = data.copy()
            values = [v for value in data.getlist("unit_types") for v in value.split(",")]
            data.setlist("unit_types", [v.strip() for v in values if v.strip()])
        super().__init__(data, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = _units(user, user_dashboard_units(user))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        today = timezone.localdate()
        census = data.get("census") or last_october(today)
        compare = data.get("compare") or _years_before(census, 2)
        for name, value in (("census", census), ("compare", compare)):
            if name not in self.errors and value > today:
                self.add_error(name, FUTURE_ERROR)
        if "compare" not in self.errors and compare == census:
            self.add_error("compare", _("Välj ett annat datum än mätdatumet att jämföra med."))
        data["census"], data["compare"] = census, compare
        data["unit_types"] = data.get("unit_types") or list(DEFAULT_UNIT_TYPES)
        return data

    def survey(self, actor: Any) -> queries_october.Survey:
        """The survey the valid form asks for: the page's, its CSV's and the API's."""
        data = self.cleaned_data
        return queries_october.survey(
            actor=actor,
            census=data["census"],
            compare=data["compare"],
            unit_types=data["unit_types"],
            unit=data.get("unit"),
        )

    def query(self, **extra: Any) -> str:
        """The filters as URL parameters, for the CSV, the API and the drill-down."""
        data = self.cleaned_data
        params: list[tuple[str, Any]] = [
            ("census", data["census"].isoformat()),
            ("compare", data["compare"].isoformat()),
        ]
        params += [("unit_types", value) for value in data["unit_types"]]
        if data.get("unit"):
            params.append(("unit", data["unit"].pk))
        return urlencode(params + list(extra.items()))


def _defaults() -> QueryDict:
    """The filters of a first visit, shown filled in: the last 31 October, two years
    before, the survey's unit types."""
    census = last_october(timezone.localdate())
    data = QueryDict(mutable=True)
    data["census"] = census.isoformat()
    data["compare"] = _years_before(census, 2).isoformat()
    data.setlist("unit_types", list(DEFAULT_UNIT_TYPES))
    return data
