"""The writes of retention: the rules, holds and archive marks (administrators), the
nightly proposal (the system: no acting user), its two approvals or a rejection, and
the culling itself, in batches, run by the background task.

The culling acts on the approvals: each batch re-checks that its persons are still due
today (a new entry, a new case or a hold since the proposal keeps them), removes their
files, marks the items and moves the progress in one transaction, so a run stopped
half-way continues where it stopped and never culls twice. Its audit row per batch
names how many of each kind, never the persons (docs/operations.md, "Retention").
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import municipality_id_of, require_administrator
from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.core.models import User
from kinsight.core.services import create_audited, update_audited
from kinsight.core.versioning import save_versioned
from kinsight.people.models import Person
from kinsight.retention import defaults, due
from kinsight.retention.models import (
    OPEN,
    ArchiveMark,
    LegalHold,
    Proposal,
    ProposalItem,
    ProposalStatus,
    RetentionRule,
    Trigger,
)

logger = logging.getLogger(__name__)
RULE_FIELDS = ["years", "birth_days", "applies_from", "legal_reference", "active"]
CHUNK = 1000


def batch_size() -> int:
    return max(1, int(getattr(settings, "KINSIGHT_RETENTION_BATCH", 100)))


def rules_ensure(municipality_id: int) -> None:
    """The statutory rules for a municipality that has none (made after the migration)."""
    if RetentionRule.objects.filter(municipality_id=municipality_id).exists():
        return
    with transaction.atomic():
        made = RetentionRule.objects.bulk_create(
            defaults.statutory_rules(municipality_id, RetentionRule), ignore_conflicts=True
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            municipality_id=municipality_id,
            object_type="retention.retentionrule",
            changes={"kind": [None, [rule.kind for rule in made]]},
        )


def _check_rule(rule: RetentionRule, values: dict[str, Any]) -> None:
    needs_years = rule.trigger in (Trigger.LAST_ENTRY, Trigger.AGE)
    if needs_years and not 1 <= (values.get("years") or 0) <= 100:
        raise ValidationError({"years": _("Ange ett antal år från 1 till 100.")})
    if rule.trigger == Trigger.BIRTH_DAY:
        parts = values.get("birth_days", "").replace(" ", "").split(",")
        if not all(p.isdigit() and 1 <= int(p) <= 31 for p in parts):
            message = _("Ange dagar i månaden från 1 till 31 med komma emellan, t.ex. 5,15,25.")
            raise ValidationError({"birth_days": message})
    if not values.get("legal_reference", "").strip():
        raise ValidationError({"legal_reference": _("Ange regelns lagrum.")})


def rule_update(
    *, actor: User, rule: RetentionRule, expected_version: int | None, **values: Any
) -> RetentionRule:
    require_administrator(actor)
    if rule.municipality_id != actor.municipality_id:
        raise PermissionDenied
    values = {name: values[name] for name in RULE_FIELDS if name in values}
    _check_rule(rule, {**{n: getattr(rule, n) for n in RULE_FIELDS}, **values})
    with transaction.atomic():
        return update_audited(actor, rule, values, expected_version=expected_version)


def _person(actor: User, person_id: int) -> Person:
    """A person of the actor's municipality (the administrator sets holds and marks on
    a file without reading it)."""
    found = Person.objects.filter(pk=person_id, municipality_id=municipality_id_of(actor)).first()
    if found is None:
        raise ValidationError({"person": _("Det finns ingen sådan person i kommunen.")})
    return found


def person_id_of(actor: User, identifier: str) -> int:
    """The person of the actor's municipality with this personnummer or
    samordningsnummer (as typed; refused with what to fix)."""
    from kinsight.people.identifiers import parse_national

    value = parse_national(identifier).value
    found = Person.objects.filter(municipality_id=municipality_id_of(actor), identifier=value)
    pk = found.values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationError({"identifier": _("Ingen person i kommunen har det numret.")})
    return pk


def hold_create(
    *, actor: User, person_id: int, reason: str, until: datetime.date | None = None
) -> LegalHold:
    require_administrator(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till spärren.")})
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("Ange ett datum från och med i dag, eller inget.")})
    person = _person(actor, person_id)
    with transaction.atomic():
        return create_audited(
            actor,
            LegalHold,
            ["person_id", "reason", "until"],
            person=person,
            reason=reason,
            until=until,
            created_by=actor,
        )


def hold_end(*, actor: User, hold: LegalHold) -> LegalHold:
    require_administrator(actor)
    if hold.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if hold.ended_at is not None:
        raise ValidationError(_("Spärren är redan avslutad."))
    with transaction.atomic():
        hold.ended_at, hold.ended_by = timezone.now(), actor
        hold.save(update_fields=["ended_at", "ended_by"])
        changes = {"ended_at": [None, hold.ended_at.isoformat()]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=hold, changes=changes)
    return hold


def archive_mark(*, actor: User, person_id: int, reason: str) -> ArchiveMark:
    require_administrator(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange varför akten är arkivvärdig.")})
    person = _person(actor, person_id)
    if ArchiveMark.objects.filter(
        municipality_id=municipality_id_of(actor), person=person
    ).exists():
        raise ValidationError({"person": _("Personakten är redan markerad som arkivvärdig.")})
    with transaction.atomic():
        return create_audited(
            actor,
            ArchiveMark,
            ["person_id", "reason"],
            person=person,
            reason=reason,
            created_by=actor,
        )


# The proposal -------------------------------------------------------------------------


def proposal_create(municipality_id: int, today: datetime.date | None = None) -> Proposal | None:
    """What is due today in the municipality, as a new proposal (the nightly job), or
    None while one awaits approval or runs, or when nothing is due."""
    today = today or timezone.localdate()
    rules_ensure(municipality_id)
    busy = [*OPEN, ProposalStatus.QUEUED, ProposalStatus.RUNNING]
    if Proposal.objects.filter(municipality_id=municipality_id, status__in=busy).exists():
        return None
    found = due.due_on(municipality_id, today)
    if found is None:
        return None
    with transaction.atomic():
        proposal = Proposal.objects.create(municipality_id=municipality_id, as_of=today)
        why = _("Ingen anteckning sedan %(day)s (%(years)s år)") % {
            "day": found.since.isoformat(),
            "years": found.rule.years,
        }
        ids = found.persons.order_by("pk").values_list("pk", flat=True)
        made = 0
        for chunk in _chunks(ids.iterator(chunk_size=CHUNK)):
            ProposalItem.objects.bulk_create(
                ProposalItem(
                    municipality_id=municipality_id,
                    proposal=proposal,
                    person_id=pk,
                    rule=found.rule,
                    why=why,
                )
                for pk in chunk
            )
            made += len(chunk)
        if not made:
            transaction.set_rollback(True)
            return None
        proposal.due = made
        proposal.counts = _counts(found, made)
        proposal.save(update_fields=["due", "counts"])
        changes = {"as_of": [None, today.isoformat()], "due": [None, made]}
        audit_record(actor=None, action=AuditAction.CREATE, obj=proposal, changes=changes)
    return proposal


def _chunks(ids: Any) -> Any:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _counts(found: due.Due, made: int) -> dict[str, Any]:
    """{"due": {rule id: {kind: count}}, "kept": {exception key: persons}}."""
    persons = found.persons.values("pk")
    kinds = {str(due.PERSONS): made, **due.kinds_of(persons)}
    kept = {key: found.candidates.filter(q).count() for key, q in found.kept.items()}
    return {"due": {str(found.rule.pk): kinds}, "kept": kept}


def _refuse_unless(proposal: Proposal, *statuses: str) -> None:
    if proposal.status not in statuses:
        raise ValidationError(_("Förslaget är inte längre öppet för beslut."))


def proposal_approve(*, actor: User, proposal: Proposal, expected_version: int | None) -> Proposal:
    """The first approval, or the second by another administrator, which starts the
    culling in the background."""
    require_administrator(actor)
    if proposal.municipality_id != actor.municipality_id:
        raise PermissionDenied
    _refuse_unless(proposal, *OPEN)
    now, before = timezone.now(), proposal.status
    if proposal.status == ProposalStatus.PROPOSED:
        proposal.status = ProposalStatus.APPROVED_ONCE
        proposal.first_approved_by, proposal.first_approved_at = actor, now
        names = ["status", "first_approved_by", "first_approved_at"]
    elif proposal.first_approved_by_id == actor.pk:
        raise ValidationError(
            _("Du har redan godkänt förslaget. En annan systemförvaltare måste godkänna det.")
        )
    else:
        proposal.status = ProposalStatus.QUEUED
        proposal.second_approved_by, proposal.second_approved_at = actor, now
        names = ["status", "second_approved_by", "second_approved_at"]
    with transaction.atomic():
        save_versioned(proposal, expected_version=expected_version, fields=names)
        changes = {"status": [before, proposal.status]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=proposal, changes=changes)
    if proposal.status == ProposalStatus.QUEUED:
        _enqueue(proposal)
    return proposal


def proposal_reject(
    *, actor: User, proposal: Proposal, expected_version: int | None, reason: str
) -> Proposal:
    require_administrator(actor)
    if proposal.municipality_id != actor.municipality_id:
        raise PermissionDenied
    _refuse_unless(proposal, *OPEN)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange varför förslaget avslås.")})
    before = proposal.status
    proposal.status, proposal.reject_reason = ProposalStatus.REJECTED, reason
    proposal.rejected_by, proposal.rejected_at = actor, timezone.now()
    names = ["status", "reject_reason", "rejected_by", "rejected_at"]
    with transaction.atomic():
        save_versioned(proposal, expected_version=expected_version, fields=names)
        changes = {"status": [before, proposal.status], "reject_reason": [None, reason]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=proposal, changes=changes)
    return proposal


def _enqueue(proposal: Proposal) -> None:
    from kinsight.retention.tasks import cull_proposal

    cull_proposal.enqueue(proposal.pk)


def proposal_restart(*, actor: User, proposal: Proposal) -> Proposal:
    """Start a failed culling again: it continues with the items not yet done."""
    require_administrator(actor)
    if proposal.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if not proposal.may_restart:
        raise ValidationError(_("Bara en gallring som avbrutits kan startas igen."))
    with transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.QUEUED, message="")
        changes = {"status": [proposal.status, ProposalStatus.QUEUED]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=proposal, changes=changes)
    proposal.refresh_from_db()
    _enqueue(proposal)
    return proposal
