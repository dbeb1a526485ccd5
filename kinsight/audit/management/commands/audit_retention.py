import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kinsight.audit import retention


class Command(BaseCommand):
    help = (
        "The audit log's retention: remove whole months older than "
        "KINSIGHT_AUDIT_RETENTION_YEARS (default 10; 0 keeps the log for ever), each only "
        "after every municipality's chain verified in it, with a signed checkpoint the "
        "rest verifies from. Run nightly (contrib/systemd/kinsight-retention.timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="YYYY-MM-DD: count the years from this day (default today)",
        )

    def handle(self, *args, today=None, **options):
        if isinstance(today, str):  # call_command passes the text as it is
            today = datetime.date.fromisoformat(today)
        today = today or timezone.localdate()
        first = retention.first_kept_month(today)
        if first is None:
            self.stdout.write("KINSIGHT_AUDIT_RETENTION_YEARS is 0: the audit log is kept for ever")
            return
        try:
            removed = retention.cull(today, self.stdout.write)
        except retention.RetentionRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"audit log kept from {first:%Y-%m}; {len(removed)} month(s) removed")
