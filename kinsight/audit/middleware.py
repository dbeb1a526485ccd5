import ipaddress
import uuid

from kinsight.audit import context


def _client_ip(request):
    # REMOTE_ADDR only: X-Forwarded-For is set by whoever asks. Behind a proxy, the
    # proxy must set REMOTE_ADDR (docs/operations.md).
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


class RequestContextMiddleware:
    """Gives each request an id (echoed in X-Request-ID) for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        tokens = (
            context.request_id.set(request.request_id),
            context.client_ip.set(_client_ip(request)),
        )
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(tokens[0])
            context.client_ip.reset(tokens[1])
        response["X-Request-ID"] = request.request_id
        return response
