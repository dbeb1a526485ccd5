"""Single-object rules of the interventions app, shared by its services: a unit of
one's own municipality, a unit (and worker) taking part in the family work, a closed
family work is read only."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinsight.core.models import NodeKind, OrgUnit, User
from kinsight.core.validation import ordered
from kinsight.family.access import unit_takes_part, user_takes_part
from kinsight.family.models import FamilyMember, FamilyWork
from kinsight.people.models import Person


def own_unit(actor: User, unit: OrgUnit | None, field: str) -> None:
    if unit is not None and (
        unit.municipality_id != actor.municipality_id or unit.kind != NodeKind.UNIT
    ):
        raise ValidationError({field: _("Välj en enhet i din egen kommun.")})


def require_taking_part(
    family_work: FamilyWork, unit: OrgUnit | None, worker: User | None = None
) -> None:
    """A plan intervention or a placement shows its responsible unit (and worker) the
    family member's name and the family's context: only a unit taking part in the
    family work may be given one; it then sees what the consents allow. A unit
    outside gets a family member's data only by a referral with consent."""
    if unit is not None and not unit_takes_part(family_work=family_work, unit=unit):
        raise ValidationError(
            {
                "responsible_unit": _(
                    "Enheten deltar inte i familjeärendet och saknar samtycke för remiss. "
                    "Lägg till enheten som deltagare eller skicka en remiss med samtycke."
                )
            }
        )
    if worker is not None and not user_takes_part(family_work=family_work, user=worker):
        raise ValidationError(
            {
                "responsible": _(
                    "%(name)s deltar inte i familjeärendet. Välj en handläggare i en "
                    "deltagande enhet."
                )
                % {"name": worker}
            }
        )


def check_responsibility(
    actor: User,
    family_work: FamilyWork,
    start_on: datetime.date | None,
    end_on: datetime.date | None,
    responsible_unit: OrgUnit | None,
    responsible: User | None = None,
    *,
    errors: dict[str, str] | None = None,
) -> tuple[datetime.date, OrgUnit]:
    """What a plan intervention and a placement both need, checked once: a start (the
    end not before it) and a responsible unit of the actor's municipality taking part
    in the family work (and the worker, when named). ``errors``: the caller's own field
    errors, told together with these. Returns the start and the unit, both given."""
    errors = dict(errors or {})
    if start_on is None:
        errors["start_on"] = _("Ange startdatum.")
    if responsible_unit is None:
        errors["responsible_unit"] = _("Välj ansvarig enhet.")
    if errors or start_on is None or responsible_unit is None:
        raise ValidationError(errors)
    ordered(start_on, end_on)
    own_unit(actor, responsible_unit, "responsible_unit")
    if responsible is not None and responsible.municipality_id != actor.municipality_id:
        raise ValidationError({"responsible": _("Välj en handläggare i din egen kommun.")})
    require_taking_part(family_work, responsible_unit, responsible)
    return start_on, responsible_unit


def require_member(
    family_work: FamilyWork,
    person: Person | None,
    field: str,
    roles: Iterable[str] | None = None,
) -> None:
    """A current member of the family (of one of ``roles``), else a message on ``field``."""
    members = FamilyMember.objects.filter(
        family_work=family_work, person=person, ended_on__isnull=True
    )
    if roles is not None:
        members = members.filter(role__in=roles)
    if person is None or not members.exists():
        raise ValidationError({field: _("Välj en person som ingår i familjen.")})
