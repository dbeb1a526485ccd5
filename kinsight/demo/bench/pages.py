"""What the bench measures: the pages, each with the user who reads it and its URL on
the generated municipality (BENCH_PAGES in process; HTTP_PAGES over HTTP, the first
two also for the audit's cost and the second for its throughput)."""

import functools
from importlib import import_module

from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from kinsight.cases.models import Case
from kinsight.core.models import Role, User
from kinsight.demo.bench.load import BenchError
from kinsight.people.models import Person
from kinsight.ui import search_terms


@functools.cache
def targets(municipality_id):
    """The demo case worker's heaviest client (most journal notes and relationships
    among the persons with a case in the worker's units) and that person's case with
    the most notes: (person, case)."""
    worker = User.objects.get(username="handlaggare")
    units = worker.units_with_role(Role.CASE_WORKER)
    person = (
        Person.objects.filter(municipality_id=municipality_id, cases__unit_id__in=units)
        .annotate(
            weight=Count("cases__notes", distinct=True) + Count("relations_from", distinct=True)
        )
        .order_by("-weight", "pk")
        .first()
    )
    if person is None:
        raise BenchError("the case worker has no case: generate more persons")
    case = (
        Case.objects.filter(person=person, unit_id__in=units)
        .annotate(n=Count("notes"))
        .order_by("-n", "pk")
        .first()
    )
    return person, case


def _case_url(municipality):
    return f"/arenden/{targets(municipality.pk)[1].pk}/"


def _person_url(municipality):
    return f"/personer/{targets(municipality.pk)[0].pk}/"


def _person_log_url(municipality, query=""):
    return f"/logg/person/{targets(municipality.pk)[0].pk}/{query}"


def _person_log_recent_url(municipality):
    start = timezone.localdate() - timezone.timedelta(days=30)
    return _person_log_url(municipality, f"?start={start.isoformat()}&action=read")


def _group_effect_url(municipality):
    from kinsight.assessment.models import Instrument

    who5 = Instrument.objects.get(code="who5", municipality=None)
    return f"/api/v1/group-effect/?instrument={who5.pk}"


def searches(municipality_id):
    """The bench's searches: (kind, key, term). A search's term is posted, never in a
    URL (ui.search_terms); the bench keeps these in every session it signs in under
    fixed keys, so the measured URLs name them as a browser's results page would."""
    number = targets(municipality_id)[0].identifier
    return [
        ("people", "bench-name", "ander"),
        ("people", "bench-number", number),
        ("audit", "bench-log", number),
    ]


def seed_searches(session, municipality_id):
    for kind, key, term in searches(municipality_id):
        search_terms.remember(session, kind, term, key=key)
    session.save()


def seed_http_sessions(workers, municipality):
    """The bench's searches in the sessions of HTTP workers (load.workers_for)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for worker in workers:
        for cookies in worker.sessions.values():
            seed_searches(store(cookies[settings.SESSION_COOKIE_NAME]), municipality.pk)


# (label, username of the viewer, function(municipality) -> URL)
BENCH_PAGES = [
    ("start page", "admin", lambda m: "/"),
    ("organisation tree", "admin", lambda m: "/organisation/"),
    ("staff list (page 1)", "admin", lambda m: "/personal/"),
    ("staff search", "admin", lambda m: "/personal/?q=an"),
    (
        "staff detail",
        "admin",
        lambda m: f"/personal/{User.objects.filter(municipality=m).reverse()[0].pk}/",
    ),
    ("audit log", "loggranskare", lambda m: "/logg/"),
    # The person is the "hot" one of --audit-rows: 1 row in 100 and every other list read.
    ("person log (who saw)", "loggranskare", _person_log_url),
    ("person log, 30 days, reads", "loggranskare", _person_log_recent_url),
    ("person log, page 20", "loggranskare", lambda m: _person_log_url(m, "?page=20")),
    (
        "log: person search",
        "loggranskare",
        lambda m: "/logg/person/?s=bench-log",
    ),
    ("API staff list", "admin", lambda m: "/api/v1/staff/"),
    ("health check", None, lambda m: "/healthz"),
    ("person search (name)", "handlaggare", lambda m: "/personer/?s=bench-name"),
    ("person search (identifier)", "handlaggare", lambda m: "/personer/?s=bench-number"),
    ("person page", "handlaggare", _person_url),
    ("case page", "handlaggare", _case_url),
    ("my cases (25 rows)", "handlaggare", lambda m: "/arenden/mina/"),
    ("unit cases (25 rows)", "enhetschef", lambda m: "/arenden/"),
    ("API persons list", "handlaggare", lambda m: "/api/v1/persons/"),
    ("API cases list", "handlaggare", lambda m: "/api/v1/cases/"),
    ("work queue (worker)", "handlaggare", lambda m: "/att-gora/"),
    ("work queue (unit manager)", "enhetschef", lambda m: "/att-gora/?scope=unit"),
    ("work queue counts (nav)", "enhetschef", lambda m: "/att-gora/antal/"),
    ("minimum level dashboard", "ifochef", lambda m: "/uppfoljning/miniminiva/"),
    ("minimum level (unit manager)", "enhetschef", lambda m: "/uppfoljning/miniminiva/"),
    ("API minimum level", "ifochef", lambda m: "/api/v1/minimum-level/"),
    ("API group participants (leader)", "gruppledare", lambda m: "/api/v1/group-participants/"),
    ("API group effect (head of services)", "ifochef", _group_effect_url),
]


# The pages served side by side with the bare page (issue 10's table), and the pages
# whose audit write is measured: (label, username of the viewer, url function).
def _as(label, shown):
    """The page of BENCH_PAGES named ``label``, shown as ``shown``."""
    page = next(page for page in BENCH_PAGES if page[0] == label)
    return (shown, *page[1:])


HTTP_PAGES = [
    _as("person page", "person page"),
    _as("case page", "case page"),
    _as("person search (name)", 'person search "ander"'),
    _as("API persons list", "API persons list"),
    _as("work queue (worker)", "work queue"),
    _as("minimum level (unit manager)", "minimum level (unit manager)"),
    _as("minimum level dashboard", "minimum level (head of services)"),
    _as("person log (who saw)", "person log (log reviewer)"),
]
AUDIT_COST_PAGES = HTTP_PAGES[:2]
THROUGHPUT_PAGE = HTTP_PAGES[1]


def client_for(username):
    """A test client signed in as `username` (two-factor is off for the bench)."""
    client = Client(HTTP_HOST="127.0.0.1")
    if username is not None:
        user = User.objects.get(username=username)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if user.municipality_id:
            seed_searches(client.session, user.municipality_id)
    return client
