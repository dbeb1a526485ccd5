"""The network's panels on pages it does not own: on a member's head of services' start
page, a reminder of each open inventory whose deadline is near
(``KINSIGHT_NETWORK_REMINDER_DAYS``, default 14) while areas are unanswered. The work
queue (kinsight.followup.queue) is built from municipal tables and cannot take items
from an app above it, so the reminder is a start-page panel."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from kinsight.network.models import Inventory
from kinsight.network.queries import (
    course_rows,
    inventories,
    is_leader,
    is_member_head,
    member_status,
    next_meeting,
)
from kinsight.regions.models import Member
from kinsight.regions.queries import current_members
from kinsight.ui.panels import Panel


def reminder_days() -> int:
    return int(getattr(settings, "KINSIGHT_NETWORK_REMINDER_DAYS", 14))


def inventory_reminder(request: Any, _obj: Any = None, **_facts: Any) -> Panel | None:
    user = request.user
    if not (user.is_authenticated and is_member_head(user)):
        return None
    today = timezone.localdate()
    until = today + datetime.timedelta(days=reminder_days())
    own = Q(answers__municipality_id=user.municipality_id)
    regions = Member.objects.filter(current_members(today), municipality_id=user.municipality_id)
    rows = Inventory.objects.filter(
        region_id__in=regions.values("region_id"), deadline__range=(today, until)
    )
    rows = rows.annotate(answered=Count("answers", filter=own)).order_by("deadline")
    due = [found for found in rows if found.answered < len(found.areas)]
    if not due:
        return None
    return Panel("network/_start_reminder.html", {"due": due}, order=5)


def leader_panel(request: Any, region: Any = None, **_facts: Any) -> Panel | None:
    """The network leader's start page: the next meeting, the latest inventory's status
    per member, and the courses below their minimum before the decision date."""
    user = request.user
    if region is None or not is_leader(user, region.pk):
        return None
    latest = inventories(user).order_by("-year").first()
    context = {
        "next": next_meeting(user),
        "inventory": latest,
        "status": member_status(latest, list(latest.answers.all())) if latest else [],
        "below": [c for c in course_rows(user) if getattr(c, "below", False)],
    }
    return Panel("network/_region_panel.html", context, order=10)
