"""The personas of the people and follow-up tests (worker, colleague, manager,
child_worker, head, child_manager, outsider, Anna's open case)."""

from tests.followup.conftest import *  # noqa: F403 - the same personas
