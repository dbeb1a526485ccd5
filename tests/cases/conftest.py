from tests.people.conftest import *  # noqa: F403 - the same personas
