"""Bench only: the same page with and without its audit write, to measure what the
audit costs. Demo settings only (it refuses otherwise); production serves
config.wsgi, which never loads this module.

`install()` points every imported `audit_record` at a switch that calls the real one
unless `skip_audit` is set for the current request (a context variable, so threads of
one server process switch independently). The no-op returns an unsaved AuditEntry, so
callers that use the returned row still work. `application` is a WSGI entry for
gunicorn that sets the switch from the request header `X-Bench-No-Audit: 1`.
"""

import contextvars
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_AUDIT_HEADER = "X-Bench-No-Audit"
_ENVIRON_KEY = "HTTP_X_BENCH_NO_AUDIT"

skip_audit = contextvars.ContextVar("bench_skip_audit", default=False)
_original = None


def _noop_record(*, actor, action, obj=None, municipality_id=None, object_type="", **_rest):
    from kinsight.audit.models import AuditEntry

    if obj is not None:
        object_type = obj._meta.label_lower
    return AuditEntry(
        municipality_id=municipality_id or getattr(actor, "municipality_id", None),
        seq=0,
        action=action,
        object_type=object_type,
        object_id=str(getattr(obj, "pk", "")),
    )


def _switchable_record(**kwargs):
    if skip_audit.get():
        return _noop_record(**kwargs)
    return _original(**kwargs)


def install():
    """Swap `audit_record` in every module that imported it by name (call after the
    URLconf is loaded, so every view module is imported). Idempotent."""
    global _original
    if not settings.DEMO:
        raise ImproperlyConfigured("kinsight.core.benchaudit is for the demo's benchmarks only")
    from django.urls import get_resolver

    from kinsight.audit import services

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    if _original is None:
        _original = services.audit_record
    for module in list(sys.modules.values()):
        if getattr(module, "audit_record", None) is _original:
            module.audit_record = _switchable_record


def _wsgi_application():
    from django.core.wsgi import get_wsgi_application

    django_app = get_wsgi_application()
    install()

    def bench_application(environ, start_response):
        token = skip_audit.set(environ.get(_ENVIRON_KEY) == "1")
        try:
            return django_app(environ, start_response)
        finally:
            skip_audit.reset(token)

    return bench_application


def __getattr__(name):
    # gunicorn kinsight.core.benchaudit:application — built on first access, after the
    # settings module is known (config.wsgi sets it the same way).
    if name == "application":
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        globals()["application"] = _wsgi_application()
        return globals()["application"]
    raise AttributeError(name)
