"""The annual report's forms: what to make (year, scope) and the section texts."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import OrgUnit, User
from kinsight.followup.annual.models import AnnualReportText
from kinsight.followup.annual.queries import scope_choices
from kinsight.followup.annual.services import FIRST_YEAR


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        min_value=FIRST_YEAR,
        error_messages={"invalid": _("Skriv året med fyra siffror, till exempel 2025.")},
    )
    scope_unit = forms.TypedChoiceField(label=_("Omfattning"), coerce=int)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = {node.pk: node for node in scope_choices(user)}
        year = self.fields["year"]
        assert isinstance(year, forms.IntegerField)
        this_year = timezone.localdate().year
        year.max_value, year.initial = this_year, this_year - 1
        year.validators.append(MaxValueValidator(this_year))
        year.widget.attrs["max"] = this_year
        scope = self.fields["scope_unit"]
        assert isinstance(scope, forms.TypedChoiceField)
        scope.choices = [
            (pk, f"{node.name} ({node.get_kind_display().lower()})")
            for pk, node in self.nodes.items()
        ]
        if self.nodes:
            self.fields["scope_unit"].initial = next(iter(self.nodes))

    def clean_scope_unit(self) -> OrgUnit:
        return self.nodes[self.cleaned_data["scope_unit"]]


class SectionTextsForm(forms.Form):
    """One textarea per section, each with the version it was read at."""

    def __init__(
        self,
        *args: Any,
        sections: list[tuple[str, str]],
        stored: dict[str, AnnualReportText],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.keys = [key for key, _title in sections]
        for key, title in sections:
            row = stored.get(key)
            self.fields[f"text_{key}"] = forms.CharField(
                label=title,
                required=False,
                strip=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=row.text if row else "",
            )
            self.fields[f"version_{key}"] = forms.IntegerField(
                required=False,
                min_value=0,
                widget=forms.HiddenInput,
                initial=row.version if row else 0,
            )

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"text_{key}"] for key in self.keys}

    def versions(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"version_{key}"] or 0 for key in self.keys}

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"text_{key}"], self[f"version_{key}"]) for key in self.keys]


def section_titles() -> list[tuple[str, str]]:
    from kinsight.followup.annual.sections import definitions

    return [(d.key, str(d.title)) for d in definitions()]
