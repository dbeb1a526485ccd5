"""Reads of the audit log, for log reviewers only (everyone else gets 404).

- entry_page: the whole log, filtered, newest first.
- person_search / person_get: the person whose log is asked for. The log reviewer may
  find any person of the municipality: reviewing who saw a person needs no case. The
  person model is the one registered in kinsight/audit/registry.py.
- person_log_page: every row that concerns one person (AuditSubject), list reads
  included, newest first.
Each page is itself logged; each row is shown with a human-readable name of its object
and the units its actor belonged to that day (describe).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import F, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kinsight.access.roles import ids_under
from kinsight.audit import registry
from kinsight.audit.models import (
    AuditAction,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
    AuditSubject,
)
from kinsight.audit.services import audit_read_many, audit_record
from kinsight.core.models import Membership, OrgUnit, User

PAGE_SIZE = 50
ENTRY_TYPE = "audit.auditentry"


def require_log_reviewer(user: User) -> int:
    """The municipality whose log ``user`` reviews; 404 for anyone but a log reviewer."""
    if not user.is_log_reviewer or user.municipality_id is None:
        raise Http404
    return user.municipality_id


@dataclass
class Row:
    entry: AuditEntry
    label: str
    units: list[str] = field(default_factory=list)


class LogPage(Page):
    """A page of the log: its entries, and each as a Row (``describe``)."""

    rows: list[Row]


def _actor_units(entries: list[AuditEntry], municipality_id: int) -> dict[int, list[str]]:
    """{entry.pk: [unit names]}: the units the actor belonged to on the entry's day
    (one query for all actors on the page)."""
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    memberships: defaultdict[int, list[Membership]] = defaultdict(list)
    rows = Membership.objects.filter(municipality_id=municipality_id, user_id__in=actor_ids)
    for membership in rows.select_related("unit").order_by("unit__name"):
        memberships[membership.user_id].append(membership)
    units: dict[int, list[str]] = {}
    for entry in entries:
        day = timezone.localdate(entry.at)
        names = [
            m.unit.name
            for m in (memberships.get(entry.actor_id, []) if entry.actor_id else [])
            if (m.valid_from is None or m.valid_from <= day)
            and (m.valid_to is None or m.valid_to >= day)
        ]
        units[entry.pk] = list(dict.fromkeys(names))
    return units


def describe(entries: Iterable[AuditEntry], municipality_id: int) -> list[Row]:
    """The page's rows with names for their objects and their actors' units; a
    constant number of queries (one per object type on the page, one for units)."""
    rows = list(entries)
    labels = registry.labels(rows, municipality_id)
    units = _actor_units(rows, municipality_id)
    return [Row(e, labels[e.pk], units[e.pk]) for e in rows]


def _page(entries: QuerySet[AuditEntry], page_number: Any, count: int | None = None) -> LogPage:
    """``count``: the number of rows when the caller knows it more cheaply."""
    paginator = Paginator(entries.select_related("actor"), PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    page = paginator.get_page(page_number)
    return LogPage(list(page.object_list), page.number, paginator)


def _since(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_period(
    entries: QuerySet[AuditEntry],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    action: str = "",
    **_other: Any,
) -> QuerySet[AuditEntry]:
    """Rows from ``start`` to ``end`` (whole days, Swedish time) with ``action``."""
    if start:
        entries = entries.filter(at__gte=_since(start))
    if end:
        entries = entries.filter(at__lt=_since(end + datetime.timedelta(days=1)))
    if action:
        entries = entries.filter(action=action)
    return entries


def _kept_rows(municipality_id: int) -> int:
    """The gap-free chain's length from its head, less the rows of removed months (the
    last checkpoint's seq), in one query."""
    checkpoints = AuditCheckpoint.objects.filter(municipality_id=OuterRef("municipality_id"))
    removed = checkpoints.order_by("-month").values("last_seq")[:1]
    head = AuditChainHead.objects.filter(municipality_id=municipality_id)
    head = head.annotate(kept=F("last_seq") - Coalesce(Subquery(removed), 0))
    return head.values_list("kept", flat=True).first() or 0


def _page_subjects(entries: Iterable[AuditEntry], municipality_id: int) -> list[int]:
    """The persons the page's single-object rows concern: their subjects, read by the
    rows' ids between the page's first and last time, so that PostgreSQL reads only
    the months the page spans (both tables are partitioned by month)."""
    shown = [e for e in entries if e.object_id != "*"]
    if not shown:
        return []
    times = [e.at for e in shown]
    subjects = AuditSubject.objects.filter(
        municipality_id=municipality_id,
        entry_id__in=[e.pk for e in shown],
        at__gte=min(times),
        at__lte=max(times),
    )
    return sorted(set(subjects.values_list("person_id", flat=True)))


PERSONS_MATCHED = 100  # the persons a name in the log's filter may match


def _unit_members(unit: OrgUnit) -> QuerySet[Any]:
    """Everyone with a membership, at any time, in ``unit`` or a node under it."""
    nodes = ids_under(unit)
    members = Membership.objects.filter(municipality_id=unit.municipality_id, unit_id__in=nodes)
    return members.values("user_id")


def _about_persons(
    actor: User, municipality_id: int, filters: Mapping[str, Any]
) -> QuerySet[Any] | None:
    """The rows about the persons the filter names: by id (a pattern's hit), or
    matching a number or a name (as the log reviewer's person search); None without."""
    if filters.get("person"):
        return AuditSubject.objects.filter(
            municipality_id=municipality_id, person_id=filters["person"]
        ).values("entry_id")
    if not filters.get("person_text"):
        return None
    search = _person_kind().search
    if search is None:  # pragma: no cover - the people app registers it
        raise Http404
    persons = search(actor.municipality, filters["person_text"])
    matched = persons.order_by().values("pk")[:PERSONS_MATCHED]
    return AuditSubject.objects.filter(
        municipality_id=municipality_id, person_id__in=list(matched.values_list("pk", flat=True))
    ).values("entry_id")


def entry_page(*, actor: User, filters: Mapping[str, Any], page_number: Any) -> LogPage:
    """The log, newest first, filtered by user, unit (its members' rows), person,
    period, action and object."""
    municipality_id = require_log_reviewer(actor)
    entries: QuerySet[AuditEntry] = AuditEntry.objects.visible_to(actor, "view")
    if filters.get("actor"):
        entries = entries.filter(actor__username=filters["actor"])
    if filters.get("unit"):
        entries = entries.filter(actor_id__in=_unit_members(filters["unit"]))
    about = _about_persons(actor, municipality_id, filters)
    if about is not None:
        entries = entries.filter(pk__in=about)
    entries = filter_period(entries, **filters)
    for name in ("object_type", "object_id"):
        if filters.get(name):
            entries = entries.filter(**{name: filters[name]})
    count = None if any(filters.values()) else _kept_rows(municipality_id)
    page = _page(entries.order_by("-seq"), page_number, count)
    subjects = _page_subjects(page.object_list, municipality_id)
    audit_read_many(
        actor=actor, objects=page.object_list, object_type=ENTRY_TYPE, subjects=subjects
    )
    page.rows = describe(page.object_list, municipality_id)
    return page


def _person_kind() -> registry.Kind:
    kind = registry.person_kind()
    if kind is None:  # pragma: no cover - the people app registers it
        raise Http404
    return kind


def person_search(*, actor: User, text: str, page_number: Any) -> Page[Any]:
    """Persons of the actor's municipality matching a number or a name, audited as
    a list read (the log reviewer sees their names)."""
    require_log_reviewer(actor)
    search = _person_kind().search
    if search is None:  # pragma: no cover - the people app registers it
        raise Http404
    persons = search(actor.municipality, text).order_by("last_name", "first_name", "pk")
    page = Paginator(persons, PAGE_SIZE).get_page(page_number)
    audit_read_many(actor=actor, objects=page.object_list, object_type=registry.PERSON_TYPE)
    return page


def person_get(*, actor: User, pk: int) -> Model:
    municipality_id = require_log_reviewer(actor)
    rows = _person_kind().model._base_manager.filter(municipality_id=municipality_id, pk=pk)
    person = rows.first()
    if person is None:
        raise Http404
    return person


def person_log_page(
    *, actor: User, person: Model, filters: Mapping[str, Any] | None, page_number: Any
) -> LogPage:
    """Every row about ``person``, newest first. Within a municipality entry ids grow
    with seq (rows are inserted under the chain head's lock), so the page is read
    backwards along the index (municipality, person, entry) and stops after 50 rows;
    unfiltered, the count reads that index alone. Logged as a read of the rows shown,
    naming the person, also when none are."""
    municipality_id = require_log_reviewer(actor)
    subjects = AuditSubject.objects.filter(municipality_id=municipality_id, person_id=person.pk)
    entries = AuditEntry.objects.visible_to(actor, "view").filter(
        subjects__municipality_id=municipality_id, subjects__person_id=person.pk
    )
    # ``filters`` None: the filters were invalid, show nothing until they are fixed.
    shown = entries.none() if filters is None else filter_period(entries, **filters)
    unfiltered = filters is not None and not any(filters.values())
    count = subjects.count() if unfiltered else None
    page = _page(shown.order_by("-subjects__entry_id"), page_number, count)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            object_type=ENTRY_TYPE,
            object_id=registry.LIST_ID,
            changes={"ids": [str(e.pk) for e in page.object_list], "person": person.pk},
            subjects=[person.pk],
        )
    page.rows = describe(page.object_list, municipality_id)
    return page


def person_access(*, actor: User, person: Model) -> list[Any]:
    """Who may see ``person`` now and why (the kept access grants), for the log
    reviewer's page of the person; read as part of that page's audited read."""
    require_log_reviewer(actor)
    kind = registry.person_kind()
    return kind.access(person) if kind and kind.access else []
