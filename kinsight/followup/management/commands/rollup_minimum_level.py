import datetime

from django.core.management.base import BaseCommand, CommandError

from kinsight.core.models import Municipality
from kinsight.followup.services import minimum_level_rollup


def _month(value):
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"{value!r}: write the month as YYYY-MM") from error


class Command(BaseCommand):
    help = (
        "Fill the minimum-level rollup (MinimumLevelMonth) for complete months. "
        "Idempotent: months in the range are rewritten. Run nightly, e.g. --from last month; "
        "and every few minutes with --running, which keeps the running month up to today."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="since", type=_month, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="until", type=_month, help="last month, YYYY-MM")
        parser.add_argument("--municipality", help="municipality code (default: all)")
        parser.add_argument(
            "--running",
            action="store_true",
            help="also the running month up to today (alone, once earlier months are kept)",
        )

    def handle(self, *args, since=None, until=None, municipality=None, running=False, **options):
        target = None
        if municipality:
            target = Municipality.objects.filter(code=municipality).first()
            if target is None:
                raise CommandError(f"no municipality with code {municipality}")
        rows = minimum_level_rollup(municipality=target, since=since, until=until, running=running)
        if options["verbosity"]:
            self.stdout.write(f"miniminivå: {rows} rader")
