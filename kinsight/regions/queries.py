"""Reads of the regional network. The region's side reads only its own tables (Region,
Member, PublishedFigure through ``for_region``) and municipality names, never a
municipal table: its staff have no municipality, so every ``visible_to`` gives them
nothing anyway. A member's side reads its own published figures through
``visible_to`` (another municipality's answer 404)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinsight.access.rules import get_for
from kinsight.core.models import User
from kinsight.followup.figures import Period
from kinsight.followup.minimum_level import add_months, month_start
from kinsight.regions.models import Member, PublishedFigure, Region, Step

LIST_FIELDS = ("tables",)  # left out of lists: only a comparison reads the tables


def current_members(day: datetime.date | None = None) -> Q:
    """Memberships in force on ``day`` (today)."""
    day = day or timezone.localdate()
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day))


def member_regions(actor: User) -> list[Region]:
    """The regions the actor's municipality is a member of today."""
    if not actor.municipality_id:
        return []
    rows = Member.objects.filter(current_members(), municipality_id=actor.municipality_id)
    return list(Region.objects.filter(pk__in=rows.values("region_id")).distinct())


def region_of(user: User) -> Region | None:
    """The region a member of its staff works for (None for everyone else)."""
    if not (user.is_authenticated and user.is_active):
        return None
    staff = getattr(user, "region_staff", None)
    return staff.region if staff is not None else None


def region_for(user: User) -> Region:
    """The user's region, or 404 for anyone who is not its staff."""
    region = region_of(user)
    if region is None:
        raise Http404
    return region


def members(region: Region) -> list[Member]:
    return list(region.members.select_related("municipality"))


def labels(found: list[Member]) -> dict[int, str]:
    """Each member municipality's name, marked when it has left the region (its
    published figures stay)."""
    today = timezone.localdate()
    names: dict[int, str] = {}
    for member in sorted(found, key=lambda m: m.joined_on):
        name = member.municipality.name
        if member.left_on is not None and member.left_on < today:
            name = _("%(name)s (utträdd %(day)s)") % {"name": name, "day": member.left_on}
        names[member.municipality_id] = name
    return dict(sorted(names.items(), key=lambda item: item[1]))


def region_figures(user: User) -> QuerySet[PublishedFigure]:
    """Everything published to the user's region (withdrawn too), without the tables."""
    rows = PublishedFigure.objects.for_region(user).select_related("municipality")
    return rows.defer(*LIST_FIELDS).order_by("-period_start", "definition", "municipality__name")


def period_figures(
    user: User, definition: str, step: str, start: datetime.date
) -> list[PublishedFigure]:
    """The current (not withdrawn) figures of one definition and period, per member."""
    rows = PublishedFigure.objects.for_region(user).current()
    return list(rows.filter(definition=definition, step=step, period_start=start))


def series_figures(user: User, definition: str, step: str) -> list[PublishedFigure]:
    rows = PublishedFigure.objects.for_region(user).current()
    return list(rows.filter(definition=definition, step=step).order_by("period_start"))


def published_periods(user: User) -> list[dict[str, Any]]:
    """The definitions and periods with current figures in the region, newest first."""
    rows = PublishedFigure.objects.for_region(user).current()
    return list(
        rows.values("definition", "title", "step", "period_start", "period_label")
        .distinct()
        .order_by("-period_start", "title", "step")
    )


def last_closed(step: str, today: datetime.date | None = None) -> Period:
    """The most recent month, quarter or year that has ended."""
    today = today or timezone.localdate()
    months = {"month": 1, "quarter": 3, "year": 12}[step]
    start = month_start(today).replace(month=(today.month - 1) // months * months + 1)
    start = add_months(start, -months)
    return Period(start, add_months(start, months - 1), step)


@dataclass
class MemberStatus:
    member: Member
    label: str
    latest: PublishedFigure | None = None
    last_period_done: bool = False
    withdrawn: int = 0


@dataclass
class Overview:
    region: Region
    last_period: str
    statuses: list[MemberStatus] = field(default_factory=list)

    @property
    def missing(self) -> list[MemberStatus]:
        return [s for s in self.statuses if not s.last_period_done and s.member.left_on is None]


def overview(user: User) -> Overview:
    """The start page: per member its latest publication, whether it has published
    the last closed quarter, and how many it withdrew (two queries)."""
    region = region_for(user)
    found = members(region)
    names = labels(found)
    last = last_closed(Step.QUARTER)
    start, _end, label = last.buckets()[0]
    result = Overview(region, label)
    by_municipality = {m.municipality_id: m for m in found}
    statuses = {pk: MemberStatus(by_municipality[pk], name) for pk, name in names.items()}
    for figure in region_figures(user).order_by("-period_start", "-published_at"):
        status = statuses.get(figure.municipality_id)
        if status is None:
            continue
        if figure.is_withdrawn:
            status.withdrawn += 1
            continue
        status.latest = status.latest or figure
        if figure.step == Step.QUARTER and figure.period_start == start:
            status.last_period_done = True
    result.statuses = list(statuses.values())
    return result


def own_figures(user: User) -> QuerySet[PublishedFigure]:
    """What the user's municipality published (a head of services): newest first."""
    rows = PublishedFigure.objects.visible_to(user, "view").select_related("region")
    return rows.defer(*LIST_FIELDS).order_by("-published_at", "-pk")


def own_figure(user: User, pk: Any, action: str = "view") -> PublishedFigure:
    """One of them (404 for another municipality's, 403 to change without the right)."""
    rows = PublishedFigure.objects.select_related("region", "published_by", "withdrawn_by")
    return get_for(user, rows, pk, action)


def region_figure(user: User, pk: Any) -> PublishedFigure:
    """One figure published to the user's region (404 for anyone else)."""
    rows = PublishedFigure.objects.for_region(user).select_related("municipality")
    found = rows.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
