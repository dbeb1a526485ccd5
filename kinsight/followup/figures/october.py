"""The October survey as a figure definition (kinsight.followup.october computes it):
the census date is the period's last day, the unit types the survey's default."""

from django.utils.translation import gettext_lazy

from kinsight.followup.figures import Definition, Period, Scope, register
from kinsight.followup.october import october_survey
from kinsight.followup.tables import Table

BY = {"unit": ("october_unit", "october_living"), "sex": ("october_sex",)}
BY["age_band"] = ("october_age",)


def _compute(scope: Scope, period: Period, by: str) -> list[Table]:
    """The survey as a figure: the census date is the period's last day."""
    tables = october_survey(scope=scope, census=period.last)
    keys = BY.get(by)
    return [table for table in tables if keys is None or table.key in keys]


register(
    Definition(
        key="october",
        title=str(gettext_lazy("Oktoberkartläggningen")),
        text=str(
            gettext_lazy(
                "Vuxna 20 år eller äldre med ett öppet ärende på mätdagen (periodens sista "
                "dag) i enheter för missbruk och beroende: har de barn under 18 år (ja, nej, "
                "okänt, ej tillfrågad), bor barnen hos dem, väntar de barn. Svar som gavs "
                "efter mätdagen räknas inte."
            )
        ),
        legal="",
        breakdowns=("unit", "sex", "age_band"),
        compute=_compute,
    )
)
