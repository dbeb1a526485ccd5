"""Patterns worth a look (loggranskning): queries over the log of a bounded window
that find reads a log reviewer should look at. Each pattern is a ``Pattern``: the
reads it matches (``AuditSubject`` rows: one per read record and person) and how its
hits are grouped, a hit per user, person and day, or per user and clock hour.

What counts as a read here: a read of one record (a person, a case, a note …) by a
member of staff; list reads (search results, lists: ``object_id`` "*") only show
names and are left out, as are the log reviewer's own reads of the log.

The audit app registers the patterns that need only the log (many persons in a short
time, reads outside working hours); the people app registers those that need the
persons and their access (protected identities, outside the user's units,
colleagues, the user's own surname) from its ``AppConfig.ready()``
(kinsight/people/log_patterns.py), so this lower app names none of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import holidays
from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate, TruncHour
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kinsight.audit.models import AuditAction, AuditEntry, AuditSubject

DEFAULT_DAYS = 7
MAX_DAYS = 92  # a window longer than a quarter is refused: the queries stay bounded
HITS_SHOWN = 50  # per pattern, the most persons and reads first
ENTRIES_KEPT = 500  # entry ids a review keeps of its hit


def many_persons_threshold() -> int:
    """Different persons one user reads within one clock hour that make a hit."""
    return int(getattr(settings, "KINSIGHT_LOG_REVIEW_MANY_PERSONS", 20))


def working_hours() -> tuple[int, int]:
    """(first hour, hour the day ends), Swedish time, weekdays: 7–18 by default."""
    start = getattr(settings, "KINSIGHT_LOG_REVIEW_WORKDAY_START", 7)
    return int(start), int(getattr(settings, "KINSIGHT_LOG_REVIEW_WORKDAY_END", 18))


@dataclass(frozen=True)
class Window:
    """A municipality's log from ``start`` up to (not including) ``end``."""

    municipality_id: int
    start: datetime.datetime
    end: datetime.datetime

    @classmethod
    def days(cls, municipality_id: int, first: datetime.date, last: datetime.date) -> Window:
        """Whole days, Swedish time, ``first`` to ``last`` included."""
        return cls(municipality_id, _midnight(first), _midnight(last + datetime.timedelta(1)))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last seven days, today included."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def reads(window: Window) -> QuerySet[AuditSubject]:
    """Every person a read of one record in the window concerns, with its reader."""
    return AuditSubject.objects.filter(
        municipality_id=window.municipality_id,
        at__gte=window.start,
        at__lt=window.end,
        entry__action=AuditAction.READ,
        entry__actor__isnull=False,
    ).exclude(entry__object_id="*")


@dataclass(frozen=True)
class Pattern:
    key: str
    title: str | Promise
    explain: str | Promise
    matches: Callable[[Window], QuerySet[AuditSubject]]
    order: int = 50
    by_hour: bool = False  # a hit per user and clock hour, not per user, person and day
    threshold: Callable[[], int] | None = None  # fewest different persons in a hit


_patterns: dict[str, Pattern] = {}


def register(pattern: Pattern) -> None:
    _patterns[pattern.key] = pattern


def all_patterns() -> list[Pattern]:
    return sorted(_patterns.values(), key=lambda p: (p.order, p.key))


def get(key: str) -> Pattern:
    if key not in _patterns:
        raise Http404
    return _patterns[key]


@dataclass
class Hit:
    pattern: Pattern
    actor_id: int
    person_id: int | None
    bucket: str  # the day "2026-11-30", or the hour "2026-11-30T14"
    reads: int
    persons: int
    first_at: datetime.datetime
    last_at: datetime.datetime
    actor: Any = None
    person_label: str = ""
    reviewed: bool = False

    @property
    def key(self) -> str:
        return hit_key(self.pattern.key, self.actor_id, self.person_id, self.bucket)

    @property
    def url_args(self) -> list[Any]:
        return [self.pattern.key, self.actor_id, self.person_id or 0, self.bucket]


def hit_key(pattern: str, actor_id: int, person_id: int | None, bucket: str) -> str:
    return f"{pattern}:{actor_id}:{person_id or 0}:{bucket}"


def _bucket_text(value: Any, by_hour: bool) -> str:
    if by_hour:
        return timezone.localtime(value).strftime("%Y-%m-%dT%H")
    return value.isoformat()


def bucket_window(municipality_id: int, bucket: str) -> Window:
    """The day or the clock hour a hit's bucket names (404 for anything else)."""
    try:
        if "T" in bucket:
            start = timezone.make_aware(datetime.datetime.strptime(bucket, "%Y-%m-%dT%H"))
            return Window(municipality_id, start, start + datetime.timedelta(hours=1))
        day = datetime.date.fromisoformat(bucket)
    except ValueError:
        raise Http404 from None
    return Window.days(municipality_id, day, day)


def find(pattern: Pattern, window: Window) -> list[Hit]:
    """The pattern's hits in the window: one grouped query."""
    bucket = TruncHour("at") if pattern.by_hour else TruncDate("at")
    groups = (
        ["entry__actor_id", "bucket"]
        if pattern.by_hour
        else ["entry__actor_id", "person_id", "bucket"]
    )
    rows = (
        pattern.matches(window)
        .annotate(bucket=bucket)
        .order_by()
        .values(*groups)
        .annotate(
            reads=Count("entry_id", distinct=True),
            persons=Count("person_id", distinct=True),
            first_at=Min("at"),
            last_at=Max("at"),
        )
    )
    if pattern.threshold is not None:
        rows = rows.filter(persons__gte=pattern.threshold())
    rows = rows.order_by("-persons", "-reads", "first_at")[:HITS_SHOWN]
    return [
        Hit(
            pattern=pattern,
            actor_id=row["entry__actor_id"],
            person_id=row.get("person_id"),
            bucket=_bucket_text(row["bucket"], pattern.by_hour),
            reads=row["reads"],
            persons=row["persons"],
            first_at=row["first_at"],
            last_at=row["last_at"],
        )
        for row in rows
    ]


def hit_entries(
    pattern: Pattern, municipality_id: int, actor_id: int, person_id: int | None, bucket: str
) -> QuerySet[AuditEntry]:
    """The log rows of one hit, newest first (none when the hit is not there)."""
    window = bucket_window(municipality_id, bucket)
    matched = pattern.matches(window).filter(entry__actor_id=actor_id)
    if person_id and not pattern.by_hour:
        matched = matched.filter(person_id=person_id)
    entries = AuditEntry.objects.filter(
        municipality_id=municipality_id, at__gte=window.start, at__lt=window.end
    )
    return entries.filter(pk__in=matched.values("entry_id")).order_by("-seq")


# The patterns that need only the log -------------------------------------------------


def _many_persons(window: Window) -> QuerySet[AuditSubject]:
    return reads(window)


def days_off(first_year: int, last_year: int) -> set[datetime.date]:
    """Swedish public holidays (the holidays library's calendar, without its Sundays)
    and the eves that are days off in practice: midsommarafton (the Friday from 19 June),
    julafton and nyårsafton."""
    years = range(first_year, last_year + 1)
    found = set(holidays.Sweden(years=years, include_sundays=False))
    for year in years:
        june_19 = datetime.date(year, 6, 19)
        found |= {
            june_19 + datetime.timedelta((4 - june_19.weekday()) % 7),
            datetime.date(year, 12, 24),
            datetime.date(year, 12, 31),
        }
    return found


def _off_hours(window: Window) -> QuerySet[AuditSubject]:
    """Weekends (Saturday, Sunday), public holidays and their eves (``days_off``), and
    weekdays before the first working hour or from the hour the day ends, Swedish time
    (06:59 and 18:00 are outside, 07:00 inside)."""
    start, end = working_hours()
    off = days_off(timezone.localtime(window.start).year, timezone.localtime(window.end).year)
    rows = reads(window).annotate(
        local_hour=ExtractHour("at"),
        local_weekday=ExtractIsoWeekDay("at"),
        local_day=TruncDate("at"),
    )
    return rows.filter(
        Q(local_weekday__gte=6)
        | Q(local_day__in=off)
        | Q(local_hour__lt=start)
        | Q(local_hour__gte=end)
    )


register(
    Pattern(
        key="many_persons",
        title=_("Många personer på kort tid"),
        explain=_(
            "En användare har läst uppgifter om minst så många olika personer som "
            "inställningen anger inom samma klocktimme."
        ),
        matches=_many_persons,
        order=10,
        by_hour=True,
        threshold=many_persons_threshold,
    )
)
register(
    Pattern(
        key="off_hours",
        title=_("Läsningar utanför arbetstid"),
        explain=_(
            "Läsningar på lördagar, söndagar och helgdagar (även midsommar-, jul- och "
            "nyårsafton) och på vardagar före och efter arbetstiden som inställningen "
            "anger (svensk tid)."
        ),
        matches=_off_hours,
        order=40,
    )
)
