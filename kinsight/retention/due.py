"""Which persons' files are due for culling on a day, and which exception keeps the
others: all in the database, one query for the due persons whatever the municipality's
size (an EXISTS per source of entries and per exception).

A file is a person and everything about them (``SOURCES``). Its last entry is the
latest day any of its rows was written or changed; it is due under the person-file
rule when no entry is on or after the day ``years`` before, and none of these keeps it:
an open case; a legal hold in force; an archive-worthy mark; a register extract request
still being handled; the active exception rules
(born on a research day; parenthood, adoption or a child's placement, never culled;
child-protection documentation from ``applies_from`` on, kept until the person turns
``years``). A person whose birth day is unknown is kept by the rules that need it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.cases.models import CaseStatus
from kinsight.core.models import UnitType
from kinsight.people.models import Person
from kinsight.retention.models import ArchiveMark, LegalHold, RetentionRule, RuleKind


@dataclass(frozen=True)
class Source:
    """Rows of ``model`` in a person's file: ``about`` the lookups to the person ("|"
    between alternatives), ``dates`` the fields that say when it was written."""

    model: str
    about: str
    dates: tuple[str, ...]
    label: Any

    def rows(self, persons: Any) -> QuerySet[Any]:
        wanted = reduce(or_, (Q(**{f"{path}__in": persons}) for path in self.about.split("|")))
        return apps.get_model(self.model).objects.filter(wanted)


SOURCES = [
    Source("cases.Case", "person", ("opened_on", "closed_on", "status_changed_at"), _("ärenden")),
    Source("cases.JournalNote", "case__person", ("created_at", "updated_at"), _("anteckningar")),
    Source(
        "detection.ChildRecord",
        "parent|child",
        ("created_at", "status_changed_on"),
        _("barn som anhöriga"),
    ),
    Source("detection.ConcernReport", "child", ("created_at", "received_on"), _("orosanmälningar")),
    Source("detection.ChildQuestion", "person", ("created_at", "answered_at"), _("barnfrågor")),
    Source("family.FamilyMember", "person", ("created_at", "ended_on"), _("familjearbeten")),
    Source("family.Consent", "person", ("created_at", "valid_to", "withdrawn_on"), _("samtycken")),
    Source("assessment.AssessmentPart", "person", ("updated_at",), _("bedömningar")),
    Source("interventions.Referral", "person", ("created_at", "status_changed_on"), _("remisser")),
    Source("groups.GroupParticipant", "person", ("created_at", "ended_on"), _("stödgrupper")),
]
PERSONS = _("personer")


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _since(model: Any, name: str, day: datetime.date) -> Q:
    if isinstance(model._meta.get_field(name), DateTimeField):
        start = datetime.datetime.combine(day, datetime.time.min)
        return Q(**{f"{name}__gte": timezone.make_aware(start)})
    return Q(**{f"{name}__gte": day})


def _exists(model: Any, about: str, condition: Q | None = None) -> Q:
    condition = condition if condition is not None else Q()
    found = reduce(or_, (Q(**{path: OuterRef("pk")}) for path in about.split("|")))
    return Q(Exists(model.objects.filter(found, condition)))


def entry_since(day: datetime.date) -> Q:
    """Persons with an entry on or after ``day``."""
    written = _since(Person, "created_at", day)
    for source in SOURCES:
        model = apps.get_model(source.model)
        recent = reduce(or_, (_since(model, name, day) for name in source.dates))
        written |= _exists(model, source.about, recent)
    return written


def _child_protection(rule: RetentionRule, today: datetime.date) -> Q:
    case, report = apps.get_model("cases.Case"), apps.get_model("detection.ConcernReport")
    start = rule.applies_from or datetime.date.min
    dated = Q(opened_on__gte=start) | Q(closed_on__gte=start) | Q(closed_on__isnull=True)
    child_case = Q(unit__unit_type=UnitType.CHILDREN_YOUTH) & dated
    documented = _exists(case, "person", child_case) | _exists(
        report, "child", Q(received_on__gte=start)
    )
    young = Q(birth_date__isnull=True) | Q(birth_date__gt=years_before(today, rule.years or 0))
    return documented & young


def _never(rule: RetentionRule, today: datetime.date) -> Q:
    case, placement = apps.get_model("cases.Case"), apps.get_model("interventions.Placement")
    family_law = Q(unit__unit_type=UnitType.FAMILY_LAW)
    return _exists(placement, "child") | _exists(case, "person", family_law)


def _research(rule: RetentionRule, today: datetime.date) -> Q:
    return Q(birth_date__isnull=True) | Q(birth_date__day__in=rule.days())


KEEPERS: dict[str, Callable[[RetentionRule, datetime.date], Q]] = {
    RuleKind.CHILD_PROTECTION: _child_protection,
    RuleKind.NEVER: _never,
    RuleKind.RESEARCH: _research,
}
ONGOING, HOLD, ARCHIVE, EXTRACT = "ongoing", "hold", "archive", "extract"
EXCEPTION_LABELS = {
    ONGOING: _("Pågående ärende"),
    HOLD: _("Spärr mot gallring"),
    ARCHIVE: _("Arkivvärdig"),
    EXTRACT: _("Begäran om registerutdrag under handläggning"),
}
# A register extract request not yet released or refused keeps the file it is about
# (named by label: the data protection app is a sibling, not a floor below).
EXTRACT_MODEL, EXTRACT_DONE = "dpo.ExtractRequest", ("released", "refused")


def exceptions(rules: Iterable[RetentionRule], today: datetime.date) -> dict[str, Q]:
    """{key: the persons it keeps}: the fixed exceptions and each active rule's."""
    case = apps.get_model("cases.Case")
    held = Q(ended_at__isnull=True) & (Q(until__isnull=True) | Q(until__gte=today))
    kept = {
        ONGOING: _exists(case, "person", ~Q(status=CaseStatus.CLOSED)),
        HOLD: _exists(LegalHold, "person", held),
        ARCHIVE: _exists(ArchiveMark, "person"),
    }
    if apps.is_installed("kinsight.dpo"):
        pending = ~Q(status__in=EXTRACT_DONE)
        kept[EXTRACT] = _exists(apps.get_model(EXTRACT_MODEL), "person", pending)
    for rule in rules:
        if rule.active and rule.kind in KEEPERS:
            kept[str(rule.pk)] = KEEPERS[rule.kind](rule, today)
    return kept


@dataclass
class Due:
    """The person-file rule's view of a day: ``candidates`` (no entry since
    ``since``), ``kept`` (exception key: persons it keeps), ``persons`` (due)."""

    rule: RetentionRule
    since: datetime.date
    candidates: QuerySet[Any]
    kept: dict[str, Q]

    @property
    def persons(self) -> QuerySet[Any]:
        keep = reduce(or_, self.kept.values(), Q(pk__in=[]))
        return self.candidates.exclude(keep)


def due_on(municipality_id: int, today: datetime.date) -> Due | None:
    """What is due on ``today`` in the municipality, or None when its person-file rule
    is inactive (nothing is culled)."""
    rules = list(RetentionRule.objects.filter(municipality_id=municipality_id))
    cull = next((r for r in rules if r.kind == RuleKind.PERSON_FILE and r.active), None)
    if cull is None or not cull.years:
        return None
    since = years_before(today, cull.years)
    candidates = Person.objects.filter(municipality_id=municipality_id).exclude(entry_since(since))
    return Due(cull, since, candidates, exceptions(rules, today))


def kinds_of(persons: Any) -> dict[str, int]:
    """How many rows of each kind the files of ``persons`` (a subquery of ids) hold."""
    return {str(source.label): source.rows(persons).distinct().count() for source in SOURCES}
