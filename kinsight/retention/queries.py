"""The retention pages' reads, each from ``visible_to`` (administrators only: 404 for
everyone else). The sample of a proposal names persons, so it is audited as a list read
of them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read_many
from kinsight.core.models import User
from kinsight.people.models import Person
from kinsight.retention import due
from kinsight.retention.models import (
    CullingRecord,
    LegalHold,
    Proposal,
    ProposalItem,
    RetentionRule,
)

SAMPLE = 20


def rules(actor: User) -> QuerySet[RetentionRule]:
    return RetentionRule.objects.visible_to(actor, "view").order_by("id")


def rule_get(actor: User, pk: int) -> RetentionRule:
    return get_for(actor, RetentionRule.objects.all(), pk, "change")


def proposals(actor: User) -> QuerySet[Proposal]:
    found = Proposal.objects.visible_to(actor, "view")
    return found.select_related("first_approved_by", "second_approved_by")


def proposal_get(actor: User, pk: int) -> Proposal:
    related = ("first_approved_by", "second_approved_by", "rejected_by")
    return get_for(actor, Proposal.objects.select_related(*related), pk)


def records(actor: User) -> QuerySet[CullingRecord]:
    found = CullingRecord.objects.visible_to(actor, "view")
    return found.select_related("rule", "first_approved_by", "second_approved_by")


def holds(actor: User) -> QuerySet[LegalHold]:
    found = LegalHold.objects.visible_to(actor, "view")
    return found.select_related("person", "created_by", "ended_by")


def hold_get(actor: User, pk: int) -> LegalHold:
    return get_for(actor, LegalHold.objects.all(), pk, "change")


def audited_holds(actor: User, rows: Any) -> Any:
    """A page of holds, read as a list of the persons they name."""
    rows = list(rows)
    audit_read_many(actor=actor, objects=rows, object_type="retention.legalhold")
    return rows


def sample(actor: User, proposal: Proposal) -> list[dict[str, Any]]:
    """The first ``SAMPLE`` items still due, with the person and why; the persons
    shown are audited as a list read."""
    items = list(
        ProposalItem.objects.filter(proposal=proposal, state=ProposalItem.State.DUE)
        .select_related("rule")
        .order_by("id")[:SAMPLE]
    )
    persons = Person.objects.filter(municipality_id=proposal.municipality_id)
    found = persons.in_bulk([item.person_id for item in items])
    audit_read_many(
        actor=actor, objects=list(found.values()), object_type="people.person", reason="gallring"
    )
    return [{"item": item, "person": found.get(item.person_id)} for item in items]


def summary(proposal: Proposal, rule_rows: list[RetentionRule]) -> dict[str, Any]:
    """The counts of a proposal in words: per rule the kinds due, per exception the
    persons it keeps (of those otherwise due)."""
    by_pk = {str(rule.pk): rule for rule in rule_rows}
    counts = proposal.counts or {}
    due_rows = [
        {"rule": by_pk.get(pk), "kinds": sorted(kinds.items())}
        for pk, kinds in counts.get("due", {}).items()
    ]
    kept = []
    for key, count in counts.get("kept", {}).items():
        rule = by_pk.get(key)
        label = rule.get_kind_display() if rule else due.EXCEPTION_LABELS.get(key, key)
        kept.append(
            {"label": label, "count": count, "reference": rule.legal_reference if rule else ""}
        )
    return {"due": due_rows, "kept": kept}
