"""Bench only: the same page with and without its audit write, to measure what the
audit costs. Demo settings only (it refuses otherwise); production serves
config.wsgi, which never loads this module.

Every audit row goes through two steps of kinsight.audit.services: `_prepare` (the
row and the persons it names, which may take a query) and `_append` (lock the chain
head, insert, move the head), whether written alone (audit_record) or with the
page's other reads (reads_batch). `install()` puts a switch in front of both: unless
`skip_audit` is set for the current request (a context variable, so the threads of
one server process switch independently) they run as always; when it is set,
`_prepare` only builds the unsaved row and `_append` writes nothing and returns the
rows, so callers that use the returned AuditEntry still work. `application` is a
WSGI entry for gunicorn that sets the switch from the request header
`X-Bench-No-Audit: 1`.
"""

import contextvars

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_AUDIT_HEADER = "X-Bench-No-Audit"
_ENVIRON_KEY = "HTTP_X_BENCH_NO_AUDIT"

skip_audit = contextvars.ContextVar("bench_skip_audit", default=False)


def _noop_prepare(*, actor, action, obj, municipality_id, object_type, object_id, **_rest):
    from kinsight.audit.models import AuditEntry

    if obj is not None:
        object_type, object_id = obj._meta.label_lower, obj.pk
        municipality_id = municipality_id or getattr(obj, "municipality_id", None)
    entry = AuditEntry(
        municipality_id=municipality_id or getattr(actor, "municipality_id", None),
        seq=0,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
    )
    return entry, []


def _noop_append(rows):
    return [entry for entry, _subjects in rows]


def _switch(module, name, noop):
    original = getattr(module, name)
    if getattr(original, "bench_switch", False):
        return

    def switched(*args, **kwargs):
        return (noop if skip_audit.get() else original)(*args, **kwargs)

    switched.bench_switch = True
    setattr(module, name, switched)


def install():
    """Put the switch in front of the audit's two steps. Idempotent."""
    if not settings.DEMO:
        raise ImproperlyConfigured(
            "kinsight.demo.bench.audit_switch is for the demo's benchmarks only"
        )
    from kinsight.audit import services

    _switch(services, "_prepare", _noop_prepare)
    _switch(services, "_append", _noop_append)


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
    # gunicorn kinsight.demo.bench.audit_switch:application — built on first access, after the
    # settings module is known (config.wsgi sets it the same way).
    if name == "application":
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        globals()["application"] = _wsgi_application()
        return globals()["application"]
    raise AttributeError(name)
