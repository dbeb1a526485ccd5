"""Prometheus metrics (django-prometheus) at /metrics, for the monitoring server only.

Allowed from the addresses and networks in KINSIGHT_METRICS_ALLOWED (the client
address as the audit log takes it, behind the proxy too); unset allows nobody. The
metrics count requests by view, method and status, and database and cache use: no
personal data.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from kinsight.audit.middleware import client_ip


def metrics_allowed(address: str | None) -> bool:
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in settings.KINSIGHT_METRICS_ALLOWED)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(client_ip(request)):
        return HttpResponseForbidden(
            "Metrics are not allowed from this address. "
            "Set KINSIGHT_METRICS_ALLOWED to the monitoring server's address.",
            content_type="text/plain; charset=utf-8",
        )
    return ExportToDjangoView(request)
