"""Print latency figures (p50/p95, queries) for the main pages on generated data.

Run through `make bench` / `bin/bench`, which use a throwaway database. Pages come
from BENCH_PAGES; each capability adds its own there.
"""

import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinsight.core.models import Municipality, Role, User


def _worker_case(municipality):
    """A case in the demo case worker's unit with the most notes (a realistic heavy page)."""
    from django.db.models import Count

    from kinsight.cases.models import Case

    worker = User.objects.get(username="handlaggare")
    units = worker.units_with_role(Role.CASE_WORKER)
    return (
        Case.objects.filter(municipality=municipality, unit_id__in=units)
        .annotate(n=Count("notes"))
        .order_by("-n", "pk")
        .first()
    )


def _case_url(municipality):
    return f"/arenden/{_worker_case(municipality).pk}/"


def _person_url(municipality):
    return f"/personer/{_worker_case(municipality).person_id}/"


def _person_log_url(municipality, query=""):
    return f"/logg/person/{_worker_case(municipality).person_id}/{query}"


def _person_log_recent_url(municipality):
    from django.utils import timezone

    start = timezone.localdate() - timezone.timedelta(days=30)
    return _person_log_url(municipality, f"?start={start.isoformat()}&action=read")


def _identifier_search_url(municipality):
    return f"/personer/?q={_worker_case(municipality).person.identifier}"


# (label, username of the viewer, function(municipality) -> URL)
BENCH_PAGES = [
    ("start page", "admin", lambda m: "/"),
    ("organisation tree", "admin", lambda m: "/organisation/"),
    ("staff list (page 1)", "admin", lambda m: "/personal/"),
    ("staff search", "admin", lambda m: "/personal/?q=an"),
    (
        "staff detail",
        "admin",
        lambda m: f"/personal/{User.objects.filter(municipality=m).last().pk}/",
    ),
    ("audit log", "loggranskare", lambda m: "/logg/"),
    # The person is the "hot" one of --audit-rows: 1 row in 100 and every other list read.
    ("person log (who saw)", "loggranskare", _person_log_url),
    ("person log, 30 days, reads", "loggranskare", _person_log_recent_url),
    ("person log, page 20", "loggranskare", lambda m: _person_log_url(m, "?page=20")),
    (
        "log: person search",
        "loggranskare",
        lambda m: f"/logg/person/?q={_worker_case(m).person.identifier}",
    ),
    ("API staff list", "admin", lambda m: "/api/v1/staff/"),
    ("health check", None, lambda m: "/healthz"),
    ("person search (name)", "handlaggare", lambda m: "/personer/?q=ander"),
    ("person search (identifier)", "handlaggare", _identifier_search_url),
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
]


def _client_for(username):
    client = Client(HTTP_HOST="127.0.0.1")
    if username is None:
        return client
    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


class Command(BaseCommand):
    help = "Benchmark the main pages on a generated municipality (use a throwaway database)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--staff-per-unit", type=int, default=25)
        parser.add_argument("--persons", type=int, default=2000, help="persons to generate")
        parser.add_argument(
            "--audit-rows",
            type=int,
            default=1_000_000,
            help="audit rows to generate in bulk before the pages are timed (0: none)",
        )

    def _generate_audit_rows(self, municipality, rows):
        from kinsight.audit.generate import generate_audit_rows
        from kinsight.audit.models import AuditEntry, AuditSubject

        started = time.perf_counter()
        generate_audit_rows(
            municipality_id=municipality.pk,
            rows=rows,
            hot_person_id=_worker_case(municipality).person_id,
        )
        self.stdout.write(
            f"audit log: {rows} rows generated in {time.perf_counter() - started:.1f} s; "
            f"{AuditEntry.objects.count()} rows, {AuditSubject.objects.count()} subject rows"
        )

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        if Municipality.objects.exists():
            raise CommandError("bench needs an empty database: it generates its own data")
        started = time.perf_counter()
        call_command(
            "generate",
            staff_per_unit=options["staff_per_unit"],
            persons=options["persons"],
            verbosity=0,
        )
        generated = time.perf_counter() - started
        started = time.perf_counter()
        call_command("rollup_minimum_level", verbosity=0)
        rolled_up = time.perf_counter() - started
        municipality = Municipality.objects.get()
        self.stdout.write(
            f"database: {connection.vendor}; {options['persons']} persons generated in "
            f"{generated:.1f} s; minimum-level rollup {rolled_up:.1f} s; "
            f"repeat {options['repeat']}"
        )
        if options["audit_rows"]:
            self._generate_audit_rows(municipality, options["audit_rows"])
        self.stdout.write(f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
        for label, username, url_for in BENCH_PAGES:
            client = _client_for(username)
            url = url_for(municipality)
            timings, queries = [], 0
            for index in range(options["repeat"] + 2):
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    begin = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - begin) * 1000
                if response.status_code != 200:
                    raise CommandError(f"{label}: {url} answered {response.status_code}")
                if index >= 2:  # the first two warm caches and connections
                    timings.append(elapsed)
                    queries = len(captured.captured_queries)
            self.stdout.write(
                f"{label:<32}{statistics.median(timings):>9.1f}"
                f"{_percentile(timings, 0.95):>9.1f}{queries:>9}"
            )
