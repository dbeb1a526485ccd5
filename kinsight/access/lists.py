"""Lists for a page: the rows of a model a user may see, in one query, and the same
written to the audit log as one list read. The one way a query reads the rows of a
kind that belong to one parent (a family work's meetings, a record's steps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model

from kinsight.audit.services import audit_read_many

if TYPE_CHECKING:
    from kinsight.core.models import User

_M = TypeVar("_M", bound=Model)


def visible_list(
    actor: User,
    model: type[_M],
    *,
    related: tuple[str, ...] = (),
    prefetch: tuple[Any, ...] = (),
    order: tuple[str, ...] = (),
    **filters: Any,
) -> list[_M]:
    """The rows of ``model`` the actor may see that match ``filters`` (field lookups),
    with the ``related`` rows joined and the ``prefetch`` ones fetched, in ``order``
    (else the model's own order). Not audited."""
    manager: Any = model._default_manager
    found = manager.visible_to(actor, "view").filter(**filters)
    # Only when named: select_related() and order_by() without names mean "every
    # relation" and "no order".
    if related:
        found = found.select_related(*related)
    if prefetch:
        found = found.prefetch_related(*prefetch)
    if order:
        found = found.order_by(*order)
    return list(found)


def audited_list(actor: User, model: type[_M], **query: Any) -> list[_M]:
    """``visible_list``, audited as one list read naming every row (none when empty)."""
    rows = visible_list(actor, model, **query)
    audit_read_many(actor=actor, objects=rows, object_type=model._meta.label_lower)
    return rows
