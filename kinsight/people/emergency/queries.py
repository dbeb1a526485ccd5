"""Reads of emergency accesses: one's own, and the log reviewer's review queue with
the reads made during an access (from the audit log)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kinsight.audit import queries as audit_queries
from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.core.models import User
from kinsight.people.emergency.models import EmergencyAccess

ACCESS_TYPE = "people.emergencyaccess"


def my_accesses(*, actor: User) -> QuerySet[EmergencyAccess]:
    """The actor's own emergency accesses, newest first (the caller audits the page)."""
    return (
        EmergencyAccess.objects.visible_to(actor, "view")
        .filter(user_id=actor.pk)
        .select_related("person")
        .order_by("-started_at", "-pk")
    )


def review_queue(*, actor: User) -> QuerySet[EmergencyAccess]:
    """Accesses not yet reviewed, oldest first; log reviewers only (404)."""
    audit_queries.require_log_reviewer(actor)
    return (
        EmergencyAccess.objects.visible_to(actor, "change")
        .to_review()
        .select_related("user", "person")
        .order_by("started_at", "pk")
    )


def audit_page(*, actor: User, accesses: list[EmergencyAccess]) -> None:
    audit_read_many(actor=actor, objects=accesses, object_type=ACCESS_TYPE)


@dataclass
class Review:
    access: EmergencyAccess
    rows: list[audit_queries.Row]  # the reads and writes made during it


def access_for_review(*, actor: User, pk: int) -> Review:
    """One access with every row of the log its user wrote about its person while it
    lasted (marked or not: an API read is found too); log reviewers only (404)."""
    municipality_id = audit_queries.require_log_reviewer(actor)
    access = get_object_or_404(
        EmergencyAccess.objects.visible_to(actor, "view").select_related(
            "user", "person", "reviewed_by"
        ),
        pk=pk,
    )
    entries = (
        AuditEntry.objects.visible_to(actor, "view")
        .filter(
            actor_id=access.user_id,
            at__gte=access.started_at,
            at__lte=access.ends_at,
            subjects__municipality_id=municipality_id,
            subjects__person_id=access.person_id,
        )
        .select_related("actor")
        .order_by("seq")
    )
    rows = list(entries)
    audit_read(actor=actor, obj=access)
    audit_read_many(
        actor=actor,
        objects=rows,
        object_type=audit_queries.ENTRY_TYPE,
        subjects=[access.person_id],
    )
    return Review(access, audit_queries.describe(rows, municipality_id))
