"""A start-up check (manage.py check, and every command that runs the checks): Navet
chosen without what it needs stops the deploy with the settings to set, instead of
surfacing at a worker's first lookup."""

from typing import Any

from django.core import checks

from kinsight.people.register import register_choice
from kinsight.people.register.navet import NavetNotConfigured, NavetRegister


@checks.register(checks.Tags.security)
def navet_settings(**kwargs: Any) -> list[checks.CheckMessage]:
    if register_choice() != "navet":
        return []
    try:
        NavetRegister.from_settings()
    except NavetNotConfigured as error:
        return [
            checks.Error(
                "KINSIGHT_POPULATION_REGISTER=navet needs: " + ", ".join(error.missing),
                hint="docs/operations.md, 'Population register (Navet)'",
                id="kinsight.people.E001",
            )
        ]
    return []
