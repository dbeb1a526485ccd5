"""Reads of the leaders' notes on a cycle (CycleNote: the cycle's leaders only; a
draft by its author only): the cycle page's list, audited, and one note for its page
or a write."""

from kinsight.access.lists import audited_list
from kinsight.access.querysets import TenantQuerySet
from kinsight.access.rules import get_for
from kinsight.audit.services import audit_read
from kinsight.core.models import User
from kinsight.core.notes import link_corrections
from kinsight.groups.models import Cycle, CycleNote


def cycle_notes(*, actor: User, cycle: Cycle) -> list[CycleNote]:
    """The notes on ``cycle`` the actor sees (none for anyone but its leaders), newest
    first, each with the notes that correct it; audited as one list read."""
    rows = audited_list(actor, CycleNote, cycle=cycle, related=("author", "signed_by"))
    return link_corrections(rows)


def _rows() -> TenantQuerySet[CycleNote, CycleNote]:
    return CycleNote.objects.select_related("cycle", "corrects")


def cycle_note_get(*, actor: User, pk: int) -> CycleNote:
    """A note for its page: 404 unless the actor sees it; audited as a read."""
    found = get_for(actor, _rows(), pk)
    audit_read(actor=actor, obj=found)
    return found


def cycle_note_for_write(*, actor: User, pk: int, action: str = "change") -> CycleNote:
    """A note a write starts from: 404 unseen, 403 seen but not ``action``; the write
    audits itself."""
    return get_for(actor, _rows(), pk, action)
