"""The start page's panels from follow-up (registered in apps.py; kinsight.ui.panels).

For case workers and unit managers the start page answers "what do I do today": the
work queue's counts per group (one query, shared with the navigation), the deadlines
that fall this week (overdue ones included) and the most recent cases, each a link.
For heads of services (and unit managers) a link to the minimum level. Every list of
personal data shown is audited as a list read, as on the pages it links to.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from kinsight.audit.services import audit_read_many
from kinsight.cases import queries as case_queries
from kinsight.followup import queue
from kinsight.followup.models import dashboard_units
from kinsight.ui.panels import Panel

DEADLINES_SHOWN = 10
RECENT_CASES = 5
# Queue groups with a due date besides the reports' clocks (each lists what falls due
# within a week or has passed).
DATED_GROUPS = ("feedback", "plan_follow_ups", "meeting_tasks")


@dataclass
class GroupCount:
    key: str
    label: str
    count: int


def week_end(today):
    """Sunday of today's week."""
    return today + datetime.timedelta(days=6 - today.weekday())


def _group_counts(found):
    return [GroupCount(key, label, found[key]) for key, label in queue.GROUPS if found[key]]


def week_deadlines(actor, scope, today):
    """Items due on or before Sunday, soonest (most overdue) first, at most
    DEADLINES_SHOWN: concern reports whose clock ends this week, follow-ups of plan
    interventions, tasks from family meetings (and feedback to reporters). Audited as
    list reads."""
    end = week_end(today)
    # deadlines(…, day) lists reports whose clock ends within DEADLINE_DAYS of day.
    reports_day = end - datetime.timedelta(days=queue.DEADLINE_DAYS)
    sources = [("deadlines", queue.deadlines(actor, scope, reports_day))] + [
        (key, queue.QUERIES[key](actor, scope, today))
        for key in DATED_GROUPS
        if key in queue.QUERIES
    ]
    rows = []
    for key, found in sources:
        objects = list(queue.ordered(key, found, "due").filter(due__lte=end)[:DEADLINES_SHOWN])
        audit_read_many(actor=actor, objects=objects, object_type=queue.AUDIT_TYPES[key])
        rows.extend(queue.items(key, objects, today))
    rows.sort(key=lambda item: item.due)
    return rows[:DEADLINES_SHOWN]


def recent_cases(actor, managed):
    """The five most recently opened open cases: the managed units' for a unit manager,
    else the user's own. Audited as a list read."""
    if managed:
        cases = case_queries.unit_cases(actor=actor).filter(unit_id__in=managed).open()
    else:
        cases = case_queries.my_cases(actor=actor)
    cases = list(cases[:RECENT_CASES])
    case_queries.audit_list(actor=actor, objects=cases)
    return cases


def work_panel(request, _obj=None):
    """The case worker's and unit manager's day: counts, this week's deadlines, cases."""
    user = request.user
    if not (user.is_authenticated and user.municipality_id and queue.has_queue(user)):
        return None
    today = timezone.localdate()
    scopes = queue.nav_scopes(user)
    found = queue.counts(user, scopes, today)
    managed = queue.managed_units(user)
    widest = scopes[-1]  # the managed units' scope for a unit manager
    context = {
        "mine": {"total": found[scopes[0]]["total"], "groups": _group_counts(found[scopes[0]])},
        "unit": (
            {"total": found[widest]["total"], "groups": _group_counts(found[widest])}
            if managed
            else None
        ),
        "deadlines": week_deadlines(user, widest, today),
        "week_end": week_end(today),
        "cases": recent_cases(user, managed),
        "is_manager": bool(managed),
    }
    return Panel("followup/_start_work.html", context, order=10)


def minimum_level_panel(request, _obj=None):
    """A link to the minimum level for those who may see it (no query of its own)."""
    user = request.user
    if not (user.is_authenticated and user.municipality_id and dashboard_units(user)):
        return None
    return Panel("followup/_start_minimum_level.html", order=20)
