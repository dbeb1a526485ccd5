"""Single-object rules of cases, shared by the services of cases and of the apps above
it (early detection adds nothing to a closed case either)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from kinsight.cases.models import Case


def refuse_closed(case: Case) -> None:
    """A closed case is read only."""
    if case.is_closed:
        raise ValidationError(_("Ärendet är avslutat och kan inte ändras."))
