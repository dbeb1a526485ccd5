"""The work queue ("Att göra"): what a worker, or a unit manager for the unit, has to
act on. Every group starts from visible_to(user, action):

- questions: open cases of adults whose child question has no answer or is due again
  (next_ask_on reached); a case without a ChildQuestion row is unanswered.
- unknown: open cases of adults whose child question is answered "unknown" (its own
  group: "unknown" is counted, and asked again until it is known).
- not_attended: children as next of kin, under 18, born, on an open case of the
  parent, not yet attended (uppmärksammat).
- expected: open cases of adults expecting a child (the child question's "väntar
  barn", or an expected child recorded and not yet attended) with no expected child
  attended yet: "Väntat barn – planera".
- pre_assessment: concern reports received by the user's units awaiting the
  förhandsbedömning.
- feedback: reports whose reporter asked to hear whether an investigation was opened
  and has not yet (SoL 2025:400 19 kap. 6 §; due a week after the decision).
- deadlines: concern reports whose running clock (förhandsbedömning or utredning)
  ends within 3 days or has passed. A report awaiting its förhandsbedömning close to
  the deadline is in both groups; the total counts it once.
- plan_follow_ups: open follow-ups of interventions in family plans (interventions
  app) due within 7 days or passed; "mine" are those of interventions the user is
  responsible for, or without a responsible worker in the user's units.

"Mine" (per worker): cases and child records where the user is the responsible
worker; reports assigned to the user or not yet assigned in the user's receiving
units. "Unit" (a unit manager): everything in the units the user manages.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Municipality, Role
from kinsight.detection.models import (
    Answer,
    ChildRecord,
    ConcernReport,
    ReportStatus,
    expected_q,
)
from kinsight.family.models import FollowUpTask
from kinsight.followup.minimum_level import adult_on_q, child_under_18_q
from kinsight.followup.queue_rows import Item, items  # noqa: F401 - the rows, for callers
from kinsight.interventions.models import PlanFollowUp

DEADLINE_DAYS = 3
FOLLOW_UP_DAYS = 7
MINE, UNIT = "mine", "unit"

GROUPS = [
    ("questions", _("Obesvarade barnfrågor")),
    ("unknown", _("Barnfrågor med svaret okänt")),
    ("not_attended", _("Barn som inte är uppmärksammade")),
    ("expected", _("Väntade barn att planera för")),
    ("pre_assessment", _("Orosanmälningar som väntar på förhandsbedömning")),
    ("feedback", _("Återkoppling till anmälaren")),
    ("deadlines", _("Frister inom 3 dagar eller passerade")),
    ("plan_follow_ups", _("Uppföljningar i familjeplaner")),
    ("meeting_tasks", _("Uppgifter från familjemöten")),
]
GROUP_KEYS = [key for key, _label in GROUPS]
# Groups whose items have a date by which they must be done (shown with days left).
GROUPS_WITH_DUE_DATE = {
    "pre_assessment",
    "feedback",
    "deadlines",
    "plan_follow_ups",
    "meeting_tasks",
}
SORTS = [("due", _("Förfallodatum")), ("age", _("Ålder (äldst först)")), ("unit", _("Enhet"))]
SORT_KEYS = [key for key, _label in SORTS]

CASE_TYPE = "cases.case"
RECORD_TYPE = "detection.childrecord"
REPORT_TYPE = "detection.concernreport"
FOLLOW_UP_TYPE = "interventions.planfollowup"
AUDIT_TYPES = {
    "questions": CASE_TYPE,
    "unknown": CASE_TYPE,
    "not_attended": RECORD_TYPE,
    "expected": CASE_TYPE,
    "pre_assessment": REPORT_TYPE,
    "feedback": REPORT_TYPE,
    "deadlines": REPORT_TYPE,
    "plan_follow_ups": FOLLOW_UP_TYPE,
    "meeting_tasks": "family.followuptask",
}


@dataclass(frozen=True)
class Scope:
    kind: str  # MINE or UNIT
    unit_ids: frozenset = frozenset()


def managed_units(user):
    return user.units_with_role(Role.UNIT_MANAGER)


def has_queue(user):
    return bool(user.units_with_role(Role.CASE_WORKER, Role.UNIT_MANAGER))


def _visible(actor, model, action):
    """``model.objects.visible_to(actor, action)``, built once per request and chained
    from: the counts ask for it per group and scope, and the rules' expressions cost
    more to build than the database takes to run them (never evaluated itself, so the
    chained copies share nothing but the rule)."""
    built = actor.__dict__.setdefault("_followup_visible", {})
    if (model, action) not in built:
        built[(model, action)] = model.objects.visible_to(actor, action)
    return built[(model, action)]


def _cases(actor, scope, today):
    cases = _visible(actor, Case, "view").open().filter(adult_on_q(today))
    if scope.kind == MINE:
        return cases.filter(responsible_id=actor.pk)
    return cases.filter(unit_id__in=scope.unit_ids)


def questions(actor, scope, today):
    return _cases(actor, scope, today).filter(
        Q(child_question__isnull=True)
        | (
            ~Q(child_question__has_children=Answer.UNKNOWN)
            & (
                Q(child_question__answered_at__isnull=True)
                | Q(child_question__next_ask_on__lte=today)
            )
        )
    )


def unknown(actor, scope, today):
    return _cases(actor, scope, today).filter(child_question__has_children=Answer.UNKNOWN)


def not_attended(actor, scope, today):
    records = (
        _visible(actor, ChildRecord, "view")
        .not_attended()
        .born(today)
        .exclude(case__status=CaseStatus.CLOSED)
        .filter(child_under_18_q(today))
    )
    if scope.kind == MINE:
        return records.filter(case__responsible_id=actor.pk)
    return records.filter(unit_id__in=scope.unit_ids)


def _expected_records(today):
    """Expected children on the case (OuterRef "pk") not yet born."""
    return ChildRecord.objects.filter(expected_q(today), case_id=OuterRef("pk"))


def expected(actor, scope, today):
    waiting = _expected_records(today).filter(attended_on__isnull=True)
    planned = ChildRecord.objects.filter(
        case_id=OuterRef("pk"), expected_month__isnull=False, attended_on__isnull=False
    )
    return _cases(actor, scope, today).filter(
        Exists(waiting) | (Q(child_question__expecting_child=Answer.YES) & ~Exists(planned))
    )


def _reports(actor, scope):
    reports = _visible(actor, ConcernReport, "change")
    if scope.kind == MINE:
        return reports.filter(Q(responsible_id=actor.pk) | Q(responsible__isnull=True))
    return reports.filter(receiving_unit_id__in=scope.unit_ids)


def pre_assessment(actor, scope, today):
    return _reports(actor, scope).awaiting_pre_assessment()


def feedback(actor, scope, today):
    return _reports(actor, scope).awaiting_feedback()


def deadlines(actor, scope, today):
    return _reports(actor, scope).due_by(today + datetime.timedelta(days=DEADLINE_DAYS))


def _due_soon(found, actor, scope, today, owner=""):
    """Open rows of ``found`` due within FOLLOW_UP_DAYS or overdue, whose ``owner``
    (a path ending in ``__``, or the row itself) has a responsible unit and worker.
    Mine: where I am the worker, or nobody is and the unit is mine; a unit's: its own."""
    found = found.open().filter(due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_DAYS))
    if scope.kind == MINE:
        units = actor.units_with_role(Role.CASE_WORKER, Role.UNIT_MANAGER)
        nobody = {f"{owner}responsible__isnull": True, f"{owner}responsible_unit_id__in": units}
        return found.filter(Q(**{f"{owner}responsible_id": actor.pk}) | Q(**nobody))
    return found.filter(**{f"{owner}responsible_unit_id__in": scope.unit_ids})


def plan_follow_ups(actor, scope, today):
    found = _visible(actor, PlanFollowUp, "change")
    return _due_soon(found, actor, scope, today, owner="plan_intervention__")


def meeting_tasks(actor, scope, today):
    """Open tasks decided in family meetings, due within FOLLOW_UP_DAYS or overdue."""
    return _due_soon(_visible(actor, FollowUpTask, "view"), actor, scope, today)


QUERIES = {
    "questions": questions,
    "unknown": unknown,
    "not_attended": not_attended,
    "expected": expected,
    "pre_assessment": pre_assessment,
    "feedback": feedback,
    "deadlines": deadlines,
    "plan_follow_ups": plan_follow_ups,
    "meeting_tasks": meeting_tasks,
}


def _count(queryset):
    counted = queryset.order_by().values("municipality_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def nav_scopes(user):
    """The scopes counted in the navigation: the user's own, and the managed units'."""
    scopes = [Scope(MINE)]
    managed = managed_units(user)
    if managed:
        scopes.append(Scope(UNIT, frozenset(managed)))
    return scopes


def counts(actor, scopes, today=None):
    """{scope: {group: n, "total": n}} for each scope, in one query; kept on the user
    for the request, so the page and the navigation share it."""
    today = today or timezone.localdate()
    cache = actor.__dict__.setdefault("_followup_counts", {})
    missing = [s for s in dict.fromkeys(scopes) if (s, today) not in cache]
    if missing:
        for scope, found in _counts(actor, missing, today).items():
            cache[(scope, today)] = found
    return {scope: cache[(scope, today)] for scope in scopes}


def cached_counts(actor, scopes, today=None):
    """The counts for ``scopes`` if this request has computed them, else None."""
    today = today or timezone.localdate()
    cache = actor.__dict__.get("_followup_counts", {})
    if all((s, today) in cache for s in scopes):
        return {scope: cache[(scope, today)] for scope in scopes}
    return None


def _counts(actor, scopes, today):
    annotations = {}
    for index, scope in enumerate(scopes):
        for key in GROUP_KEYS:
            annotations[f"s{index}_{key}"] = _count(QUERIES[key](actor, scope, today))
        # Deadlines of reports still awaiting the förhandsbedömning are in both groups.
        annotations[f"s{index}_overlap"] = _count(
            deadlines(actor, scope, today).filter(status=ReportStatus.RECEIVED)
        )
    row = (
        Municipality.objects.filter(pk=actor.municipality_id)
        .annotate(**annotations)
        .values(*annotations)
        .first()
    ) or dict.fromkeys(annotations, 0)
    result = {}
    for index, scope in enumerate(scopes):
        found = {key: row[f"s{index}_{key}"] for key in GROUP_KEYS}
        found["total"] = sum(found.values()) - row[f"s{index}_overlap"]
        result[scope] = found
    return result


# Sorting ---------------------------------------------------------------------------


def _report_due():
    return When_(
        When(status=ReportStatus.RECEIVED, then=F("pre_assessment_due_on")),
        When(status=ReportStatus.INVESTIGATING, then=F("investigation_due_on")),
        output_field=DateField(),
    )


# The order of each group's rows for each sort, as in SORTS: (due, age, unit); the
# concern report groups not named here share REPORT_ORDER.
ORDERS = {
    "questions": (["due"], ["opened_on"], ["unit__name", "due"]),
    "unknown": (["due"], ["opened_on"], ["unit__name", "due"]),
    "not_attended": (["identified_on"], ["identified_on"], ["unit__name", "due"]),
    "expected": (["opened_on"], ["opened_on"], ["unit__name", "opened_on"]),
    "feedback": (["due"], ["pre_assessment_decided_on"], ["receiving_unit__name", "due"]),
    "plan_follow_ups": (
        ["due_on"],
        ["plan_intervention__start_on"],
        ["plan_intervention__responsible_unit__name", "due_on"],
    ),
    "meeting_tasks": (["due_on"], ["created_at"], ["responsible_unit__name", "due_on"]),
}
REPORT_ORDER = (["due"], ["received_on"], ["receiving_unit__name", "due"])


def ordered(key, queryset, sort):
    """The group's rows with what their page shows and ``due`` (the day they are
    due), in the order of ``sort``."""
    if key in ("questions", "unknown"):
        queryset = queryset.select_related("person", "unit", "responsible", "child_question")
        if key == "unknown":
            due = F("child_question__answered_at")
        else:
            due = Coalesce("child_question__next_ask_on", "opened_on", output_field=DateField())
        queryset = queryset.annotate(due=due)
    elif key == "not_attended":
        queryset = queryset.select_related("child", "parent", "unit", "case__responsible")
        queryset = queryset.annotate(due=F("identified_on"))
    elif key == "expected":
        queryset = _with_expected_record(queryset)
    elif key == "feedback":
        queryset = queryset.select_related("receiving_unit").annotate(due=F("feedback_due_on"))
    elif key == "plan_follow_ups":
        queryset = queryset.select_related(
            "plan_intervention__intervention",
            "plan_intervention__responsible_unit",
            "plan_intervention__goal",
            "plan_intervention__plan__family_work",
        ).annotate(due=F("due_on"))
    elif key == "meeting_tasks":
        queryset = queryset.select_related("family_work", "responsible_unit").annotate(
            due=F("due_on")
        )
    else:
        queryset = queryset.select_related("receiving_unit", "responsible")
        queryset = queryset.annotate(due=_report_due())
    by = dict(zip(SORT_KEYS, ORDERS.get(key, REPORT_ORDER), strict=True))[sort]
    return queryset.order_by(*by, "pk")


def _with_expected_record(queryset):
    """Cases with their expected child (not yet born) if one is recorded."""
    found = _expected_records(timezone.localdate()).order_by("expected_month", "pk")
    return queryset.select_related("person", "unit", "child_question").annotate(
        expected_record=Subquery(found.values("pk")[:1]),
        expected_month=Subquery(found.values("expected_month")[:1]),
    )
