import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from kinsight.audit import anchor, partitions
from kinsight.audit.models import AuditChainHead, AuditCheckpoint
from kinsight.audit.verify import verify_month
from kinsight.core.commands import parse_month
from kinsight.core.models import Municipality


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
        with connection.cursor() as cursor:
            old = [month for month in partitions.existing(cursor) if month < before]
        for month in old:
            checkpoints = self._verified(month)
            _sign_removal(checkpoints)
            with transaction.atomic(), connection.cursor() as cursor:
                AuditCheckpoint.objects.bulk_create(checkpoints)
                partitions.drop(cursor, month)
            self.stdout.write(f"dropped {month:%Y-%m} ({len(checkpoints)} chains verified)")

    def _verified(self, month):
        """The month's checkpoint of every municipality with rows in it; refuses when
        a chain does not verify (nothing of this month or later is dropped)."""
        checkpoints = []
        for municipality in Municipality.objects.order_by("code"):
            result = verify_month(municipality.pk, month)
            if result.found:
                raise CommandError(
                    f"{month:%Y-%m} not dropped: {municipality.code} {municipality.name}: "
                    f"first broken row seq={result.found.seq} ({result.found.reason})"
                )
            if result.entries:
                last_seq, last_hash = result.last
                checkpoints.append(
                    AuditCheckpoint(
                        municipality=municipality,
                        month=month,
                        last_seq=last_seq,
                        last_hash=last_hash,
                        entries=result.entries,
                    )
                )
        return checkpoints


def _sign_removal(checkpoints):
    """Say outside the database, signed, up to where rows are removed: verify then
    accepts a chain starting there, and no other start (kinsight/audit/anchor.py)."""
    heads = AuditChainHead.objects.in_bulk([c.municipality_id for c in checkpoints])
    for checkpoint in checkpoints:
        head = heads[checkpoint.municipality_id]
        anchor.write(
            checkpoint.municipality_id,
            checkpoint.last_seq,
            checkpoint.last_hash,
            head.keyed_from,
            kind="removed",
        )
