"""The population register (folkbokföringen): look a person up by personnummer, show
the register's values beside Kinsight's and take what the worker chooses.

The register is chosen by the setting KINSIGHT_POPULATION_REGISTER: "fake" (the demo
and the tests, fake.py), "navet" (Skatteverket, navet.py), or unset/empty: no lookups
and no button. The demo (KINSIGHT_DEMO) defaults to the fake, and only the demo may
use it. docs/operations.md
tells the operator what to set."""

import logging

from django.conf import settings

from kinsight.people.register.records import (  # noqa: F401
    PopulationRegister,
    RegisterError,
    RegisterRecord,
    RegisterRelation,
    RelationRole,
)

CHOICES = ("fake", "navet")
logger = logging.getLogger(__name__)


def register_choice() -> str:
    """The chosen register's name, "" for none."""
    choice = getattr(settings, "KINSIGHT_POPULATION_REGISTER", None)
    if choice is None:
        choice = "fake" if getattr(settings, "DEMO", False) else ""
    if choice and choice not in CHOICES:
        # Off, as when unset: a person page must not fail for a mistyped setting.
        logger.error("KINSIGHT_POPULATION_REGISTER must be one of %s or empty", CHOICES)
        return ""
    if choice == "fake" and not getattr(settings, "DEMO", False):
        # Invented records must never be shown beside real persons' data.
        logger.error("KINSIGHT_POPULATION_REGISTER=fake is for the demo only (KINSIGHT_DEMO)")
        return ""
    return choice


def configured_register() -> PopulationRegister | None:
    """The register to ask, or None when lookups are off. Navet with a setting missing
    raises NavetNotConfigured (a RegisterError naming the settings)."""
    choice = register_choice()
    if choice == "fake":
        from kinsight.people.register.fake import FakeRegister

        return FakeRegister()
    if choice == "navet":
        from kinsight.people.register.navet import NavetRegister

        return NavetRegister.from_settings()
    return None
