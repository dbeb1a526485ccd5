import datetime

from django.core.management.base import BaseCommand, CommandError

from kinsight.audit import partitions, retention
from kinsight.core.commands import parse_month


class Command(BaseCommand):
    help = (
        "Create the audit log's monthly partitions ahead (PostgreSQL; run monthly), and "
        "with --drop-before remove whole months older than the one given, each only "
        "after every municipality's chain verified in it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ahead", type=int, default=partitions.AHEAD, help="months after the current one"
        )
        parser.add_argument(
            "--drop-before", type=parse_month, help="YYYY-MM: remove the months before this one"
        )

    def handle(self, *args, **options):
        if not partitions.partitioned():
            raise CommandError("the audit tables are not partitioned (PostgreSQL only)")
        this_month = partitions.month_of(datetime.datetime.now(datetime.UTC))
        last = partitions.add_months(this_month, options["ahead"])
        created = partitions.ensure(this_month, last)
        for month in created:
            self.stdout.write(f"created {month:%Y-%m}")
        self.stdout.write(f"partitions up to {last:%Y-%m} exist")
        if options["drop_before"]:
            self._drop_before(parse_month(options["drop_before"]), this_month)

    def _drop_before(self, before, this_month):
        if before > this_month:
            raise CommandError("--drop-before may not be later than the current month")
        report = lambda line: self.stdout.write(line.replace("removed", "dropped", 1))  # noqa: E731
        try:
            retention.remove_months_before(before, report)
        except retention.RetentionRefused as refused:
            raise CommandError(str(refused).replace("not removed", "not dropped")) from None
