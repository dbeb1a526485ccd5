"""The navigation's "Att göra (n)" and the minimum-level link.

Other pages must not pay for the counts (their query budgets are fixed), so the
navigation shows them inline only when the page has computed them already (the work
queue); elsewhere htmx fetches them after the page has loaded, from
followup:nav_counts, in one query. The booleans here use the role scopes the
navigation loads anyway: no query of their own. Also the suppression threshold the
follow-up pages name (a setting: no query)."""

from django.utils.functional import SimpleLazyObject

from kinsight.followup import queue
from kinsight.followup.models import dashboard_units
from kinsight.followup.suppression import threshold


def nav_counts(user, compute=False):
    """(mine, unit) totals; None where not computed (or not a unit manager)."""
    scopes = queue.nav_scopes(user)
    cached = queue.cached_counts(user, scopes)
    if cached is None and compute:
        cached = queue.counts(user, scopes)
    if cached is None:
        return None, None
    mine = cached[scopes[0]]["total"]
    unit = cached[scopes[1]]["total"] if len(scopes) > 1 else None
    return mine, unit


def _nav(user):
    result = {"queue": False, "dashboard": False, "managed": False, "mine": None, "unit": None}
    if not (user.is_authenticated and user.municipality_id):
        return result
    result["dashboard"] = bool(dashboard_units(user))
    if queue.has_queue(user):
        result["queue"] = True
        result["managed"] = bool(queue.managed_units(user))
        result["mine"], result["unit"] = nav_counts(user)
    return result


def followup(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "followup_nav": SimpleLazyObject(lambda: _nav(user)),
        # The suppression threshold, for the pages that say how small counts leave.
        "suppression_limit": threshold(),
    }
