"""Single-object rules of the interventions app, shared by its services: a unit of
one's own municipality, a unit (and worker) taking part in the family work, a closed
family work is read only."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinsight.core.models import NodeKind, OrgUnit, User
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
