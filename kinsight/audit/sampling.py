"""The monthly random sample per unit for the routine check of the log (docs/
permissions.md, "Log review"): for each unit, the log rows of the month written by
its members (a membership in the unit during the month), a fixed number drawn at
random, seeded by municipality, unit and month, so the same population gives the
same sample; once drawn, a sample is kept (``LogSample``) and never drawn again."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.audit.models import AuditAction, AuditEntry, LogSample
from kinsight.audit.queries import require_log_reviewer
from kinsight.audit.services import audit_record
from kinsight.core.models import Membership, NodeKind, OrgUnit, User


def sample_size() -> int:
    return int(getattr(settings, "KINSIGHT_LOG_REVIEW_SAMPLE_SIZE", 10))


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first moment and the next month's, Swedish time."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.datetime.combine(first, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(following, datetime.time.min)),
    )


def previous_month(today: datetime.date | None = None) -> datetime.date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def draw(
    municipality_id: int, unit_id: int, month: datetime.date, population: list[int]
) -> list[int]:
    """The sample of ``population`` (entry ids): the same for the same municipality,
    unit, month and population, whoever draws it and whenever."""
    chooser = random.Random(f"{municipality_id}:{unit_id}:{month:%Y-%m}")  # noqa: S311 - a sample, not a secret
    ordered = sorted(population)
    return sorted(chooser.sample(ordered, min(sample_size(), len(ordered))))


def _members(unit: OrgUnit, month: datetime.date) -> list[int]:
    first = month.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    rows = Membership.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=last),
        Q(valid_to__isnull=True) | Q(valid_to__gte=first),
        unit=unit,
    )
    return sorted(set(rows.values_list("user_id", flat=True)))


def _population(unit: OrgUnit, month: datetime.date) -> list[int]:
    """The month's log rows written by the unit's members: read along the index
    (municipality, actor, at)."""
    start, end = month_bounds(month)
    rows = AuditEntry.objects.filter(
        municipality_id=unit.municipality_id,
        actor_id__in=_members(unit, month),
        at__gte=start,
        at__lt=end,
    )
    return list(rows.values_list("pk", flat=True))


def sample_draw(*, actor: User, month: datetime.date) -> list[LogSample]:
    """Draw the month's sample for every unit not drawn yet; the month must be over.
    Audited as the creation of each sample."""
    municipality_id = require_log_reviewer(actor)
    month = month.replace(day=1)
    if month >= timezone.localdate().replace(day=1):
        raise ValidationError(_("Stickprov dras för en månad som är slut. Välj en tidigare månad."))
    units = OrgUnit.objects.filter(municipality_id=municipality_id, kind=NodeKind.UNIT)
    drawn = set(
        LogSample.objects.filter(municipality_id=municipality_id, month=month).values_list(
            "unit_id", flat=True
        )
    )
    made = []
    with transaction.atomic():
        for unit in units.exclude(pk__in=drawn).order_by("name"):
            population = _population(unit, month)
            sample = LogSample.objects.create(
                municipality_id=municipality_id,
                unit=unit,
                month=month,
                population=len(population),
                entry_ids=draw(municipality_id, unit.pk, month, population),
                drawn_by=actor,
                drawn_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=sample,
                changes={
                    "unit": [None, unit.pk],
                    "month": [None, f"{month:%Y-%m}"],
                    "entry_ids": [None, sample.entry_ids],
                },
            )
            made.append(sample)
    return made
