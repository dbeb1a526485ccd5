"""Single-object rules of early detection, shared by services, queries and views."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from kinsight.cases.models import Case
    from kinsight.people.models import Person


def is_adult(person: Person, on: datetime.date | None = None) -> bool:
    """Adults get the child question; a person of unknown age is asked too."""
    age = person.age(on)
    return age is None or age >= 18


def refuse_closed_case(case: Case) -> None:
    """A closed case is read only: nothing of early detection is added to it."""
    if case.is_closed:
        raise ValidationError(_("Ärendet är avslutat och kan inte ändras."))
