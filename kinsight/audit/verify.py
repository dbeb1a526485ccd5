"""Checking the audit chain of a municipality.

Each entry's hash covers its AuditSubject rows (the persons it concerns), so a subject
row removed, added or moved to another entry breaks the chain at that entry."""

from collections import defaultdict
from dataclasses import dataclass

from kinsight.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry, AuditSubject


@dataclass
class ChainBreak:
    municipality_id: int
    seq: int
    reason: str


def _batches(municipality_id, batch_size):
    """(entry, [(subject municipality, person id)]) in seq order, two queries a batch."""
    last_seq = 0
    while True:
        batch = list(
            AuditEntry.objects.filter(municipality_id=municipality_id, seq__gt=last_seq).order_by(
                "seq"
            )[:batch_size]
        )
        if not batch:
            return
        subjects = defaultdict(list)
        rows = AuditSubject.objects.filter(
            entry__municipality_id=municipality_id,
            entry__seq__gt=last_seq,
            entry__seq__lte=batch[-1].seq,
        ).values_list("entry_id", "municipality_id", "person_id")
        for entry_id, subject_municipality, person_id in rows:
            subjects[entry_id].append((subject_municipality, person_id))
        for entry in batch:
            yield entry, subjects.get(entry.pk, [])
        last_seq = batch[-1].seq


def verify_chain(municipality_id, batch_size=5000):
    """Walk the chain in order; return the first break, or None if it holds."""
    expected_seq, prev_hash = 1, GENESIS_HASH
    for entry, subjects in _batches(municipality_id, batch_size):
        if entry.seq != expected_seq:
            return ChainBreak(municipality_id, expected_seq, "row missing (gap in sequence)")
        if entry.prev_hash != prev_hash:
            return ChainBreak(municipality_id, entry.seq, "previous hash does not match")
        if any(owner != municipality_id for owner, _person in subjects):
            return ChainBreak(municipality_id, entry.seq, "subject of another municipality")
        if entry.compute_hash([person for _owner, person in subjects]) != entry.hash:
            return ChainBreak(municipality_id, entry.seq, "content does not match its hash")
        expected_seq, prev_hash = expected_seq + 1, entry.hash
    head = AuditChainHead.objects.filter(municipality_id=municipality_id).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return ChainBreak(municipality_id, expected_seq, "rows missing at the end of the chain")
    return None
