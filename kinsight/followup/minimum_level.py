"""The minimum-level figure (miniminivå), computed from the detection records.

For a period ending on ``end`` (the last day of a month, or today for the running
month), per unit:

- children: child records (barn som anhöriga) identified on or before ``end``, under 18
  on ``end``, born by then, whose parent's case was open on ``end`` (opened on or
  before, not closed by then). The unit is the unit of the parent's case
  (ChildRecord.unit). A record is per case: a parent's new case counts its children
  afresh.
- attended: of those, the ones with ``attended_on`` on or before ``end`` (attended =
  the parent talked with and the child informed, or that not applicable; see
  docs/concepts.md).
- expected / expected_attended: expected children (väntade barn) not yet born on
  ``end`` on such cases, and how many of them were attended: counted beside the
  children, never in the share.
- adults: distinct adults (18+ or of unknown age) with an open case in the unit on
  ``end`` (the whole the two below are parts of);
- unknown_parents / unanswered_parents: distinct adults with an open case in the unit
  on ``end`` whose child question had the answer "unknown" / no answer at that time
  (the latest ChildQuestionAnswer before the end of the day; the running month uses
  the current answer on ChildQuestion). A parent with open cases in two units counts
  in each.

This module reads without a user: it is the system computing aggregates (as the
rollup command does). Callers restrict ``unit_ids`` to what the user may see
(MinimumLevelMonth.objects.visible_to / dashboard_units).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinsight.cases.models import Case, CaseStatus
from kinsight.detection.models import Answer, ChildQuestionAnswer, ChildRecord, expected_q


@dataclass
class Figures:
    children: int = 0
    attended: int = 0
    unknown_parents: int = 0
    unanswered_parents: int = 0
    expected: int = 0
    expected_attended: int = 0
    adults: int = 0

    def add(self, other):
        self.children += other.children
        self.attended += other.attended
        self.unknown_parents += other.unknown_parents
        self.unanswered_parents += other.unanswered_parents
        self.expected += other.expected
        self.expected_attended += other.expected_attended
        self.adults += other.adults
        return self

    def add_all(self, others):
        for other in others:
            self.add(other)
        return self

    @property
    def not_attended(self):
        return self.children - self.attended

    @property
    def share(self):
        """Attended share in per cent (None without children)."""
        if not self.children:
            return None
        return round(100 * self.attended / self.children, 1)

    @property
    def is_empty(self):
        return not (
            self.children
            or self.unknown_parents
            or self.unanswered_parents
            or self.expected
            or self.adults
        )


def month_start(day):
    return day.replace(day=1)


def month_end(month):
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first, last):
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def open_on_q(end, prefix=""):
    """Cases open at the end of ``end``. A case marked closed without a date counts as
    closed whenever it is asked about."""
    p = prefix
    return Q(**{f"{p}opened_on__lte": end}) & (
        Q(**{f"{p}closed_on__gt": end})
        | (Q(**{f"{p}closed_on__isnull": True}) & ~Q(**{f"{p}status": CaseStatus.CLOSED}))
    )


def adult_on_q(end, prefix="person__", years=18):
    """``years`` (18) or older on ``end``, or of unknown age (they are asked the child
    question)."""
    p = prefix
    return (
        Q(**{f"{p}birth_date__lte": _years_before(end, years)})
        | Q(**{f"{p}birth_date__isnull": True, f"{p}approximate_birth_year__lte": end.year - years})
        | Q(**{f"{p}birth_date__isnull": True, f"{p}approximate_birth_year__isnull": True})
    )


def child_under_18_q(end):
    return Q(birth_date__gt=_years_before(end, 18)) | Q(
        birth_date__isnull=True, birth_year__gt=end.year - 18
    )


def _end_of_day(end):
    """The first moment after ``end`` in the local time zone (answers before it count)."""
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)


def children_by_unit(*, municipality_id, end, unit_ids=None):
    records = ChildRecord.objects.filter(
        municipality_id=municipality_id, identified_on__lte=end
    ).filter(open_on_q(end, "case__"), child_under_18_q(end))
    if unit_ids is not None:
        records = records.filter(unit_id__in=unit_ids)
    expected, attended = expected_q(end), Q(attended_on__lte=end)
    rows = (
        records.order_by()
        .values("unit_id")
        .annotate(
            children=Count("pk", filter=~expected),
            attended=Count("pk", filter=~expected & attended),
            expected=Count("pk", filter=expected),
            expected_attended=Count("pk", filter=expected & attended),
        )
    )
    return {
        row["unit_id"]: (
            row["children"],
            row["attended"],
            row["expected"],
            row["expected_attended"],
        )
        for row in rows
    }


def answer_on(end, *, field="has_children", live=False):
    """The answer to the child question (``field``: has_children or expecting_child)
    of a case as it stood at the end of ``end``: the latest answer given before then;
    "" when none was (not asked). ``live``: the current answer."""
    question = "child_question__"
    if live:
        return Coalesce(F(f"{question}{field}"), Value(""))
    cutoff = _end_of_day(end)
    latest = (
        ChildQuestionAnswer.objects.filter(question__case_id=OuterRef("pk"), answered_at__lt=cutoff)
        .order_by("-answered_at", "-pk")
        .values(field)[:1]
    )
    # Rows made without an answer history fall back to the current answer when it
    # was given before the end of the period.
    current = When_(
        When(**{f"{question}answered_at__lt": cutoff, "then": F(f"{question}{field}")}),
        default=Value(""),
        output_field=CharField(),
    )
    return Coalesce(Subquery(latest), current, output_field=CharField())


def parents_by_unit(*, municipality_id, end, unit_ids=None, live=False):
    cases = Case.objects.filter(municipality_id=municipality_id).filter(
        open_on_q(end), adult_on_q(end)
    )
    if unit_ids is not None:
        cases = cases.filter(unit_id__in=unit_ids)
    rows = (
        cases.order_by()
        .annotate(answer=answer_on(end, live=live))
        .values("unit_id")
        .annotate(
            unknown=Count("person_id", distinct=True, filter=Q(answer=Answer.UNKNOWN)),
            unanswered=Count("person_id", distinct=True, filter=Q(answer="")),
            adults=Count("person_id", distinct=True),
        )
    )
    return {row["unit_id"]: (row["unknown"], row["unanswered"], row["adults"]) for row in rows}


def figures_by_unit(*, municipality_id, end, unit_ids=None, live=False):
    """{unit_id: Figures} for the period ending ``end`` (two queries)."""
    children = children_by_unit(municipality_id=municipality_id, end=end, unit_ids=unit_ids)
    parents = parents_by_unit(
        municipality_id=municipality_id, end=end, unit_ids=unit_ids, live=live
    )
    result = {}
    for unit_id in set(children) | set(parents):
        n_children, attended, expected, expected_attended = children.get(unit_id, (0, 0, 0, 0))
        unknown, unanswered, adults = parents.get(unit_id, (0, 0, 0))
        result[unit_id] = Figures(
            n_children, attended, unknown, unanswered, expected, expected_attended, adults
        )
    return result
