import ipaddress
import uuid

from django.conf import settings

from kinsight.audit import context, services


def _valid_ip(raw):
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address. REMOTE_ADDR, unless it is one of KINSIGHT_TRUSTED_PROXIES:
    then the nearest X-Forwarded-For address that is not a trusted proxy (anything
    further left was written by the client and cannot be trusted)."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "")
    trusted = settings.TRUSTED_PROXIES
    if remote is None or remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _valid_ip(hop)
        if address is None:
            return remote
        if address not in trusted:
            return address
    return remote


class RequestContextMiddleware:
    """Gives each request an id (echoed in X-Request-ID) for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        tokens = (
            context.request_id.set(request.request_id),
            context.client_ip.set(client_ip(request)),
        )
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(tokens[0])
            context.client_ip.reset(tokens[1])
        response["X-Request-ID"] = request.request_id
        return response


class AuditReadsMiddleware:
    """A page (GET or HEAD) writes the audit rows of all its reads together, after the
    view and its template and before the answer leaves (services.reads_batch): one
    transaction and four statements for the person page's three reads, not three
    transactions. When the rows cannot be written the page fails (500) unseen."""

    SAFE_METHODS = ("GET", "HEAD")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.SAFE_METHODS:
            return self.get_response(request)
        with services.reads_batch():
            return self.get_response(request)
