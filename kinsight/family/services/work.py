"""Family work and its members: start from a case, rename, close; add a member (or
take one back), end a membership."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import require
from kinsight.audit.services import audit_updated
from kinsight.cases.models import Case
from kinsight.core.models import User
from kinsight.core.services import create_audited, save_versioned, update_audited
from kinsight.family import grants
from kinsight.family.models import (
    PARENT_ROLES,
    FamilyMember,
    FamilyRole,
    FamilyWork,
    FamilyWorkStatus,
    Participant,
)
from kinsight.family.rules import refuse_closed
from kinsight.family.services.common import check_roles, lock, update_fields
from kinsight.family.services.participants import PARTICIPANT_FIELDS, link_create
from kinsight.people.models import GrantReason, Person

WORK_FIELDS = ["title", "status", "started_on", "ended_on", "from_case", "started_by"]
MEMBER_FIELDS = ["family_work", "person", "role", "ended_on"]


def _check_start(actor: User, case: Case, members: list[tuple[Person, str]], title: str) -> None:
    """Refuse a start the actor may not make or that names no family."""
    require(Case.objects.visible_to(actor, "change"), case)
    if case.is_closed:
        raise ValidationError(
            _("Ärendet är avslutat. Starta familjeärendet från ett öppet ärende.")
        )
    if not any(person.pk == case.person_id for person, _role in members):
        raise ValidationError(
            {"members": _("Personen i ärendet måste ingå i familjen. Välj en roll för personen.")}
        )
    if len({person.pk for person, _role in members}) != len(members):
        raise ValidationError({"members": _("En person kan bara ingå en gång.")})
    check_roles([role for _person, role in members])
    visible = set(
        Person.objects.visible_to(actor, "view")
        .filter(pk__in=[p.pk for p, _r in members])
        .values_list("pk", flat=True)
    )
    if any(person.pk not in visible for person, _role in members):
        raise PermissionDenied
    if not (title or "").strip():
        raise ValidationError({"title": _("Ge familjeärendet en benämning, t.ex. Familjen A.")})


def family_work_start(
    *,
    actor: User,
    case: Case,
    title: str,
    members: Iterable[tuple[Person, str]],
    started_on: datetime.date | None = None,
) -> FamilyWork:
    """Start family work from ``case``: the case's unit takes part as coordinator with
    the actor as contact, the case is linked, and ``members`` ([(person, role)], the
    case's person included) make up the family."""
    members = list(members)
    _check_start(actor, case, members, title)
    with transaction.atomic():
        work = create_audited(
            actor,
            FamilyWork,
            WORK_FIELDS,
            clean=True,
            title=title.strip(),
            started_on=started_on or timezone.localdate(),
            from_case=case,
            started_by=actor,
        )
        participant = create_audited(
            actor,
            Participant,
            PARTICIPANT_FIELDS,
            family_work=work,
            unit=case.unit,
            worker=actor,
            is_coordinator=True,
            joined_on=work.started_on,
        )
        link_create(actor, work, participant, case)
        for person, role in members:
            _member_join(actor, work, None, person, role)
        grants.work_grants_add(work)
        return work


def family_work_update(
    *, actor: User, family_work: FamilyWork, expected_version: int | None, title: str
) -> FamilyWork:
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    refuse_closed(family_work)
    if not (title or "").strip():
        raise ValidationError({"title": _("Ge familjeärendet en benämning.")})
    with transaction.atomic():
        before = family_work.title
        family_work.title = title.strip()
        save_versioned(family_work, expected_version=expected_version, fields=["title"])
        return audit_updated(actor, family_work, {"title": [before, family_work.title]})


def family_work_close(
    *,
    actor: User,
    family_work: FamilyWork,
    expected_version: int | None,
    ended_on: datetime.date | None = None,
) -> FamilyWork:
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    refuse_closed(family_work)
    ended_on = ended_on or timezone.localdate()
    if ended_on < family_work.started_on:
        raise ValidationError({"ended_on": _("Slutdatum kan inte vara före startdatum.")})
    with transaction.atomic():
        return update_audited(
            actor,
            family_work,
            {"status": FamilyWorkStatus.CLOSED, "ended_on": ended_on},
            expected_version=expected_version,
        )


def member_add(*, actor: User, family_work: FamilyWork, person: Person, role: str) -> FamilyMember:
    require(FamilyWork.objects.visible_to(actor, "change"), family_work)
    require(Person.objects.visible_to(actor, "view"), person)
    refuse_closed(family_work)
    with transaction.atomic():
        lock(family_work)
        existing = FamilyMember.objects.filter(family_work=family_work, person=person).first()
        if existing is not None and existing.ended_on is None:
            raise ValidationError({"person": _("Personen ingår redan i familjen.")})
        if role in PARENT_ROLES and (
            FamilyMember.objects.filter(family_work=family_work, role=role, ended_on__isnull=True)
            .exclude(person=person)
            .exists()
        ):
            raise ValidationError(
                {
                    "role": _("Familjen har redan en %(role)s. Avsluta den först.")
                    % {"role": FamilyRole(role).label.lower()}
                }
            )
        member = _member_join(actor, family_work, existing, person, role)
        grants.work_grants_add(family_work, person_ids=[person.pk])
        return member


def _member_join(
    actor: User,
    family_work: FamilyWork,
    existing: FamilyMember | None,
    person: Person,
    role: str,
) -> FamilyMember:
    """A new member row, or the ended one taken up again."""
    if existing is not None:
        return update_fields(actor, existing, role=role, ended_on=None)
    return create_audited(
        actor, FamilyMember, MEMBER_FIELDS, family_work=family_work, person=person, role=role
    )


def member_end(
    *, actor: User, member: FamilyMember, ended_on: datetime.date | None = None
) -> FamilyMember:
    require(FamilyWork.objects.visible_to(actor, "change"), member.family_work)
    refuse_closed(member.family_work)
    if member.ended_on is not None:
        raise ValidationError(_("Personen ingår redan inte i familjen."))
    with transaction.atomic():
        update_fields(actor, member, ended_on=ended_on or timezone.localdate())
        grants.grants_end(
            member.family_work, person_id=member.person_id, reason=GrantReason.FAMILY_WORK
        )
        return member
