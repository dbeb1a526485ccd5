import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import OrgUnit, UnitType
from kinsight.followup import queries, queue
from kinsight.followup.minimum_level import add_months, month_start

MAX_MONTHS = 36
TREND_MONTHS = 24


def _units(user, ids):
    return OrgUnit.objects.filter(
        municipality_id=user.municipality_id, pk__in=ids, kind="unit"
    ).order_by("name")


class QueueFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Vems"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Enhet"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("Alla")
    )
    group = forms.ChoiceField(label=_("Grupp"), choices=queue.GROUPS, required=False)
    sort = forms.ChoiceField(label=_("Sortera efter"), choices=queue.SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.managed = queue.managed_units(user)
        choices = [(queue.MINE, _("Mina"))]
        if self.managed:
            choices.append((queue.UNIT, _("Enhetens")))
            self.fields["unit"].queryset = _units(user, self.managed)
        self.fields["scope"].choices = choices

    def clean(self):
        data = super().clean()
        data["scope"] = data.get("scope") or queue.MINE
        data["group"] = data.get("group") or queue.GROUP_KEYS[0]
        data["sort"] = data.get("sort") or "due"
        unit = data.get("unit")
        if unit is not None and data["scope"] != queue.UNIT:
            data["scope"] = queue.UNIT
        return data

    def get_scope(self):
        data = self.cleaned_data
        if data["scope"] == queue.MINE:
            return queue.Scope(queue.MINE)
        unit = data.get("unit")
        return queue.Scope(queue.UNIT, frozenset([unit.pk] if unit else self.managed))


class MonthField(forms.CharField):
    """A month as YYYY-MM (input type="month"); cleans to the month's first day."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})
    default_error_messages = {"invalid": _("Skriv månaden som ÅÅÅÅ-MM, t.ex. 2026-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value.strip(), "%Y-%m").date()
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class MinimumLevelFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("Alla")
    )
    unit_type = forms.ChoiceField(
        label=_("Enhetstyp"), choices=[("", _("Alla"))] + UnitType.choices, required=False
    )
    start = MonthField(label=_("Från månad"), required=False)
    end = MonthField(label=_("Till månad"), required=False)

    # The API and the URLs say from/to; "from" is a Python keyword.
    PARAMETERS = {"start": "from", "end": "to"}

    def __init__(self, data=None, *, user, **kwargs):
        if data is not None:
            data = data.copy()
            for inner, outer in self.PARAMETERS.items():
                if outer in data and inner not in data:
                    data[inner] = data[outer]
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = _units(user, user_dashboard_units(user))

    def clean(self):
        data = super().clean()
        this_month = month_start(timezone.localdate())
        end = data.get("end") or this_month
        if "end" not in self.errors and end > this_month:
            self.add_error("end", _("Välj en månad som inte ligger i framtiden."))
        start = data.get("start") or add_months(end, -(TREND_MONTHS - 1))
        if "start" not in self.errors and "end" not in self.errors:
            if start > end:
                self.add_error("start", _("Från-månaden måste vara före till-månaden."))
            elif add_months(start, MAX_MONTHS - 1) < end:
                self.add_error(
                    "start",
                    _("Välj högst %(n)s månader åt gången.") % {"n": MAX_MONTHS},
                )
        data["start"], data["end"] = start, end
        return data

    def dashboard(self, actor):
        """The figures the valid form asks for: the page's, its CSV's and the API's."""
        data = self.cleaned_data
        return queries.minimum_level(
            actor=actor,
            start=data["start"],
            end=data["end"],
            unit=data.get("unit"),
            unit_type=data.get("unit_type", ""),
        )

    def query_string(self):
        """The filters as URL parameters (from/to), for the CSV and drill-down links."""
        from urllib.parse import urlencode

        data = self.cleaned_data
        params = {"from": f"{data['start']:%Y-%m}", "to": f"{data['end']:%Y-%m}"}
        if data.get("unit"):
            params["unit"] = data["unit"].pk
        if data.get("unit_type"):
            params["unit_type"] = data["unit_type"]
        return urlencode(params)


def user_dashboard_units(user):
    from kinsight.followup.models import dashboard_units

    return dashboard_units(user)
