"""The culling of an approved proposal, called by the background task: batch by
batch, each in its own transaction (items marked, files removed, progress and counts
moved, one audit row), then the culling records. Restarted, it continues with the
items still due; run again after it finished, it does nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from kinsight.audit.models import AuditAction
from kinsight.audit.services import audit_record
from kinsight.retention import cull, due
from kinsight.retention.models import CullingRecord, Proposal, ProposalItem, ProposalStatus
from kinsight.retention.services import batch_size

State = ProposalItem.State


def _set(proposal: Proposal, **values: Any) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(**values)
    for name, value in values.items():
        setattr(proposal, name, value)


def proposal_cull(proposal_id: int) -> None:
    proposal = Proposal.objects.select_related("second_approved_by").get(pk=proposal_id)
    if proposal.status not in (ProposalStatus.QUEUED, ProposalStatus.RUNNING):
        return
    _set(proposal, status=ProposalStatus.RUNNING)
    try:
        while _batch(proposal):
            pass
        _finish(proposal)
    except Exception:  # noqa: BLE001 - record_failure logs it
        text = gettext_lazy(
            "Gallringen avbröts av ett fel i systemet. Det som redan gallrats är gallrat; "
            "starta igen för att fortsätta med resten."
        )
        proposal.record_failure(text, ProposalStatus.FAILED)


def _batch(proposal: Proposal) -> bool:
    """One batch in one transaction; False when no item is left."""
    with transaction.atomic():
        items = ProposalItem.objects.filter(proposal=proposal, state=State.DUE).order_by("id")
        batch = list(items.select_for_update()[: batch_size()])
        if not batch:
            return False
        # Due today (a proposal dated ahead, as tests make, on its own day).
        today = max(timezone.localdate(), proposal.as_of)
        found = due.due_on(proposal.municipality_id, today)
        asked = [item.person_id for item in batch]
        still = (
            set(found.persons.filter(pk__in=asked).values_list("pk", flat=True)) if found else set()
        )
        removed = cull.cull(sorted(still))
        done = [item.pk for item in batch if item.person_id in still]
        ProposalItem.objects.filter(pk__in=done).update(state=State.CULLED)
        ProposalItem.objects.filter(pk__in=[i.pk for i in batch if i.pk not in done]).update(
            state=State.SKIPPED
        )
        culled = Counter(proposal.counts.get("culled", {}))
        culled.update(removed)
        counts = {**proposal.counts, "culled": dict(culled)}
        finished = proposal.culled + proposal.skipped + len(batch)
        _set(
            proposal,
            counts=counts,
            culled=proposal.culled + len(done),
            skipped=proposal.skipped + len(batch) - len(done),
            progress=min(99, int(100 * finished / max(proposal.due, 1))),
        )
        changes = {"culled": removed, "skipped": len(batch) - len(done)}
        audit_record(
            actor=proposal.second_approved_by,
            action=AuditAction.DELETE,
            obj=proposal,
            changes=changes,
            subjects=[],
        )
    return True


def _kind(label: str) -> str:
    return str(apps.get_model(label)._meta.verbose_name_plural)


def _finish(proposal: Proposal) -> None:
    """The culling records (one per kind), once, and the proposal done."""
    first = proposal.items.select_related("rule").first()
    approvers = (proposal.first_approved_by_id, proposal.second_approved_by_id)
    assert all(approvers), "culled only after two approvals"
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        if first and not CullingRecord.objects.filter(proposal=proposal).exists():
            CullingRecord.objects.bulk_create(
                CullingRecord(
                    municipality_id=proposal.municipality_id,
                    proposal=proposal,
                    rule=first.rule,
                    legal_reference=first.rule.legal_reference,
                    kind=_kind(label),
                    count=count,
                    proposed_at=proposal.created_at,
                    first_approved_by_id=approvers[0] or 0,
                    second_approved_by_id=approvers[1] or 0,
                )
                for label, count in sorted(proposal.counts.get("culled", {}).items())
                if count
            )
        _set(proposal, status=ProposalStatus.DONE, progress=100, finished_at=timezone.now())
