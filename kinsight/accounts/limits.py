"""Sign-in limits per source address, across usernames.

django-axes locks a username + address pair after KINSIGHT_LOGIN_FAILURE_LIMIT failures.
That alone lets one address try every username a few times. Here the failures axes has
recorded for an address, whatever the usernames, are added up over the last
KINSIGHT_LOGIN_LOCKOUT_MINUTES; from KINSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT on, the
address is refused before any password is checked. The address is the audit log's
(``client_ip``: REMOTE_ADDR, or the nearest untrusted X-Forwarded-For hop behind
KINSIGHT_TRUSTED_PROXIES)."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from kinsight.audit.middleware import client_ip


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address in the running window."""
    address = client_ip(request)
    if address is None:
        return 0
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request: HttpRequest) -> bool:
    if not settings.LOGIN_RATE_LIMIT:
        return False
    return address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
