"""Single-object rules of family work, shared by the services of family work and of
the apps on its floor (a plan, referrals and placements follow the family work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from kinsight.family.models import FamilyWork


def refuse_closed(family_work: FamilyWork) -> None:
    """A closed family work is read only: its members, meetings, consents and tasks,
    its plan, referrals and placements too."""
    if family_work.is_closed:
        raise ValidationError(_("Familjeärendet är avslutat och kan inte ändras."))
