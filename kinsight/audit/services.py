"""Writing the audit log. Every service that reads personal data or writes calls
``audit_record`` inside its own ``transaction.atomic``: the row commits or rolls back
with the change it describes."""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.forms.models import model_to_dict

from kinsight.audit import append, context, registry
from kinsight.audit.models import AuditAction, AuditEntry

if TYPE_CHECKING:
    from kinsight.core.models import User

# Who acted: a member of staff; anonymous or nobody for a failed sign-in or a command.
Actor: TypeAlias = "User | AnonymousUser | None"
# A row ready to append: the entry and the ids of the persons it concerns.
Row = tuple[AuditEntry, list[int]]
_M = TypeVar("_M", bound=models.Model)


class AuditOutsideTransaction(RuntimeError):
    pass


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def object_label(obj: models.Model) -> str:
    return obj._meta.label_lower


def _prepare(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None,
    municipality_id: int | None,
    object_type: str,
    object_id: str,
    changes: dict[str, Any] | None,
    subjects: Iterable[int] | None,
) -> Row:
    """The row to append, without its place in the chain (seq, prev_hash, hash), and
    the ids of the persons it concerns."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if obj is not None:
        object_type = object_label(obj)
        object_id = str(obj.pk)
        municipality_id = municipality_id or getattr(obj, "municipality_id", None)
    municipality_id = municipality_id or getattr(actor, "municipality_id", None)
    if municipality_id is None:
        raise ValueError("an audit row needs a municipality")
    changes = _json_safe(changes or {})
    if subjects is None and obj is not None:
        subjects = registry.persons_in_memory(object_type, [obj])
    if subjects is None:
        ids = registry.entry_ids(str(object_id), changes)
        subjects = registry.persons_of(object_type, ids, municipality_id)
    persons = sorted({int(person_id) for person_id in subjects})
    if action == AuditAction.READ:
        changes = _emergency_marked(actor, changes, persons)
    entry = AuditEntry(
        municipality_id=municipality_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=changes,
        request_id=context.request_id.get(),
        client_ip=context.client_ip.get(),
    )
    return entry, persons


def _emergency_marked(actor: Actor, changes: dict[str, Any], persons: list[int]) -> dict[str, Any]:
    """A read about a person the actor sees through an emergency access (break the
    glass) names the access in ``changes`` (``emergency_access``: [access ids]), so the
    row says it, and the hash covers it."""
    marks = context.emergency_for(getattr(actor, "pk", None))
    used = sorted({marks[person] for person in persons if person in marks})
    return {**changes, "emergency_access": used} if used else changes


def _append(rows: list[Row]) -> list[AuditEntry]:
    """Append prepared ``rows`` [(entry, subjects)] of one municipality to its chain in
    the caller's transaction: lock the head, insert the entries and their subjects,
    move the head (kinsight/audit/append.py: two statements under the lock on
    PostgreSQL however many rows)."""
    return append.append(rows)


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    municipality_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
    subjects: Iterable[int] | None = None,
) -> AuditEntry:
    """Append one row to the municipality's chain. Must run inside the caller's
    transaction so the row and the change commit together.

    ``subjects``: the ids of the persons the row concerns; by default they are looked
    up from the object(s) through the registry (kinsight/audit/registry.py), in one
    query, and stored as AuditSubject rows in one insert."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit_record must run inside transaction.atomic")
    row = _prepare(
        actor=actor,
        action=action,
        obj=obj,
        municipality_id=municipality_id,
        object_type=object_type,
        object_id=object_id,
        changes=changes,
        subjects=subjects,
    )
    return _append([row])[0]


# The reads of the request under way (a list), when it collects them: see reads_batch.
_pending_reads: contextvars.ContextVar[list[Row] | None] = contextvars.ContextVar(
    "kinsight_pending_reads", default=None
)


@contextlib.contextmanager
def reads_batch() -> Iterator[None]:
    """Collect the audited reads (audit_read, audit_read_many) made inside, and write
    them together at the end: one lock of the chain head and one insert of all rows,
    instead of a transaction per read. The caller must show nothing read inside before
    the block has ended: AuditReadsMiddleware wraps a page's whole view, template
    included, so a page leaves the server only after its rows are committed, and not
    at all if they cannot be. Rows are written also when the view failed (they were
    read). Writes (audit_record) are never collected: they commit with their change."""
    if _pending_reads.get() is not None:
        yield
        return
    pending: list[Row] = []
    token = _pending_reads.set(pending)
    try:
        yield
    finally:
        _pending_reads.reset(token)
        _write_reads(pending)


def _write_reads(rows: list[Row]) -> None:
    by_municipality: dict[int, list[Row]] = {}
    for row in rows:
        by_municipality.setdefault(row[0].municipality_id, []).append(row)
    for group in by_municipality.values():
        with transaction.atomic(savepoint=False):
            _append(group)


def _read(**facts: Any) -> AuditEntry | None:
    """Record one read now (its own transaction; inside the caller's, when there is
    one, without a savepoint: a read whose row fails fails with it), or with the
    request's other reads when reads_batch collects them."""
    row = _prepare(actor=facts.pop("actor"), action=AuditAction.READ, **facts)
    pending = _pending_reads.get()
    if pending is not None:
        pending.append(row)
        return None
    with transaction.atomic(savepoint=False):
        return _append([row])[0]


def audit_read(*, actor: Actor, obj: models.Model) -> AuditEntry | None:
    """Record that ``actor`` read ``obj`` (a record with personal data)."""
    return _read(
        actor=actor,
        obj=obj,
        municipality_id=None,
        object_type="",
        object_id="",
        changes=None,
        subjects=None,
    )


def audit_read_on_get(request: Any, obj: models.Model) -> None:
    """A form page fetched with GET shows ``obj``: record that read (its POST is a
    write, audited by the service)."""
    if request.method == "GET":
        audit_read(actor=request.user, obj=obj)


def audit_read_many(
    *,
    actor: Actor,
    objects: Iterable[models.Model],
    object_type: str,
    subjects: Iterable[int] | None = None,
    **extra: Any,
) -> AuditEntry | None:
    """Record a list read as one row naming every object shown (``extra``: more facts
    for ``changes``, such as the filters used)."""
    rows = list(objects)
    ids = [str(o.pk) for o in rows]
    if not ids:
        return None
    if subjects is None:
        subjects = registry.persons_in_memory(object_type, rows)
    changes = {"ids": ids, **extra}
    return audit_read_described(
        actor=actor, object_type=object_type, changes=changes, subjects=subjects
    )


def audit_read_described(
    *, actor: Actor, object_type: str, changes: dict[str, Any], subjects: Iterable[int]
) -> AuditEntry | None:
    """Record a read of what is not one object or a list of objects (a page of the log
    review's pattern hits): ``changes`` says what was shown, ``subjects`` whom it named.
    Collected with the request's other reads, as audit_read_many."""
    return _read(
        actor=actor,
        obj=None,
        municipality_id=None,
        object_type=object_type,
        object_id=registry.LIST_ID,
        changes=changes,
        subjects=subjects,
    )


def audit_created(actor: Actor, obj: _M, fields: Collection[str], **extra: Any) -> _M:
    """Record the creation of ``obj``: each of ``fields`` (and ``extra`` values) as
    [None, value]. Returns ``obj``. Call inside the creating transaction."""
    changes = {name: [None, value] for name, value in snapshot(obj, fields).items()}
    changes.update({name: [None, value] for name, value in _json_safe(extra).items()})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=changes)
    return obj


def audit_updated(actor: Actor, obj: _M, changes: dict[str, Any]) -> _M:
    """Record an update of ``obj``: ``changes`` as {field: [before, after]}. Returns
    ``obj``. Call inside the updating transaction."""
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)
    return obj


def snapshot(obj: models.Model, fields: Collection[str]) -> dict[str, Any]:
    return _json_safe(model_to_dict(obj, fields=fields))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
