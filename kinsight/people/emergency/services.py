"""Break the glass: open, end early and review an emergency access, each audited in
its own transaction (docs/permissions.md, "Break the glass")."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record, audit_updated, diff, snapshot
from kinsight.core.models import User
from kinsight.core.services import create_audited
from kinsight.people.access import WORK_ROLES
from kinsight.people.emergency.models import EmergencyAccess, ReviewOutcome
from kinsight.people.identifiers import search_forms
from kinsight.people.models import Person

# What the log shows of an access (its free text stays out: it may name others).
AUDITED = ["user", "person", "reason", "protected_confirmed", "ends_at", "review_due_on"]
REVIEW_FIELDS = ["outcome", "review_comment", "reviewed_by", "reviewed_at"]


def require_casework(user: User) -> None:
    """Break the glass is for the roles with casework; anyone else gets 404."""
    if not user.units_with_role(*WORK_ROLES):
        raise Http404


def _person_by_number(actor: User, identifier: str) -> Person:
    """The person of the actor's municipality with this number; otherwise one message,
    whatever the reason (another municipality's, a mistyped or unknown number)."""
    values = search_forms(identifier, municipality=actor.municipality)
    municipality_id = actor.municipality_id or 0
    person = (
        Person._base_manager.filter(municipality_id=municipality_id, identifier__in=values)
        .order_by("pk")
        .first()
        if values
        else None
    )
    if person is None:
        raise ValidationError(
            {"identifier": _("Ingen person med det numret finns i kommunen. Kontrollera numret.")}
        )
    return person


def _check_second_step(actor: User, person: Person, password: str, confirmed: bool) -> bool:
    """A protected identity needs the second step: the password again and the statement."""
    if not person.protected_identity:
        return False
    errors = {}
    if not confirmed:
        errors["protected_confirmed"] = _(
            "Personen har skyddade personuppgifter: bekräfta att du behöver uppgifterna."
        )
    if not password or not actor.check_password(password):
        errors["password"] = _(
            "Personen har skyddade personuppgifter: skriv ditt lösenord igen (rätt lösenord)."
        )
    if errors:
        # The answer tells that the person is protected: that is itself logged.
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditAction.READ,
                obj=person,
                changes={"emergency_second_step": sorted(errors)},
            )
        raise ValidationError(errors)
    return True


def emergency_access_start(
    *,
    actor: User,
    identifier: str,
    reason: str,
    reason_text: str,
    password: str = "",
    protected_confirmed: bool = False,
    now: datetime.datetime | None = None,
) -> EmergencyAccess:
    """Read-only sight of one person for KINSIGHT_EMERGENCY_ACCESS_MINUTES, for a case
    worker or unit manager who does not see the person already."""
    require_casework(actor)
    if not reason_text.strip():
        raise ValidationError({"reason_text": _("Beskriv varför du behöver uppgifterna.")})
    person = _person_by_number(actor, identifier)
    if Person.objects.full_access(actor).filter(pk=person.pk).exists():
        raise ValidationError(
            {"identifier": _("Du ser redan personen. Sök fram personen som vanligt.")}
        )
    second_step = _check_second_step(actor, person, password, protected_confirmed)
    now = now or timezone.now()
    minutes = settings.KINSIGHT_EMERGENCY_ACCESS_MINUTES
    due = timezone.localdate(now) + datetime.timedelta(days=settings.KINSIGHT_EMERGENCY_REVIEW_DAYS)
    with transaction.atomic():
        return create_audited(
            actor,
            EmergencyAccess,
            AUDITED,
            user=actor,
            person=person,
            reason=reason,
            reason_text=reason_text.strip(),
            protected_confirmed=second_step,
            started_at=now,
            ends_at=now + datetime.timedelta(minutes=minutes),
            review_due_on=due,
            clean=True,
        )


def _own_current(actor: User, pk: int, now: datetime.datetime) -> EmergencyAccess:
    found = EmergencyAccess.objects.visible_to(actor, "view").filter(pk=pk, user_id=actor.pk)
    access = found.first()
    if access is None:
        raise Http404
    if not access.is_current(now):
        raise ValidationError(_("Nödåtkomsten har redan upphört."))
    return access


def emergency_access_end(
    *, actor: User, pk: int, now: datetime.datetime | None = None
) -> EmergencyAccess:
    """End one's own emergency access before its time."""
    now = now or timezone.now()
    with transaction.atomic():
        access = _own_current(actor, pk, now)
        before = snapshot(access, ["ends_at", "ended_early"])
        access.ends_at, access.ended_early = max(now, access.started_at), True
        access.save(update_fields=["ends_at", "ended_early"])
        return audit_updated(
            actor, access, diff(before, snapshot(access, ["ends_at", "ended_early"]))
        )


def emergency_access_review(
    *, actor: User, access: EmergencyAccess, outcome: str, review_comment: str
) -> EmergencyAccess:
    """The log reviewer's review: justified or not, with a comment; once."""
    if not EmergencyAccess.objects.visible_to(actor, "change").filter(pk=access.pk).exists():
        raise PermissionDenied
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("Välj om åtkomsten var befogad eller inte.")})
    if not review_comment.strip():
        raise ValidationError({"review_comment": _("Skriv en kommentar till bedömningen.")})
    with transaction.atomic():
        stored = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
        if stored.reviewed_at is not None:
            raise ValidationError(_("Nödåtkomsten är redan granskad."))
        before = snapshot(stored, REVIEW_FIELDS)
        stored.outcome, stored.review_comment = outcome, review_comment.strip()
        stored.reviewed_by, stored.reviewed_at = actor, timezone.now()
        stored.save(update_fields=REVIEW_FIELDS)
        return audit_updated(actor, stored, diff(before, snapshot(stored, REVIEW_FIELDS)))
