"""Writes to cases and journal notes: each takes the acting user, checks, validates,
writes and audits in one transaction."""

import datetime
from collections.abc import Collection
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinsight.access.rules import municipality_id_of, require
from kinsight.audit.services import audit_created
from kinsight.cases.models import TRANSITIONS, Case, CaseStatus, JournalNote, LegalReference
from kinsight.cases.rules import refuse_closed
from kinsight.core.models import Membership, NodeKind, OrgUnit, Role, User
from kinsight.core.note_services import NoteTexts, NoteWrites
from kinsight.core.services import update_audited
from kinsight.people.access import WORK_ROLES
from kinsight.people.grants import grant_case
from kinsight.people.models import Person
from kinsight.people.queries import KnownPerson

CASE_FIELDS = [
    "person",
    "unit",
    "status",
    "responsible",
    "legal_basis",
    "subject",
    "opened_on",
    "closed_on",
]


def assignable_staff(unit: OrgUnit) -> QuerySet[User]:
    """Who may be responsible for a case in ``unit``."""
    members = Membership.objects.current().filter(unit=unit, role__in=WORK_ROLES)
    return User.objects.filter(
        municipality_id=unit.municipality_id, is_active=True, pk__in=members.values("user_id")
    ).order_by("last_name", "first_name")


def _check_responsible(unit: OrgUnit, responsible: User | None) -> None:
    if responsible is not None and not assignable_staff(unit).filter(pk=responsible.pk).exists():
        raise ValidationError(
            {
                "responsible": _("%(name)s arbetar inte i %(unit)s. Välj en handläggare i enheten.")
                % {"name": responsible, "unit": unit.name}
            }
        )


def _check_legal_basis(legal_basis: LegalReference | None, day: datetime.date) -> None:
    if legal_basis is not None and not legal_basis.is_valid_on(day):
        raise ValidationError(
            {
                "legal_basis": _(
                    "%(ref)s gällde inte %(day)s. Välj det lagrum som gällde när ärendet inleddes."
                )
                % {"ref": legal_basis, "day": day}
            }
        )


class CaseOpening(TypedDict, total=False):
    """What opening a case takes besides its person, the same whether the actor sees
    the person or found them by their full number (the two ways in below)."""

    unit: Required[OrgUnit]
    subject: Required[str]
    legal_basis: LegalReference | None
    responsible: User | None
    opened_on: datetime.date | None


def case_open(*, actor: User, person: Person, **opening: Unpack[CaseOpening]) -> Case:
    """Open a case in ``unit`` (one of the actor's) for a person the actor may see."""
    require(Person.objects.visible_to(actor, "view"), person)
    _check_unit(actor, opening["unit"], actor.units_with_role(*WORK_ROLES))
    return _case_create(actor=actor, person=person, **opening)


def case_open_for_known_person(
    *, actor: User, known: KnownPerson, **opening: Unpack[CaseOpening]
) -> Case:
    """Open a case in ``unit`` for a person found by their full identifier
    (``known``, from ``kinsight.people.queries.person_lookup``, which audited the
    lookup). The person record is shared; the new case is the unit's own, and the
    person becomes visible to the unit through it."""
    if known.person.municipality_id != actor.municipality_id:
        raise PermissionDenied
    _check_unit(actor, opening["unit"], known.unit_ids)
    return _case_create(actor=actor, person=known.person, **opening)


def _check_unit(actor: User, unit: OrgUnit, allowed_ids: Collection[int]) -> None:
    if (
        unit.municipality_id != actor.municipality_id
        or unit.kind != NodeKind.UNIT
        or unit.pk not in allowed_ids
        or unit.pk not in actor.units_with_role(*WORK_ROLES)
    ):
        raise PermissionDenied


def _case_create(
    *,
    actor: User,
    person: Person,
    unit: OrgUnit,
    subject: str,
    legal_basis: LegalReference | None = None,
    responsible: User | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    today = timezone.localdate()
    opened_on = opened_on or today
    errors = {}
    if person.deceased_on:
        errors["person"] = _(
            "%(name)s är avliden (%(date)s). Ett ärende kan inte öppnas för en avliden person."
        ) % {"name": person.full_name, "date": person.deceased_on}
    if opened_on > today:
        errors["opened_on"] = _("Datum för när ärendet inleddes kan inte ligga i framtiden.")
    if not (subject or "").strip():
        errors["subject"] = _("Skriv kort vad ärendet gäller.")
    if errors:
        raise ValidationError(errors)
    if responsible is None and unit.pk in actor.units_with_role(Role.CASE_WORKER):
        responsible = actor
    _check_responsible(unit, responsible)
    _check_legal_basis(legal_basis, opened_on)
    with transaction.atomic():
        case = Case(
            municipality_id=municipality_id_of(actor),
            person=person,
            unit=unit,
            subject=subject.strip(),
            legal_basis=legal_basis,
            responsible=responsible,
            opened_on=opened_on,
        )
        case.full_clean()
        case.save()
        grant_case(case)
        audit_created(actor, case, CASE_FIELDS)
        return case


def _update_case(
    *, actor: User, case: Case, expected_version: int | None, changes: dict[str, Any]
) -> Case:
    return update_audited(
        actor, case, changes, expected_version=expected_version, audited=CASE_FIELDS, clean=True
    )


def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int | None,
    subject: str,
    legal_basis: LegalReference | None,
) -> Case:
    require(Case.objects.visible_to(actor, "change"), case)
    refuse_closed(case)
    if not (subject or "").strip():
        raise ValidationError({"subject": _("Skriv kort vad ärendet gäller.")})
    _check_legal_basis(legal_basis, case.opened_on)
    with transaction.atomic():
        return _update_case(
            actor=actor,
            case=case,
            expected_version=expected_version,
            changes={"subject": subject.strip(), "legal_basis": legal_basis},
        )


def case_change_status(
    *, actor: User, case: Case, status: str, expected_version: int | None
) -> Case:
    require(Case.objects.visible_to(actor, "change"), case)
    allowed = TRANSITIONS[CaseStatus(case.status)]
    if status not in allowed:
        message = _("Från %(current)s kan ärendet gå till: %(allowed)s.") % {
            "current": case.get_status_display().lower(),
            "allowed": ", ".join(str(CaseStatus(s).label).lower() for s in allowed),
        }
        raise ValidationError({"status": message})
    changes: dict[str, Any] = {"status": status, "status_changed_at": timezone.now()}
    if status == CaseStatus.CLOSED:
        changes["closed_on"] = max(timezone.localdate(), case.opened_on)
    elif case.status == CaseStatus.CLOSED:
        changes.update(closed_on=None, reopened_at=changes["status_changed_at"])
    with transaction.atomic():
        return _update_case(
            actor=actor, case=case, expected_version=expected_version, changes=changes
        )


def case_assign(
    *, actor: User, case: Case, responsible: User | None, expected_version: int | None
) -> Case:
    """A unit manager (re)assigns the responsible worker."""
    if case.unit_id not in actor.units_with_role(Role.UNIT_MANAGER):
        require(Case.objects.visible_to(actor, "view"), case)
        raise PermissionDenied
    refuse_closed(case)
    _check_responsible(case.unit, responsible)
    with transaction.atomic():
        return _update_case(
            actor=actor,
            case=case,
            expected_version=expected_version,
            changes={"responsible": responsible},
        )


# Journal notes ---------------------------------------------------------------------

NOTE_TEXTS = NoteTexts(
    signed=gettext_lazy(
        "Anteckningen är signerad och kan inte ändras. Skriv en rättelse i stället."
    ),
    empty=gettext_lazy("En tom anteckning kan inte signeras. Skriv texten."),
    not_correctable=gettext_lazy("Bara en signerad anteckning i samma ärende kan rättas."),
)
NOTES = NoteWrites(JournalNote, NOTE_TEXTS)


def note_create(
    *, actor: User, case: Case, text: str = "", corrects: JournalNote | None = None
) -> JournalNote:
    """A new draft on the case (a correction when ``corrects`` is a signed note)."""
    require(Case.objects.visible_to(actor, "change"), case)
    if corrects is None and case.is_closed:
        raise ValidationError(
            _("Ärendet är avslutat. Du kan bara skriva rättelser till signerade anteckningar.")
        )
    return NOTES.create(actor=actor, parent=case, text=text, corrects=corrects, unit=case.unit)


# Autosave and save (only the author, only while unsigned), sign, discard a draft.
note_save_draft = NOTES.save_draft
note_sign = NOTES.sign
note_discard = NOTES.discard
