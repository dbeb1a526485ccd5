"""The work queue ("Att göra"): what a worker, or a unit manager for the unit, has to
act on. Every group starts from visible_to(user, action):

- questions: open cases of adults whose child question has no answer or is due again
  (next_ask_on reached); a case without a ChildQuestion row is unanswered.
- unknown: open cases of adults whose child question is answered "unknown" (its own
  group: "unknown" is counted, and asked again until it is known).
- not_attended: children as next of kin, under 18, on an open case of the parent, not
  yet attended (uppmärksammat).
- pre_assessment: concern reports received by the user's units awaiting the
  förhandsbedömning.
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
from django.db.models import Count, DateField, F, IntegerField, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.cases.models import Case, CaseStatus
from kinsight.core.models import Municipality, Role
from kinsight.detection.models import Answer, ChildRecord, ConcernReport, ReportStatus
from kinsight.family.models import FollowUpTask
from kinsight.followup.minimum_level import adult_on_q, child_under_18_q
from kinsight.interventions.models import PlanFollowUp

DEADLINE_DAYS = 3
FOLLOW_UP_DAYS = 7
MINE, UNIT = "mine", "unit"

GROUPS = [
    ("questions", _("Obesvarade barnfrågor")),
    ("unknown", _("Barnfrågor med svaret okänt")),
    ("not_attended", _("Barn som inte är uppmärksammade")),
    ("pre_assessment", _("Orosanmälningar som väntar på förhandsbedömning")),
    ("deadlines", _("Frister inom 3 dagar eller passerade")),
    ("plan_follow_ups", _("Uppföljningar i familjeplaner")),
    ("meeting_tasks", _("Uppgifter från familjemöten")),
]
GROUP_KEYS = [key for key, _label in GROUPS]
# Groups whose items have a date by which they must be done (shown with days left).
GROUPS_WITH_DUE_DATE = {"pre_assessment", "deadlines", "plan_follow_ups", "meeting_tasks"}
SORTS = [("due", _("Förfallodatum")), ("age", _("Ålder (äldst först)")), ("unit", _("Enhet"))]

CASE_TYPE = "cases.case"
RECORD_TYPE = "detection.childrecord"
REPORT_TYPE = "detection.concernreport"
FOLLOW_UP_TYPE = "interventions.planfollowup"
AUDIT_TYPES = {
    "questions": CASE_TYPE,
    "unknown": CASE_TYPE,
    "not_attended": RECORD_TYPE,
    "pre_assessment": REPORT_TYPE,
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


def _cases(actor, scope, today):
    cases = Case.objects.visible_to(actor, "view").open().filter(adult_on_q(today))
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
        ChildRecord.objects.visible_to(actor, "view")
        .not_attended()
        .exclude(case__status=CaseStatus.CLOSED)
        .filter(child_under_18_q(today))
    )
    if scope.kind == MINE:
        return records.filter(case__responsible_id=actor.pk)
    return records.filter(unit_id__in=scope.unit_ids)


def _reports(actor, scope):
    reports = ConcernReport.objects.visible_to(actor, "change")
    if scope.kind == MINE:
        return reports.filter(Q(responsible_id=actor.pk) | Q(responsible__isnull=True))
    return reports.filter(receiving_unit_id__in=scope.unit_ids)


def pre_assessment(actor, scope, today):
    return _reports(actor, scope).awaiting_pre_assessment()


def deadlines(actor, scope, today):
    return _reports(actor, scope).due_by(today + datetime.timedelta(days=DEADLINE_DAYS))


def plan_follow_ups(actor, scope, today):
    found = (
        PlanFollowUp.objects.visible_to(actor, "change")
        .open()
        .filter(due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_DAYS))
    )
    if scope.kind == MINE:
        units = actor.units_with_role(Role.CASE_WORKER, Role.UNIT_MANAGER)
        return found.filter(
            Q(plan_intervention__responsible_id=actor.pk)
            | Q(
                plan_intervention__responsible__isnull=True,
                plan_intervention__responsible_unit_id__in=units,
            )
        )
    return found.filter(plan_intervention__responsible_unit_id__in=scope.unit_ids)


def meeting_tasks(actor, scope, today):
    """Open tasks decided in family meetings, due within FOLLOW_UP_DAYS or overdue."""
    found = (
        FollowUpTask.objects.visible_to(actor, "view")
        .open()
        .filter(due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_DAYS))
    )
    if scope.kind == MINE:
        units = actor.units_with_role(Role.CASE_WORKER, Role.UNIT_MANAGER)
        return found.filter(
            Q(responsible_id=actor.pk) | Q(responsible__isnull=True, responsible_unit_id__in=units)
        )
    return found.filter(responsible_unit_id__in=scope.unit_ids)


QUERIES = {
    "questions": questions,
    "unknown": unknown,
    "not_attended": not_attended,
    "pre_assessment": pre_assessment,
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


def ordered(key, queryset, sort):
    if key in ("questions", "unknown"):
        queryset = queryset.select_related("person", "unit", "responsible", "child_question")
        if key == "unknown":
            due = F("child_question__answered_at")
        else:
            due = Coalesce("child_question__next_ask_on", "opened_on", output_field=DateField())
        queryset = queryset.annotate(due=due)
        by = {"due": ["due"], "age": ["opened_on"], "unit": ["unit__name", "due"]}[sort]
    elif key == "not_attended":
        queryset = queryset.select_related("child", "parent", "unit", "case__responsible")
        queryset = queryset.annotate(due=F("identified_on"))
        by = {"due": ["identified_on"], "age": ["identified_on"], "unit": ["unit__name", "due"]}[
            sort
        ]
    elif key == "plan_follow_ups":
        queryset = queryset.select_related(
            "plan_intervention__intervention",
            "plan_intervention__responsible_unit",
            "plan_intervention__goal",
            "plan_intervention__plan__family_work",
        ).annotate(due=F("due_on"))
        by = {
            "due": ["due_on"],
            "age": ["plan_intervention__start_on"],
            "unit": ["plan_intervention__responsible_unit__name", "due_on"],
        }[sort]
    elif key == "meeting_tasks":
        queryset = queryset.select_related("family_work", "responsible_unit").annotate(
            due=F("due_on")
        )
        by = {
            "due": ["due_on"],
            "age": ["created_at"],
            "unit": ["responsible_unit__name", "due_on"],
        }[sort]
    else:
        queryset = queryset.select_related("receiving_unit", "responsible")
        queryset = queryset.annotate(due=_report_due())
        by = {
            "due": ["due"],
            "age": ["received_on"],
            "unit": ["receiving_unit__name", "due"],
        }[sort]
    return queryset.order_by(*by, "pk")


# Rows ------------------------------------------------------------------------------


def _url(name, fallback=None, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return fallback


@dataclass
class Item:
    title: str
    detail: str
    unit: str
    since: datetime.date | None
    due: datetime.date | None
    url: str | None
    action: str
    protected: bool = False
    today: datetime.date | None = None

    @property
    def days_left(self):
        if self.due is None or self.today is None:
            return None
        return (self.due - self.today).days

    @property
    def days_late(self):
        left = self.days_left
        return -left if left is not None and left < 0 else 0

    @property
    def is_overdue(self):
        left = self.days_left
        return left is not None and left < 0


def items(key, objects, today):
    """Rows to show: each with the page where the item is acted on."""
    rows = []
    for obj in objects:
        if key in ("questions", "unknown"):
            case_url = reverse("cases:case_detail", args=[obj.pk])
            question = getattr(obj, "child_question", None) if key == "unknown" else None
            rows.append(
                Item(
                    title=obj.person.full_name,
                    detail=obj.subject,
                    unit=obj.unit.name,
                    since=timezone.localdate(obj.due) if question else obj.due,
                    due=None,
                    url=_url("detection:question_answer", case_url, case_pk=obj.pk),
                    action=str(_("Ställ barnfrågan")),
                    protected=obj.person.protected_identity,
                    today=today,
                )
            )
        elif key == "not_attended":
            case_url = reverse("cases:case_detail", args=[obj.case_id])
            rows.append(
                Item(
                    title=obj.display_name,
                    detail=str(_("Barn till %(parent)s, %(age)s år"))
                    % {"parent": obj.parent.full_name, "age": obj.age(today)},
                    unit=obj.unit.name,
                    since=obj.identified_on,
                    due=None,
                    url=_url("detection:child_detail", case_url, pk=obj.pk),
                    action=str(_("Uppmärksamma barnet")),
                    protected=bool(obj.child_id and obj.child.protected_identity),
                    today=today,
                )
            )
        elif key == "plan_follow_ups":
            item = obj.plan_intervention
            rows.append(
                Item(
                    title=item.plan.family_work.title,
                    detail=f"{item.intervention.name}: {item.goal.perspective_label}",
                    unit=item.responsible_unit.name,
                    since=item.start_on,
                    due=obj.due_on,
                    url=_url("interventions:follow_up", None, pk=obj.pk),
                    action=str(_("Följ upp insatsen")),
                    today=today,
                )
            )
        elif key == "meeting_tasks":
            rows.append(
                Item(
                    title=obj.title,
                    detail=obj.family_work.title,
                    unit=obj.responsible_unit.name,
                    since=timezone.localdate(obj.created_at),
                    due=obj.due_on,
                    url=_url("family:detail", None, pk=obj.family_work_id),
                    action=str(_("Gör uppgiften")),
                    today=today,
                )
            )
        else:
            rows.append(
                Item(
                    title=obj.child_name,
                    detail=str(obj.get_status_display()),
                    unit=obj.receiving_unit.name,
                    since=obj.received_on,
                    due=obj.due,
                    url=_url("detection:report_detail", None, pk=obj.pk),
                    action=str(
                        _("Gör förhandsbedömningen")
                        if obj.status == ReportStatus.RECEIVED
                        else _("Avsluta utredningen")
                    ),
                    today=today,
                )
            )
    return rows
