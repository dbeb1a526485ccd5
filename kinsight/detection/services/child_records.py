"""Children as next of kin (barn som anhöriga): recording a child on the parent's case
(a known person, a personnummer, or a first name and age) and editing the record."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.cases.models import Case
from kinsight.cases.rules import refuse_closed
from kinsight.core.models import User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.validation import check_choice
from kinsight.detection.models import (
    ChildRecord,
    ChildRecordStep,
    ChildStatus,
    Custody,
    LivesWith,
)
from kinsight.people.identifiers import Identifier, IdentifierKind, parse_identifier
from kinsight.people.models import Person, normalise_name

RECORD_FIELDS = [
    "case",
    "unit",
    "parent",
    "child",
    "first_name",
    "birth_date",
    "birth_year",
    "expected_month",
    "custody",
    "lives_with",
    "other_carers",
    "status",
    "identified_on",
]
RECORD_EDIT_FIELDS = ["custody", "lives_with", "other_carers"]
# How a child registered with its personnummer lives with the parent, as a relationship.
LIVING_RELATION: dict[str, str] = {
    LivesWith.FULL_TIME: "lives_with_full",
    LivesWith.PART_TIME: "lives_with_part",
}
STEP_FIELDS = [
    "record",
    "status",
    "on",
    "by",
    "unit",
    "note",
    "parent_talked_with",
    "child_information",
    "child_information_reason",
]


class DuplicateChild(ValidationError):
    """The case has this child recorded already: ``existing`` is that record. (A
    parent's other case records the child afresh: a record is per case.)"""

    def __init__(self, existing: ChildRecord, field: str) -> None:
        self.existing = existing
        message = _(
            "%(name)s finns redan som barn i det här ärendet (registrerad %(day)s). Öppna "
            "det barnet i stället för att lägga till det två gånger."
        ) % {
            "name": existing.display_name,
            "day": existing.identified_on,
        }
        super().__init__({field: [message]})

    @property
    def url(self) -> str:
        return reverse("detection:child_detail", args=[self.existing.pk])


def check_living(
    errors: dict[str, str], custody: str, lives_with: str, other_carers: str = ""
) -> None:
    """Custody and living arrangement from their lists; other carers in at most 300
    characters. Notes what is wrong in ``errors``."""
    check_choice(errors, "custody", custody, Custody.values, _("Välj vem som har vårdnaden."))
    check_choice(
        errors, "lives_with", lives_with, LivesWith.values, _("Välj om barnet bor hos föräldern.")
    )
    if len(other_carers or "") > 300:
        errors["other_carers"] = _("Skriv högst 300 tecken om andra som tar hand om barnet.")


def _find_duplicate(
    *,
    case: Case,
    child: Person | None,
    first_name: str,
    birth_year: int,
    exclude_pk: int | None = None,
) -> ChildRecord | None:
    """The record of the same child on ``case`` (records are per case)."""
    records = ChildRecord.objects.filter(municipality_id=case.municipality_id, case=case)
    if exclude_pk:
        records = records.exclude(pk=exclude_pk)
    if child is not None:
        found = records.filter(child=child).first()
        if found:
            return found
    wanted = normalise_name(first_name)
    for record in records.filter(birth_year__in=[birth_year - 1, birth_year, birth_year + 1]):
        same_name = normalise_name(record.first_name).split(" ")[:1] == wanted.split(" ")[:1]
        if same_name and (child is None or record.child_id is None):
            return record
    return None


def _child_by_identifier(
    *, actor: User, parent: Person, identifier: str, first_name: str, last_name: str
) -> tuple[Person | None, Identifier, Person | None]:
    """The Person for a typed personnummer: ``(person the actor sees, parsed, None)``,
    ``(None, parsed, None)`` for a new one (registered through the people services,
    with the parent relationship), or ``(None, parsed, known)`` for a person another
    unit works with: the record links to them blind (see ``_link_known_child``)."""
    parsed = parse_identifier(
        identifier, kind=IdentifierKind.PERSONNUMMER, municipality=parent.municipality
    )
    if parsed.value == parent.identifier:
        raise ValidationError(
            {"identifier": _("Det är förälderns eget personnummer. Ange barnets personnummer.")}
        )
    existing = Person._base_manager.filter(
        municipality_id=parent.municipality_id, identifier=parsed.value
    ).first()
    if existing is not None:
        if not Person.objects.visible_to(actor, "view").filter(pk=existing.pk).exists():
            return None, parsed, existing
        return existing, parsed, None
    return None, parsed, None


def _link_known_child(actor: User, known: Person) -> Person:
    """Link the record to a child the actor does not see, by the whole number typed:
    nothing of the person is copied or shown (the record keeps what the worker typed),
    no relationship is added, and the lookup is audited naming the person."""
    audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=known,
        changes={"lookup": "full identifier", "linked": "child as next of kin"},
    )
    return known


def child_record_add(
    *,
    actor: User,
    case: Case,
    custody: str = Custody.UNKNOWN,
    lives_with: str = LivesWith.UNKNOWN,
    other_carers: str = "",
    child: Person | None = None,
    identifier: str = "",
    first_name: str = "",
    last_name: str = "",
    age: int | str | None = None,
    identified_on: datetime.date | None = None,
) -> ChildRecord:
    """Record a child of the case's person as next of kin: an existing Person
    (``child``), a personnummer (linked to the person the actor sees, or registered),
    or a first name and age. Starts the lifecycle at "identified"."""
    require(Case.objects.visible_to(actor, "change"), case)
    refuse_closed(case)
    parent = case.person
    today = timezone.localdate()
    identified_on = identified_on or today
    errors: dict[str, str] = {}
    check_living(errors, custody, lives_with, other_carers)
    if identified_on > today:
        errors["identified_on"] = _("Datumet kan inte ligga i framtiden.")
    if errors:
        raise ValidationError(errors)
    identifier = (identifier or "").strip()
    first_name = (first_name or "").strip()
    last_name = (last_name or "").strip()
    parsed = known = None
    if child is None and identifier:
        child, parsed, known = _child_by_identifier(
            actor=actor,
            parent=parent,
            identifier=identifier,
            first_name=first_name,
            last_name=last_name,
        )
    field = "identifier" if (identifier or child is not None) else "first_name"
    if child is not None:
        require(Person.objects.visible_to(actor, "view"), child)
        if child.pk == parent.pk:
            raise ValidationError(
                {
                    field: _("%(name)s är föräldern i ärendet och kan inte vara sitt eget barn.")
                    % {"name": parent.full_name}
                }
            )
        child_age = child.age(today)
        birth_date = child.birth_date
        birth_year = birth_date.year if birth_date else child.approximate_birth_year
        if birth_year is None:
            raise ValidationError({field: _("Barnets ålder är okänd. Ange ålder.")})
        first_name = child.first_name
    elif parsed is not None:
        if not first_name:
            raise ValidationError({"first_name": _("Ange barnets förnamn.")})
        birth_date = parsed.birth_date
        assert birth_date is not None  # a personnummer always carries the birth date
        birth_year = birth_date.year
        child_age = (
            today.year
            - birth_date.year
            - ((today.month, today.day) < (birth_date.month, birth_date.day))
        )
    else:
        if not first_name:
            raise ValidationError(
                {"first_name": _("Ange barnets förnamn, eller personnummer om det är känt.")}
            )
        if age is None or age == "":
            raise ValidationError({"age": _("Ange barnets ålder i år (en uppskattning räcker).")})
        child_age = int(age)
        if child_age < 0:
            raise ValidationError({"age": _("Åldern kan inte vara negativ.")})
        birth_date, birth_year = None, today.year - child_age
        field = "age"
    if child_age is not None and child_age >= 18:
        raise ValidationError(
            {
                field: _("Barnet är %(age)s år. Barn som anhörig gäller barn under 18 år.")
                % {"age": child_age}
            }
        )
    if parent.birth_date and birth_date and birth_date <= parent.birth_date:
        raise ValidationError(
            {field: _("Barnet kan inte vara född före föräldern. Kontrollera personnumret.")}
        )
    duplicate = _find_duplicate(
        case=case, child=child or known, first_name=first_name, birth_year=birth_year
    )
    if duplicate is not None:
        raise DuplicateChild(duplicate, "identifier" if field == "identifier" else "first_name")
    with transaction.atomic():
        if known is not None:
            child = _link_known_child(actor, known)
        elif child is None and parsed is not None:
            from kinsight.people import services as people_services

            living = LIVING_RELATION.get(lives_with, "")
            child = people_services.person_add_relative(
                actor=actor,
                person=parent,
                relation="child",
                guardian=custody in (Custody.JOINT, Custody.THIS_PARENT),
                living=living,
                identifier_kind=IdentifierKind.PERSONNUMMER,
                identifier=identifier,
                first_name=first_name,
                last_name=last_name or parent.last_name,
            )
        return _record_create(
            actor=actor,
            case=case,
            child=child,
            linked_by_number=known is not None,
            first_name=first_name,
            birth_date=birth_date,
            birth_year=birth_year,
            custody=custody,
            lives_with=lives_with,
            other_carers=(other_carers or "").strip(),
            identified_on=identified_on,
        )


def child_record_update(
    *,
    actor: User,
    record: ChildRecord,
    expected_version: int | None,
    custody: str,
    lives_with: str,
    other_carers: str,
) -> ChildRecord:
    require(ChildRecord.objects.visible_to(actor, "change"), record)
    errors: dict[str, str] = {}
    check_living(errors, custody, lives_with, other_carers)
    if errors:
        raise ValidationError(errors)
    values = {
        "custody": custody,
        "lives_with": lives_with,
        "other_carers": (other_carers or "").strip(),
    }
    with transaction.atomic():
        return update_audited(actor, record, values, expected_version=expected_version)


def _record_create(*, actor: User, case: Case, **fields: Any) -> ChildRecord:
    """A new child record on ``case``, "identified", with its first step; audited."""
    record = create_audited(
        actor,
        ChildRecord,
        RECORD_FIELDS,
        case=case,
        unit_id=case.unit_id,
        parent_id=case.person_id,
        status_changed_on=fields["identified_on"],
        created_by=actor,
        **fields,
    )
    create_audited(
        actor,
        ChildRecordStep,
        STEP_FIELDS,
        record=record,
        status=ChildStatus.IDENTIFIED,
        on=fields["identified_on"],
        by=actor,
        unit_id=case.unit_id,
    )
    return record
