"""Single-object rules of early detection, shared by services, queries and views."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kinsight.people.models import Person


def is_adult(person: Person, on: datetime.date | None = None) -> bool:
    """Adults get the child question; a person of unknown age is asked too."""
    age = person.age(on)
    return age is None or age >= 18
