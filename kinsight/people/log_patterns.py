"""The log review's patterns that need persons and their access (docs/permissions.md,
"Log review"), registered with kinsight/audit/patterns.py from the app's ready():

- protected: reads of a person with protected identity;
- outside_units: reads of a person no unit of the reader gave sight of at the time,
  by the kept access grants (kinsight/people/grants.py): no grant for the person,
  made before the read and not ended by its day, to a unit where the reader held a
  work role that day (the unit itself or a node above it, as the role scopes count);
- colleague: reads of a person with the same first and last name as a member of
  staff of the municipality (staff have no personnummer or birth date in Kinsight,
  so the name is what can be matched; case is ignored);
- same_surname: reads of a person with the reader's own surname. Staff have no
  address in Kinsight, so an address cannot be matched.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from kinsight.audit.models import AuditSubject
from kinsight.audit.patterns import Pattern, Window, reads, register
from kinsight.core.models import Membership, User
from kinsight.people.access import WORK_ROLES
from kinsight.people.models import Person, PersonGrant


def _persons(**lookup: object) -> QuerySet[Person]:
    return Person._base_manager.filter(pk=OuterRef("person_id"), **lookup)


def protected(window: Window) -> QuerySet[AuditSubject]:
    return reads(window).filter(Exists(_persons(protected_identity=True)))


def _held_that_day() -> QuerySet[Membership]:
    """The reader's work roles on the read's day in the grant's unit or above it (a
    unit's ancestors are at most three: district, administration, board)."""
    reader, day = OuterRef(OuterRef("entry__actor_id")), OuterRef(OuterRef("day"))
    above = Q(unit_id=OuterRef("unit_id"))
    for path in ("unit__parent_id", "unit__parent__parent_id", "unit__parent__parent__parent_id"):
        above |= Q(unit_id=OuterRef(path))
    return Membership.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        above,
        user_id=reader,
        role__in=WORK_ROLES,
    )


def outside_units(window: Window) -> QuerySet[AuditSubject]:
    grants = PersonGrant.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("day")),
        person_id=OuterRef("person_id"),
        granted_at__lte=OuterRef("at"),
    ).filter(Exists(_held_that_day()))
    return reads(window).annotate(day=TruncDate("at")).exclude(Exists(grants))


def colleague(window: Window) -> QuerySet[AuditSubject]:
    staff = User.objects.filter(
        municipality_id=OuterRef("municipality_id"),
        first_name__iexact=OuterRef("first_name"),
        last_name__iexact=OuterRef("last_name"),
    )
    return reads(window).filter(Exists(_persons().filter(Exists(staff))))


def same_surname(window: Window) -> QuerySet[AuditSubject]:
    same = _persons(last_name__iexact=OuterRef("entry__actor__last_name"))
    return reads(window).exclude(entry__actor__last_name="").filter(Exists(same))


def register_all() -> None:
    register(
        Pattern(
            key="protected",
            title=_("Skyddade personuppgifter"),
            explain=_("Läsningar om personer med skyddade personuppgifter."),
            matches=protected,
            order=20,
        )
    )
    register(
        Pattern(
            key="outside_units",
            title=_("Personer utanför användarens enheter"),
            explain=_(
                "Läsningar om en person som ingen av användarens enheter hade åtkomst till "
                "vid tillfället (inget ärende, ingen registrering, relation eller "
                "familjeärende i enheterna), till exempel nödåtkomst."
            ),
            matches=outside_units,
            order=30,
        )
    )
    register(
        Pattern(
            key="colleague",
            title=_("Kollegor"),
            explain=_(
                "Läsningar om en person med samma för- och efternamn som någon i kommunens "
                "personal (också användaren själv)."
            ),
            matches=colleague,
            order=50,
        )
    )
    register(
        Pattern(
            key="same_surname",
            title=_("Samma efternamn som användaren"),
            explain=_("Läsningar om personer med användarens eget efternamn."),
            matches=same_surname,
            order=60,
        )
    )
