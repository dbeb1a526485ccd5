"""Checking the audit chain of a municipality, whole or one month at a time.

Each entry's hash covers its AuditSubject rows (the persons it concerns), so a subject
row removed, added or moved to another entry breaks the chain at that entry. Rows are
walked in ``seq`` order (ties by id), so a missing row shows as a gap, a repeated
``seq`` as a duplicate, a changed or reordered row as a hash that does not match.

A month (a partition on PostgreSQL, kinsight/audit/partitions.py) holds one unbroken
run of ``seq``: a row's ``at`` is never before the previous row's. ``verify_month``
checks one month from where the chain stood before it (``state_before``: the previous
month's last row, or the checkpoint written when that month was removed), so the
months verified one after the other are the whole chain.

``verify_chain`` also checks the chain against the signed checkpoints outside the
database (kinsight/audit/anchor.py): a checkpoint's row must be there with the same
hash, the chain may not end before the last checkpoint (cut back) nor be empty with
checkpoints (emptied), the first keyed row must be where they say, and rows may be
missing at the start only where a signed removal (audit_partitions) says so.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from kinsight.audit import anchor, partitions
from kinsight.audit.models import (
    GENESIS_HASH,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
    AuditSubject,
)

GENESIS = (0, GENESIS_HASH)


@dataclass
class ChainBreak:
    municipality_id: int
    seq: int
    reason: str


@dataclass
class MonthResult:
    """A verified month: the first break or None, where the chain stands after the
    month ((seq, hash) of its last row) and how many entries it has."""

    found: ChainBreak | None
    last: tuple
    entries: int


def _subjects(entries, batch):
    """{entry id: [(subject municipality, person id)]} of a batch, in one query."""
    subjects = defaultdict(list)
    rows = AuditSubject.objects.filter(entry_id__in=[entry.pk for entry in batch])
    if entries.at_range:
        rows = rows.filter(at__gte=entries.at_range[0], at__lt=entries.at_range[1])
    for entry_id, owner, person_id in rows.values_list("entry_id", "municipality_id", "person_id"):
        subjects[entry_id].append((owner, person_id))
    return subjects


class _Entries:
    """A municipality's rows, optionally within one month's times. All of them: a row
    whose seq is not after the state walked from is reported, not skipped."""

    def __init__(self, municipality_id, at_range=None):
        self.municipality_id = municipality_id
        self.at_range = at_range

    def batches(self, batch_size):
        """(entry, [(subject municipality, person id)]) in (seq, id) order, two
        queries a batch; a repeated seq is not skipped at a batch's edge."""
        rows = AuditEntry.objects.filter(municipality_id=self.municipality_id)
        if self.at_range:
            rows = rows.filter(at__gte=self.at_range[0], at__lt=self.at_range[1])
        rows = rows.order_by("seq", "id")
        batch = list(rows[:batch_size])
        while batch:
            subjects = _subjects(self, batch)
            for entry in batch:
                yield entry, subjects.get(entry.pk, [])
            last = batch[-1]
            later = Q(seq__gt=last.seq) | Q(seq=last.seq, id__gt=last.pk)
            batch = list(rows.filter(later)[:batch_size])


def _walk(municipality_id, rows, state, keyed_from, signed=None):
    """Check ``rows`` follow ``state`` ((seq, hash) before them), keyed from
    ``keyed_from``, with the hashes ``signed`` ({seq: hash} of the checkpoints). Returns
    the first break or None, the state after them and how many there were."""
    (last_seq, prev_hash), count = state, 0
    for entry, subjects in rows:
        count += 1
        found = _check(municipality_id, entry, subjects, (last_seq, prev_hash), keyed_from)
        if not found and (signed or {}).get(entry.seq, entry.hash) != entry.hash:
            found = ChainBreak(municipality_id, entry.seq, "rewritten: not the signed checkpoint")
        if found:
            return found, (last_seq, prev_hash), count
        last_seq, prev_hash = entry.seq, entry.hash
    return None, (last_seq, prev_hash), count


def _check(municipality_id, entry, subjects, state, keyed_from):
    last_seq, prev_hash = state

    def broken(reason, seq=entry.seq):
        return ChainBreak(municipality_id, seq, reason)

    if entry.seq <= last_seq:
        return broken("row duplicated (sequence number repeated)")
    if entry.seq != last_seq + 1:
        return broken("row missing (gap in sequence)", last_seq + 1)
    if entry.prev_hash != prev_hash:
        return broken("previous hash does not match")
    if any(owner != municipality_id for owner, _person in subjects):
        return broken("subject of another municipality")
    persons = [person for _owner, person in subjects]
    if entry.compute_hash(persons, keyed_from=keyed_from) != entry.hash:
        return broken("content does not match its hash")
    return None


def state_before(municipality_id, month):
    """(seq, hash) where the chain stood when ``month`` began: its previous row, or
    the checkpoint of the last month removed before it, or the chain's start."""
    start, _end = partitions.bounds(month)
    previous = AuditEntry.objects.filter(municipality_id=municipality_id, at__lt=start)
    last = previous.order_by("-seq").values_list("seq", "hash").first()
    if last:
        return tuple(last)
    return _checkpoint(municipality_id, month__lt=month)


def chain_start(municipality_id):
    """(seq, hash) the retained chain starts from: the end of the last removed month,
    or the chain's start (0, genesis)."""
    return _checkpoint(municipality_id)


def _checkpoint(municipality_id, **when):
    checkpoints = AuditCheckpoint.objects.filter(municipality_id=municipality_id, **when)
    found = checkpoints.order_by("-month").values_list("last_seq", "last_hash").first()
    return tuple(found) if found else GENESIS


def verify_month(municipality_id, month, state=None, batch_size=5000):
    """Check one month of a municipality's chain, from ``state`` ((seq, hash) of the
    row before the month; by default ``state_before``)."""
    if state is None:
        state = state_before(municipality_id, month)
    rows = _Entries(municipality_id, partitions.bounds(month))
    keyed_from = _keyed_from(AuditChainHead.objects.filter(municipality_id=municipality_id).first())
    found, last, count = _walk(municipality_id, rows.batches(batch_size), state, keyed_from)
    return MonthResult(found, last, count)


def _keyed_from(head):
    """The chain's first keyed row (every row, when the head is gone)."""
    return head.keyed_from if head else 1


def verify_chain(municipality_id, batch_size=5000):
    """Walk the chain in order from its start (or the last checkpoint, when old months
    were removed) and hold it against the signed checkpoints; return the first break,
    or None if it holds."""
    signed = anchor.read(municipality_id)
    if signed.bad_lines:
        lines = ", ".join(map(str, signed.bad_lines[:5]))
        return ChainBreak(municipality_id, 0, f"checkpoint file altered: line {lines} not signed")
    head = AuditChainHead.objects.filter(municipality_id=municipality_id).first()
    state = _checkpoint(municipality_id)
    rows = _Entries(municipality_id).batches(batch_size)
    hashes = {checkpoint.seq: checkpoint.hash for checkpoint in signed.found}
    found, (last_seq, last_hash), count = _walk(
        municipality_id, rows, state, _keyed_from(head), hashes
    )
    if found:
        return found
    if head and (head.last_seq != last_seq or head.last_hash != last_hash):
        return ChainBreak(municipality_id, last_seq + 1, "rows missing at the end of the chain")
    return _against_checkpoints(municipality_id, signed.found, state, (last_seq, count), head)


def _against_checkpoints(municipality_id, checkpoints, start, end, head):
    """What the walked chain (from ``start`` (seq, hash); ``end``: its last seq and how
    many rows it had) says against the signed checkpoints, or None."""
    (last_seq, count), keyed_from = end, _keyed_from(head)
    beyond = [checkpoint.seq for checkpoint in checkpoints if checkpoint.seq > last_seq]
    if beyond and not count:
        return ChainBreak(municipality_id, max(beyond), "emptied: no rows, but signed checkpoints")
    if beyond:
        return ChainBreak(municipality_id, max(beyond), "truncated: the signed checkpoint's row")
    moved = [checkpoint for checkpoint in checkpoints if checkpoint.keyed_from != keyed_from]
    if moved:
        return ChainBreak(municipality_id, keyed_from, "rewritten: first keyed row moved")
    removals = {(c.seq, c.hash) for c in checkpoints if c.kind == "removed"}
    if start[0] and checkpoints and tuple(start) not in removals:
        return ChainBreak(municipality_id, start[0], "truncated: start removed without a signature")
    return None
