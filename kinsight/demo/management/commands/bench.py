"""Print latency figures for the main pages on generated data, in stages:

- pages: p50/p95 and statements per page with the Django test client (BENCH_PAGES;
  each capability adds its own there);
- http: HTTP_PAGES served by gunicorn, each against the bare page /healthz in the same
  run, with the ratio page/bare (kinsight/demo/bench/stages.py, load.py);
- audit-cost: a page with and without its audit write, alternating, in process;
- throughput: audited reads per second of one municipality with 16 clients, against
  the same page unaudited, and the waits for the audit chain head's lock.

Run through `make bench` / `bin/bench`, which use a throwaway database; `--json` also
writes the figures to a file (docs/architecture.md, "Benchmarks").
"""

import functools
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinsight.core.models import Municipality, Role, User
from kinsight.demo.bench import stages
from kinsight.demo.bench.load import summary
from kinsight.demo.generate.organisation import DEMO_PASSWORD


@functools.cache
def _targets(municipality_id):
    """The demo case worker's heaviest client (most journal notes and relationships
    among the persons with a case in the worker's units) and that person's case with
    the most notes: (person, case)."""
    from kinsight.cases.models import Case
    from kinsight.people.models import Person

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
        raise CommandError("the case worker has no case: generate more persons")
    case = (
        Case.objects.filter(person=person, unit_id__in=units)
        .annotate(n=Count("notes"))
        .order_by("-n", "pk")
        .first()
    )
    return person, case


def _case_url(municipality):
    return f"/arenden/{_targets(municipality.pk)[1].pk}/"


def _person_url(municipality):
    return f"/personer/{_targets(municipality.pk)[0].pk}/"


def _person_log_url(municipality, query=""):
    return f"/logg/person/{_targets(municipality.pk)[0].pk}/{query}"


def _person_log_recent_url(municipality):
    from django.utils import timezone

    start = timezone.localdate() - timezone.timedelta(days=30)
    return _person_log_url(municipality, f"?start={start.isoformat()}&action=read")


def _identifier_search_url(municipality):
    return f"/personer/?q={_targets(municipality.pk)[0].identifier}"


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
        lambda m: f"/logg/person/?q={_targets(m.pk)[0].identifier}",
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


# The pages served side by side with the bare page (issue 10's table), and the pages
# whose audit write is measured: (label, username of the viewer, url function).
HTTP_PAGES = [
    ("person page", "handlaggare", _person_url),
    ("case page", "handlaggare", _case_url),
    ('person search "ander"', "handlaggare", lambda m: "/personer/?q=ander"),
    ("API persons list", "handlaggare", lambda m: "/api/v1/persons/"),
    ("work queue", "handlaggare", lambda m: "/att-gora/"),
    ("minimum level (unit manager)", "enhetschef", lambda m: "/uppfoljning/miniminiva/"),
    ("minimum level (head of services)", "ifochef", lambda m: "/uppfoljning/miniminiva/"),
    ("person log (log reviewer)", "loggranskare", _person_log_url),
]
AUDIT_COST_PAGES = HTTP_PAGES[:2]
THROUGHPUT_PAGE = HTTP_PAGES[1]
STAGES = ("pages", "http", "audit-cost", "throughput")


def _client_for(username):
    """A test client signed in as `username` (two-factor is off for the bench)."""
    client = Client(HTTP_HOST="127.0.0.1")
    if username is not None:
        user = User.objects.get(username=username)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


class Command(BaseCommand):
    help = (
        "Benchmark the main pages on a generated municipality (use a throwaway database): "
        "in process with query counts, over HTTP against the bare page, the audit "
        "write's cost and the audit's throughput."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=2000, help="persons to generate")
        parser.add_argument("--staff-per-unit", type=int, default=25)
        parser.add_argument(
            "--audit-rows",
            type=int,
            default=100_000,
            help="audit rows to generate in bulk before the pages are timed (0: none; "
            "1,000,000 for the log pages at scale, about 2 minutes on PostgreSQL)",
        )
        parser.add_argument("--repeat", type=int, default=30, help="requests per page, in process")
        parser.add_argument(
            "--http-repeat", type=int, default=48, help="requests per page, and of the bare page"
        )
        parser.add_argument("--concurrency", type=int, default=4, help="HTTP client threads")
        parser.add_argument("--gunicorn-workers", type=int, default=2, help="sync workers")
        parser.add_argument(
            "--audit-cost-repeat", type=int, default=60, help="requests each way per page"
        )
        parser.add_argument("--throughput-clients", type=int, default=16)
        parser.add_argument("--throughput-workers", type=int, default=4)
        parser.add_argument("--throughput-threads", type=int, default=4)
        parser.add_argument(
            "--throughput-seconds", type=float, default=5.0, help="length of one phase"
        )
        parser.add_argument("--throughput-rounds", type=int, default=2)
        parser.add_argument(
            "--skip", action="append", choices=STAGES, default=[], help="a stage to leave out"
        )
        parser.add_argument("--json", help="also write the figures to this file, as JSON")

    def _generate_audit_rows(self, municipality, rows):
        from kinsight.audit.models import AuditEntry, AuditSubject
        from kinsight.demo.generate.audit import generate_audit_rows

        started = time.perf_counter()
        generate_audit_rows(
            municipality_id=municipality.pk,
            rows=rows,
            hot_person_id=_targets(municipality.pk)[0].pk,
        )
        self.stdout.write(
            f"audit log: {rows} rows generated in {time.perf_counter() - started:.1f} s; "
            f"{AuditEntry.objects.count()} rows, {AuditSubject.objects.count()} subject rows"
        )

    def _generate(self, options):
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
        # As in production: the nightly run, then the frequent one that keeps the
        # running month (docs/operations.md); the bench's pages read the kept counts.
        call_command("rollup_minimum_level", verbosity=0)
        call_command("rollup_minimum_level", running=True, verbosity=0)
        rolled_up = time.perf_counter() - started
        municipality = Municipality.objects.get()
        if options["audit_rows"]:
            self._generate_audit_rows(municipality, options["audit_rows"])
        return municipality, {
            "database": connection.vendor,
            "persons": options["persons"],
            "generate_s": round(generated, 1),
            "rollup_s": round(rolled_up, 1),
            "audit_rows": options["audit_rows"],
            **stages.machine_load(),
        }

    def handle(self, *args, **options):
        if settings.OTP_REQUIRED:
            raise CommandError(
                "bench signs in as the demo does, without two-factor: "
                "set KINSIGHT_OTP_REQUIRED=false (bin/bench does)"
            )
        municipality, meta = self._generate(options)
        self.stdout.write(
            "database: {database}; {persons} persons generated in {generate_s} s; "
            "minimum-level rollup {rollup_s} s; load {load_1min} on {cores} cores".format(**meta)
        )
        report = {"meta": meta}
        skip = set(options["skip"])
        if "pages" not in skip:
            report["pages"] = self._pages(municipality, options["repeat"])
        if "http" not in skip:
            report["http"] = self._side_by_side(municipality, options)
        if "audit-cost" not in skip:
            report["audit_cost"] = self._audit_cost(municipality, options)
        if "throughput" not in skip:
            report["throughput"] = self._throughput(municipality, options)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(report, indent=2) + "\n")
            self.stdout.write(f"figures written to {options['json']}")

    def _pages(self, municipality, repeat):
        self.stdout.write(f"\nIn process (Django test client), repeat {repeat}:")
        self.stdout.write(f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
        rows = []
        for label, username, url_for in BENCH_PAGES:
            client = _client_for(username)
            url = url_for(municipality)
            timings, queries = [], 0
            for index in range(repeat + 2):
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
            row = {"page": label, **summary(timings), "queries": queries}
            rows.append(row)
            self.stdout.write(f"{label:<32}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{queries:>9}")
        return rows

    def _side_by_side(self, municipality, options):
        self.stdout.write(
            f"\nOver HTTP: gunicorn, {options['gunicorn_workers']} sync workers, "
            f"{options['concurrency']} client threads; per page {options['http_repeat']} "
            "requests of it and of the bare page (/healthz), in alternating blocks:"
        )
        result = stages.side_by_side(
            municipality,
            HTTP_PAGES,
            repeat=options["http_repeat"],
            concurrency=options["concurrency"],
            workers=options["gunicorn_workers"],
            password=DEMO_PASSWORD,
        )
        self.stdout.write(
            f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'bare p50':>10}{'bare p95':>10}"
            f"{'page/bare p50':>15}{'page/bare p95':>15}"
        )
        for row in result["rows"]:
            self.stdout.write(
                f"{row['page']:<32}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
                f"{row['bare_p50_ms']:>10.1f}{row['bare_p95_ms']:>10.1f}"
                f"{row['ratio_p50']:>14.1f}×{row['ratio_p95']:>14.1f}×"
            )
        bare = result["bare"]
        self.stdout.write(
            f"{'bare page (all blocks)':<32}{bare['p50_ms']:>9.1f}{bare['p95_ms']:>9.1f}"
            f"   load {result['load']['load_1min']}"
        )
        return result

    def _audit_cost(self, municipality, options):
        repeat = options["audit_cost_repeat"]
        self.stdout.write(
            f"\nAudit write cost: in process, {repeat} requests with and {repeat} without "
            "(the audit's steps swapped for no-ops), alternating:"
        )
        result = stages.audit_cost(
            municipality, AUDIT_COST_PAGES, repeat=repeat, client_for=_client_for
        )
        for row in result["rows"]:
            with_, without = row["with_audit"], row["without_audit"]
            self.stdout.write(
                f"{row['page']:<32}with audit p50 {with_['p50_ms']:.1f} ms "
                f"({with_['statements']} statements), without {without['p50_ms']:.1f} ms "
                f"({without['statements']}): with/without p50 {row['ratio_p50']:.2f}×, "
                f"p95 {row['ratio_p95']:.2f}×"
            )
        return result

    def _throughput(self, municipality, options):
        result = stages.audit_throughput(
            municipality,
            page=THROUGHPUT_PAGE,
            clients=options["throughput_clients"],
            workers=options["throughput_workers"],
            threads=options["throughput_threads"],
            seconds=options["throughput_seconds"],
            rounds=options["throughput_rounds"],
            password=DEMO_PASSWORD,
        )
        self.stdout.write(
            f"\nAudit throughput: {result['clients']} client threads, {result['server']}, "
            f"{result['page']}, alternating phases of {options['throughput_seconds']} s:"
        )
        for mode in ("audited", "unaudited"):
            row = result[mode]
            locks = row["locks"]
            waits = (
                f"; mean {locks['mean_active']} statements running, "
                f"{locks['mean_waiting_for_chain_head']} waiting for the chain head's lock "
                f"({locks['share_with_chain_head_wait']:.0%} of samples)"
                if locks
                else ""
            )
            self.stdout.write(
                f"{mode:<12}{row['reads_per_s']:>8.1f} reads/s, {row['audit_rows_per_s']:.1f} "
                f"audit rows/s, p50 {row['p50_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms{waits}"
            )
        ratio = result["audited"]["reads_per_s"] / result["unaudited"]["reads_per_s"]
        self.stdout.write(f"audited/unaudited reads per second: {ratio:.2f}×")
        return result
