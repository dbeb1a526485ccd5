"""Log review (loggranskning) for the log reviewer: the patterns' hits of a window, one
hit with its log rows, the month's samples, and the reviews of a hit or a sample
(written and read here, each audited). Everyone but a log reviewer gets 404."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit import patterns, registry
from kinsight.audit.models import AuditAction, AuditEntry, LogReview, LogSample
from kinsight.audit.queries import (
    ENTRY_TYPE,
    LogPage,
    Row,
    _page,
    describe,
    require_log_reviewer,
)
from kinsight.audit.services import (
    audit_created,
    audit_read_described,
    audit_read_many,
    audit_record,
)
from kinsight.core.models import User

REVIEW_FIELDS = ("pattern", "sample", "actor", "person_id", "outcome", "comment")


@dataclass
class Found:
    """The hits of every pattern in a window."""

    window: patterns.Window
    groups: list[tuple[patterns.Pattern, list[patterns.Hit]]] = field(default_factory=list)


def _person_labels(municipality_id: int, ids: set[int]) -> dict[int, str]:
    kind = registry.person_kind()
    if kind is None or not ids:
        return {}
    persons = kind.model._base_manager.filter(municipality_id=municipality_id, pk__in=ids)
    return {p.pk: registry.person_text(p) for p in persons}


def _name(hits: list[patterns.Hit], municipality_id: int) -> None:
    """Readers and persons named for the page: two queries for every hit shown, and
    one for which hits are reviewed already."""
    actors = User.objects.filter(
        municipality_id=municipality_id, pk__in={h.actor_id for h in hits}
    ).in_bulk()
    persons = _person_labels(municipality_id, {h.person_id for h in hits if h.person_id})
    reviewed = set(
        LogReview.objects.filter(
            municipality_id=municipality_id, hit_key__in=[h.key for h in hits]
        ).values_list("hit_key", flat=True)
    )
    for hit in hits:
        hit.actor = actors.get(hit.actor_id)
        hit.person_label = persons.get(hit.person_id or 0, "")
        hit.reviewed = hit.key in reviewed


def pattern_hits(*, actor: User, first: datetime.date, last: datetime.date) -> Found:
    """Every pattern's hits from ``first`` to ``last`` (whole days); a query per
    pattern. Audited as a read of the log naming the persons of the hits."""
    municipality_id = require_log_reviewer(actor)
    found = Found(patterns.Window.days(municipality_id, first, last))
    for pattern in patterns.all_patterns():
        found.groups.append((pattern, patterns.find(pattern, found.window)))
    hits = [hit for _pattern, group in found.groups for hit in group]
    _name(hits, municipality_id)
    audit_read_described(
        actor=actor,
        object_type=ENTRY_TYPE,
        changes={
            "patterns": {p.key: len(group) for p, group in found.groups},
            "start": first.isoformat(),
            "end": last.isoformat(),
        },
        subjects=sorted({h.person_id for h in hits if h.person_id}),
    )
    return found


@dataclass
class HitView:
    hit: patterns.Hit
    page: LogPage
    reviews: list[LogReview]


def _hit_of(
    actor: User, key: str, actor_id: int, person_id: int, bucket: str
) -> tuple[patterns.Hit, QuerySet[AuditEntry]]:
    municipality_id = require_log_reviewer(actor)
    pattern = patterns.get(key)
    reader = User.objects.filter(municipality_id=municipality_id, pk=actor_id).first()
    if reader is None:
        raise Http404
    entries = patterns.hit_entries(pattern, municipality_id, actor_id, person_id or None, bucket)
    window = patterns.bucket_window(municipality_id, bucket)
    hit = patterns.Hit(
        pattern, actor_id, person_id or None, bucket, 0, 0, window.start, window.end, actor=reader
    )
    return hit, entries


def hit_get(
    *, actor: User, pattern: str, actor_id: int, person_id: int, bucket: str, page_number: Any
) -> HitView:
    """One hit: its log rows (50 a page) and its reviews. Audited as a read of the rows
    shown, naming their persons."""
    hit, entries = _hit_of(actor, pattern, actor_id, person_id, bucket)
    municipality_id = require_log_reviewer(actor)
    page = _page(entries, page_number)
    hit.reads = page.paginator.count
    hit.person_label = _person_labels(municipality_id, {person_id}).get(person_id, "")
    reviews = list(
        LogReview.objects.visible_to(actor, "view")
        .filter(hit_key=hit.key)
        .select_related("reviewer")
    )
    _audit_rows(actor, page, hit=hit.key)
    page.rows = describe(page.object_list, municipality_id)
    return HitView(hit, page, reviews)


def _audit_rows(actor: User, page: LogPage, **extra: Any) -> None:
    """The log rows shown, as one list read (the persons of the rows named)."""
    rows = list(page.object_list)
    if not rows:
        return
    ids = [e.pk for e in rows]
    subjects = registry.persons_of(ENTRY_TYPE, ids, require_log_reviewer(actor))
    audit_read_many(actor=actor, objects=rows, object_type=ENTRY_TYPE, subjects=subjects, **extra)


def _check(outcome: str, comment: str) -> None:
    from kinsight.audit.models import ReviewOutcome

    errors = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = _("Välj en bedömning.")
    if outcome != ReviewOutcome.IN_ORDER and not comment.strip():
        errors["comment"] = _(
            "Skriv en kommentar när något inte är i sin ordning eller ska följas upp."
        )
    if errors:
        raise ValidationError(errors)


def review_hit_create(
    *,
    actor: User,
    pattern: str,
    actor_id: int,
    person_id: int,
    bucket: str,
    outcome: str,
    comment: str,
) -> LogReview:
    """The review of one hit, with the hit's rows (their ids) as they were; audited."""
    municipality_id = require_log_reviewer(actor)
    hit, entries = _hit_of(actor, pattern, actor_id, person_id, bucket)
    _check(outcome, comment)
    ids = list(entries.values_list("pk", flat=True)[: patterns.ENTRIES_KEPT])
    if not ids:
        raise Http404
    with transaction.atomic():
        review = LogReview.objects.create(
            municipality_id=municipality_id,
            pattern=pattern,
            hit_key=hit.key,
            actor_id=actor_id,
            person_id=hit.person_id,
            window_start=hit.first_at,
            window_end=hit.last_at,
            entry_ids=ids,
            outcome=outcome,
            comment=comment,
            reviewer=actor,
            reviewed_at=timezone.now(),
        )
        return audit_created(actor, review, REVIEW_FIELDS, entry_ids=ids)


# Samples -------------------------------------------------------------------------------


def samples_of_month(*, actor: User, month: datetime.date) -> list[LogSample]:
    """The month's samples with their units and reviews (two queries; no personal
    data: counts only)."""
    require_log_reviewer(actor)
    samples = LogSample.objects.visible_to(actor, "view").filter(month=month.replace(day=1))
    return list(samples.select_related("unit").prefetch_related("reviews").order_by("unit__name"))


@dataclass
class SampleView:
    sample: LogSample
    page: LogPage
    reviews: list[LogReview]


def sample_get(*, actor: User, pk: int, page_number: Any) -> SampleView:
    municipality_id = require_log_reviewer(actor)
    sample = (
        LogSample.objects.visible_to(actor, "view").select_related("unit").filter(pk=pk).first()
    )
    if sample is None:
        raise Http404
    from kinsight.audit.sampling import month_bounds

    start, end = month_bounds(sample.month)
    entries = AuditEntry.objects.filter(
        municipality_id=municipality_id, pk__in=sample.entry_ids, at__gte=start, at__lt=end
    )
    page = _page(entries.order_by("-seq"), page_number)
    _audit_rows(actor, page, sample=sample.pk)
    page.rows = describe(page.object_list, municipality_id)
    reviews = list(sample.reviews.select_related("reviewer"))
    return SampleView(sample, page, reviews)


def review_sample_create(
    *, actor: User, sample: LogSample, outcome: str, comment: str
) -> LogReview:
    """The review of a month's sample of one unit; audited."""
    from kinsight.audit.sampling import month_bounds

    municipality_id = require_log_reviewer(actor)
    _check(outcome, comment)
    start, end = month_bounds(sample.month)
    with transaction.atomic():
        review = LogReview.objects.create(
            municipality_id=municipality_id,
            sample=sample,
            window_start=start,
            window_end=end,
            entry_ids=sample.entry_ids,
            outcome=outcome,
            comment=comment,
            reviewer=actor,
            reviewed_at=timezone.now(),
        )
        return audit_created(actor, review, REVIEW_FIELDS)


# Reviews -------------------------------------------------------------------------------


def reviews(*, actor: User, filters: Mapping[str, Any]) -> QuerySet[LogReview]:
    """The reviews, newest first, filtered by outcome, kind (a pattern or "sample"),
    reviewer and period (whole days of the review)."""
    require_log_reviewer(actor)
    rows = LogReview.objects.visible_to(actor, "view").select_related(
        "actor", "reviewer", "sample__unit"
    )
    if filters.get("outcome"):
        rows = rows.filter(outcome=filters["outcome"])
    kind = filters.get("kind")
    if kind == "sample":
        rows = rows.filter(sample__isnull=False)
    elif kind:
        rows = rows.filter(pattern=kind)
    if filters.get("reviewer"):
        rows = rows.filter(reviewer__username=filters["reviewer"])
    if filters.get("start"):
        rows = rows.filter(
            reviewed_at__gte=patterns.Window.days(0, filters["start"], filters["start"]).start
        )
    if filters.get("end"):
        rows = rows.filter(
            reviewed_at__lt=patterns.Window.days(0, filters["end"], filters["end"]).end
        )
    return rows.order_by("-reviewed_at", "-pk")


def audit_reviews(*, actor: User, rows: list[LogReview]) -> None:
    """A page of reviews names persons (a hit's person): a list read."""
    audit_read_many(
        actor=actor,
        objects=rows,
        object_type="audit.logreview",
        subjects=sorted({r.person_id for r in rows if r.person_id}),
    )


@dataclass
class ReviewView:
    review: LogReview
    rows: list[Row]
    person_label: str
    page: LogPage | None = None


def review_get(
    *, actor: User, pk: int, page_number: Any = None, export: bool = False
) -> ReviewView:
    """One review with the rows it covers (50 a page; for the PDF all it keeps);
    audited as a read, or as an export, naming the rows shown and the review's person."""
    municipality_id = require_log_reviewer(actor)
    reviews = LogReview.objects.visible_to(actor, "view")
    review = reviews.select_related("actor", "reviewer", "sample__unit").filter(pk=pk).first()
    if review is None:
        raise Http404
    entries = AuditEntry.objects.filter(
        municipality_id=municipality_id, pk__in=review.entry_ids, at__gte=review.window_start
    ).order_by("-seq")
    page = None if export else _page(entries, page_number)
    shown = list(page.object_list) if page else list(entries.select_related("actor"))
    label = _person_labels(municipality_id, {review.person_id} if review.person_id else set())
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT if export else AuditAction.READ,
            obj=review,
            changes={"entries": [str(e.pk) for e in shown]},
            subjects=[review.person_id] if review.person_id else [],
        )
    rows = describe(shown, municipality_id)
    if page:
        page.rows = rows
    return ReviewView(review, rows, label.get(review.person_id or 0, ""), page)
