"""The forms of the regional network: publishing a period and withdrawing it (a member's
head of services), choosing what to compare (the network leader), and members joining
and leaving."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import Municipality
from kinsight.regions.models import Region, Step
from kinsight.regions.snapshots import publishable


class PublishForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    definition = forms.ChoiceField(label=_("Nyckeltal"))
    step = forms.ChoiceField(label=_("Periodtyp"), choices=Step.choices, initial=Step.QUARTER)
    period_start = forms.DateField(
        label=_("En dag i perioden"),
        help_text=_("Månaden, kvartalet eller året som innehåller dagen publiceras."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Region.objects.filter(pk__in=[r.pk for r in regions])
        if len(regions) == 1:
            field.initial = regions[0].pk
        definition = self.fields["definition"]
        assert isinstance(definition, forms.ChoiceField)
        definition.choices = [(d.key, d.title) for d in publishable()]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skälet sparas och visas för regionen."),
    )


def _key(row: dict[str, Any]) -> str:
    return f"{row['definition']}:{row['step']}:{row['period_start'].isoformat()}"


class CompareForm(forms.Form):
    """What to compare: a published definition and period (its key), and one of its
    tables; the trend adds a column. The choices are what the region has."""

    figure = forms.ChoiceField(label=_("Nyckeltal och period"))
    table = forms.CharField(label=_("Tabell"), required=False)
    column = forms.CharField(label=_("Kolumn"), required=False)

    def __init__(self, *args: Any, periods: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = dict(Step.choices)
        field = self.fields["figure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (_key(row), f"{row['title']}, {row['period_label']} ({steps[row['step']]})")
            for row in periods
        ]
        if periods:
            field.initial = _key(periods[0])

    def chosen(self) -> tuple[str, str, datetime.date]:
        definition, step, start = self.cleaned_data["figure"].split(":")
        return definition, step, datetime.date.fromisoformat(start)


class JoinForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Municipality.objects.order_by("name")
    )
    joined_on = forms.DateField(
        label=_("Medlem från"), widget=forms.DateInput(attrs={"type": "date"})
    )


class LeaveForm(forms.Form):
    left_on = forms.DateField(
        label=_("Medlem till"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
