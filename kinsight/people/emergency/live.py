"""An emergency access in force lives in the session of the browser that opened it:
the rules (kinsight/people/access.py) and the audit log's mark (audit.context) read it
from there, so a page costs no query more, and a page of anyone without one runs the
same SQL as before. An API token never carries it. The database row is the record the
log reviewer reviews."""

import datetime
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kinsight.audit import context
from kinsight.people.emergency.models import EmergencyAccess

SESSION_KEY = "kinsight_emergency"


def remember(request: HttpRequest, access: EmergencyAccess) -> None:
    """The session now holds ``access`` (ids and its end only: no personal data)."""
    held = [a for a in request.session.get(SESSION_KEY, []) if a["id"] != access.pk]
    held.append({"id": access.pk, "person": access.person_id, "ends": access.ends_at.isoformat()})
    request.session[SESSION_KEY] = held


def forget(request: HttpRequest, access_id: int) -> None:
    held = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [a for a in held if a["id"] != access_id]


def in_force(request: HttpRequest, now: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """The session's accesses not yet ended, each with its end as a datetime."""
    if not getattr(request, "session", None) or SESSION_KEY not in request.session:
        return []
    now = now or timezone.now()
    found = []
    for held in request.session[SESSION_KEY]:
        ends = datetime.datetime.fromisoformat(held["ends"])
        if ends > now:
            found.append({**held, "ends": ends})
    return found


def _persons(request: HttpRequest) -> Callable[[], dict[int, int]]:
    def persons() -> dict[int, int]:
        return {held["person"]: held["id"] for held in in_force(request)}

    return persons


class EmergencyAccessMiddleware:
    """Makes the signed-in user's emergency accesses known to the rules and the audit
    log for this request (read from the session only when a rule or a read asks)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        token = context.emergency.set((user.pk, _persons(request)))
        try:
            return self.get_response(request)
        finally:
            context.emergency.reset(token)


def banner(request: HttpRequest) -> dict[str, Any]:
    """``emergency``: the accesses in force, each with minutes left, for the banner in
    the base template (no query: the session is read already)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    now = timezone.now()
    accesses = [
        {**held, "minutes_left": max(1, int((held["ends"] - now).total_seconds() // 60))}
        for held in in_force(request, now)
    ]
    return {"emergency": accesses} if accesses else {}
