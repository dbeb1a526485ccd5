from django.core.management import call_command
from django.core.management.base import CommandError

from kinsight.audit.verify import verify_chain, verify_month
from kinsight.core.commands import MunicipalityCommand, parse_month


class Command(MunicipalityCommand):
    help = (
        "Verify the audit log's hash chain of every municipality (or one, by code); "
        "with --month only that month, from where the chain stood before it. The whole "
        "chain is held against the signed checkpoints outside the database; a chain that "
        "holds gets a new checkpoint (audit_checkpoint)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--month", type=parse_month, help="YYYY-MM: verify this month only")

    def _verify(self, municipality, only):
        if only is None:
            return verify_chain(municipality.pk)
        return verify_month(municipality.pk, only).found

    def handle(self, *args, **options):
        broken = []
        for municipality in self.municipalities(options["municipality"]):
            found = self._verify(municipality, options["month"] and parse_month(options["month"]))
            if found:
                broken.append(
                    f"{municipality.code} {municipality.name}: first broken row seq={found.seq}"
                    f" ({found.reason})"
                )
            else:
                self.stdout.write(f"{municipality.code} {municipality.name}: chain intact")
                if options["month"] is None:
                    call_command(
                        "audit_checkpoint", municipality=municipality.code, stdout=self.stdout
                    )
        if broken:
            raise CommandError("audit chain broken\n" + "\n".join(broken))
