"""The October survey as a figure definition (kinsight.followup.october computes it):
the census date is the last 31 October on or before the period's last day (and today),
so a year's report and a figures page ending in October or later show that October's
survey; the unit types are the survey's default."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.october import last_october
from kinsight.followup.october_tables import october_survey
from kinsight.followup.tables import Table


def census_of(period: Period) -> datetime.date:
    return last_october(min(period.end, timezone.localdate()))


BY = {"unit": ("october_unit", "october_living"), "sex": ("october_sex",)}
BY["age_band"] = ("october_age",)


def _compute(scope: Scope, period: Period, by: str) -> list[Table]:
    """The survey as a figure on its census date (``census_of``)."""
    tables = october_survey(scope=scope, census=census_of(period))
    keys = BY.get(by)
    return [table for table in tables if keys is None or table.key in keys]


register(
    Definition(
        key="october",
        title=str(gettext_lazy("Oktoberkartläggningen")),
        text=str(
            gettext_lazy(
                "Vuxna 20 år eller äldre med ett öppet ärende på mätdagen (den senaste "
                "31 oktober i perioden) i enheter för missbruk och beroende: har de barn "
                "under 18 år (ja, nej, okänt, ej tillfrågad), bor barnen hos dem, väntar de "
                "barn. Svar som gavs efter mätdagen räknas inte."
            )
        ),
        legal="",
        breakdowns=("unit", "sex", "age_band"),
        compute=_compute,
    )
)
