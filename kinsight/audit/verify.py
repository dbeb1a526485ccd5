"""Checking the audit chain of a municipality."""

from dataclasses import dataclass

from kinsight.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


@dataclass
class ChainBreak:
    municipality_id: int
    seq: int
    reason: str


def verify_chain(municipality_id, batch_size=5000):
    """Walk the chain in order; return the first break, or None if it holds."""
    expected_seq, prev_hash = 1, GENESIS_HASH
    entries = (
        AuditEntry.objects.filter(municipality_id=municipality_id)
        .order_by("seq")
        .iterator(chunk_size=batch_size)
    )
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(municipality_id, expected_seq, "row missing (gap in sequence)")
        if entry.prev_hash != prev_hash:
            return ChainBreak(municipality_id, entry.seq, "previous hash does not match")
        if entry.compute_hash() != entry.hash:
            return ChainBreak(municipality_id, entry.seq, "content does not match its hash")
        expected_seq, prev_hash = expected_seq + 1, entry.hash
    head = AuditChainHead.objects.filter(municipality_id=municipality_id).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return ChainBreak(municipality_id, expected_seq, "rows missing at the end of the chain")
    return None
