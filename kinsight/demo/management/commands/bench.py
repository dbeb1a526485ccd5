"""Print latency figures for the main pages on generated data, in stages:

- pages: p50/p95 and statements per page with the Django test client (BENCH_PAGES in
  kinsight/demo/bench/pages.py; each capability adds its own there);
- http: HTTP_PAGES served by gunicorn, each against the bare page /healthz in the same
  run, with the ratio page/bare (kinsight/demo/bench/stages.py, load.py);
- audit-cost: a page with and without its audit write, alternating, in process;
- throughput: audited reads per second of one municipality with 16 clients, against
  the same page unaudited, and the waits for the audit chain head's lock.
- groups: the support groups' effect report at sizes of a programme, in process;
- figures: the figures page, each registered definition by period and by unit, and the
  October survey page, as the head of services opens them, in process beside the bare
  page (kinsight/demo/bench/figures.py);
- annual: the annual report of the widest scope of `ifochef`, made in process as the
  background worker makes it, with its seconds and statements (kinsight/demo/bench/annual.py).
- imports: the generated persons, relationships and cases exported in the import format
  and imported (dry run and run, in process) into an empty municipality with the same
  organisation, timed per kind (kinsight/demo/bench/imports.py).

Run through `make bench` / `bin/bench`, which use a throwaway database; `--json` also
writes the figures to a file (docs/architecture.md, "Benchmarks").
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kinsight.audit.models import AuditEntry, AuditSubject
from kinsight.core.models import Municipality
from kinsight.demo.bench import annual, figures, groups, imports, pages, stages
from kinsight.demo.generate.audit import generate_audit_rows

# The stages in their order: name for --skip, key in the report and the JSON.
STAGES = {
    "pages": "pages",
    "http": "http",
    "audit-cost": "audit_cost",
    "throughput": "throughput",
    "groups": "groups",
    "figures": "figures",
    "annual": "annual",
    "imports": "imports",
}

# What a stage prints under its title: a heading (None: none) and the line of one row
# (str.format of the stage's row), so each stage names its table and _table prints it.
PAGES_TABLE = (
    f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}",
    "{page:<32}{p50_ms:>9.1f}{p95_ms:>9.1f}{queries:>9}",
)
HTTP_TABLE = (
    f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'bare p50':>10}{'bare p95':>10}"
    f"{'page/bare p50':>15}{'page/bare p95':>15}",
    "{page:<32}{p50_ms:>9.1f}{p95_ms:>9.1f}{bare_p50_ms:>10.1f}{bare_p95_ms:>10.1f}"
    "{ratio_p50:>14.1f}×{ratio_p95:>14.1f}×",
)
AUDIT_COST_TABLE = (
    None,
    "{page:<32}with audit p50 {with_audit[p50_ms]:.1f} ms "
    "({with_audit[statements]} statements), without {without_audit[p50_ms]:.1f} ms "
    "({without_audit[statements]}): with/without p50 {ratio_p50:.2f}×, p95 {ratio_p95:.2f}×",
)
GROUPS_TABLE = (
    f"{'participants':<16}{'p50 ms':>9}{'p95 ms':>9}{'statements':>12}",
    "{participants:<16}{p50_ms:>9.1f}{p95_ms:>9.1f}{statements:>12}",
)
FIGURES_TABLE = (
    f"{'page':<44}{'p50 ms':>9}{'p95 ms':>9}{'statements':>12}{'page/bare p50':>15}",
    "{page:<44}{p50_ms:>9.1f}{p95_ms:>9.1f}{queries:>12}{ratio_p50:>14.1f}×",
)
IMPORTS_TABLE = (
    None,
    "{kind:<16}{rows:>9} rows: export {export_s} s, dry run {dry_run_s} s, run {run_s} s, "
    "{state} {counts}",
)


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
            "--skip",
            action="append",
            choices=list(STAGES),
            default=[],
            help="a stage to leave out",
        )
        parser.add_argument(
            "--groups-sizes",
            default="1000,10000",
            help="participants of the support groups' effect report, comma-separated",
        )
        parser.add_argument("--groups-repeat", type=int, default=10)
        parser.add_argument(
            "--figures-repeat", type=int, default=5, help="requests per figures page, in process"
        )
        parser.add_argument("--json", help="also write the figures to this file, as JSON")

    def _generate_audit_rows(self, municipality, rows):

        started = time.perf_counter()
        generate_audit_rows(
            municipality_id=municipality.pk,
            rows=rows,
            hot_person_id=pages.targets(municipality.pk)[0].pk,
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
        for name, key in STAGES.items():
            if name not in skip:
                report[key] = getattr(self, f"_{key}")(municipality, options)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(report, indent=2) + "\n")
            self.stdout.write(f"figures written to {options['json']}")

    def _table(self, title, table, rows):
        """``title``, then ``table``'s heading (if it has one) and a line per row."""
        heading, line = table
        self.stdout.write(title)
        if heading:
            self.stdout.write(heading)
        for row in rows:
            self.stdout.write(line.format(**row))

    def _in_process(self, municipality, page_list, repeat):
        return stages.in_process(
            municipality, page_list, repeat=repeat, client_for=pages.client_for
        )

    def _pages(self, municipality, options):
        repeat = options["repeat"]
        rows = self._in_process(municipality, pages.BENCH_PAGES, repeat)
        self._table(f"\nIn process (Django test client), repeat {repeat}:", PAGES_TABLE, rows)
        return rows

    def _http(self, municipality, options):
        result = stages.side_by_side(
            municipality,
            pages.HTTP_PAGES,
            repeat=options["http_repeat"],
            concurrency=options["concurrency"],
            workers=options["gunicorn_workers"],
        )
        title = (
            f"\nOver HTTP: gunicorn, {options['gunicorn_workers']} sync workers, "
            f"{options['concurrency']} client threads; per page {options['http_repeat']} "
            "requests of it and of the bare page (/healthz), in alternating blocks:"
        )
        self._table(title, HTTP_TABLE, result["rows"])
        bare = result["bare"]
        self.stdout.write(
            f"{'bare page (all blocks)':<32}{bare['p50_ms']:>9.1f}{bare['p95_ms']:>9.1f}"
            f"   load {result['load']['load_1min']}"
        )
        return result

    def _audit_cost(self, municipality, options):
        repeat = options["audit_cost_repeat"]
        result = stages.audit_cost(
            municipality, pages.AUDIT_COST_PAGES, repeat=repeat, client_for=pages.client_for
        )
        title = (
            f"\nAudit write cost: in process, {repeat} requests with and {repeat} without "
            "(the audit's steps swapped for no-ops), alternating:"
        )
        self._table(title, AUDIT_COST_TABLE, result["rows"])
        return result

    def _groups(self, municipality, options):
        sizes = [int(size) for size in options["groups_sizes"].split(",")]
        rows = groups.effect_report_figures(
            municipality, sizes=sizes, repeat=options["groups_repeat"]
        )
        title = (
            "\nSupport groups' effect report (in process), participants of one programme "
            "each with a WHO-5 before and after:"
        )
        self._table(title, GROUPS_TABLE, rows)
        return rows

    def _figures(self, municipality, options):
        repeat = options["figures_repeat"]
        rows = self._in_process(municipality, figures.figures_pages(), repeat)
        bare = rows[0]["p50_ms"]
        for row in rows:
            row["ratio_p50"] = stages.ratio(row["p50_ms"], bare)
        title = (
            f"\nFigures page and October survey (in process, ifochef), repeat {repeat}, "
            "beside the bare page:"
        )
        self._table(title, FIGURES_TABLE, rows)
        return rows

    def _annual(self, municipality, options):
        row = annual.annual_report_figures(municipality)
        self.stdout.write(
            f"\nAnnual report {row['year']} for {row['scope']} (in process, as the worker "
            f"makes it): {row['sections']} sections in {row['seconds']:.2f} s, "
            f"{row['statements']} statements, {row['status']}; "
            f"PDF {row['pdf_kb']} kB, Excel {row['xlsx_kb']} kB"
        )
        return row

    def _imports(self, municipality, options):
        result = imports.import_figures(municipality)
        title = f"\nImport into an empty municipality ({result['database']}):"
        self._table(title, IMPORTS_TABLE, result["kinds"])
        self.stdout.write(f"all kinds, dry runs included: {result['total_s']} s")
        return result

    def _throughput(self, municipality, options):
        result = stages.audit_throughput(
            municipality,
            page=pages.THROUGHPUT_PAGE,
            **{
                key.removeprefix("throughput_"): value
                for key, value in options.items()
                if key.startswith("throughput_")
            },
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
