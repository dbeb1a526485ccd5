from django.core.management.base import BaseCommand, CommandError

from kinsight.audit.management.commands.audit_partitions import _month
from kinsight.audit.verify import verify_chain, verify_month
from kinsight.core.models import Municipality


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain of every municipality (or one, by code); "
        "with --month only that month, from where the chain stood before it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="kommunkod, e.g. 1480")
        parser.add_argument("--month", type=_month, help="YYYY-MM: verify this month only")

    def _verify(self, municipality, month):
        if month is None:
            return verify_chain(municipality.pk)
        return verify_month(municipality.pk, month).found

    def handle(self, *args, **options):
        municipalities = Municipality.objects.order_by("code")
        if options["municipality"]:
            municipalities = municipalities.filter(code=options["municipality"])
            if not municipalities:
                raise CommandError(f"no municipality with code {options['municipality']}")
        broken = []
        for municipality in municipalities:
            month = options["month"] and _month(options["month"])
            found = self._verify(municipality, month)
            if found:
                broken.append(
                    f"{municipality.code} {municipality.name}: first broken row seq={found.seq}"
                    f" ({found.reason})"
                )
            else:
                self.stdout.write(f"{municipality.code} {municipality.name}: chain intact")
        if broken:
            raise CommandError("audit chain broken\n" + "\n".join(broken))
