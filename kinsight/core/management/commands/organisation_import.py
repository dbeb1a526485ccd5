"""Import a municipality's organisation from a CSV file (docs/operations.md)."""

from django.core.management.base import CommandError

from kinsight.core.commands import MunicipalityCommand
from kinsight.core.setup import SetupError, organisation_import


class Command(MunicipalityCommand):
    help = (
        "Create the organisation units of a CSV file with the columns name,kind,parent,"
        "unit_type (UTF-8, a header line). Units that exist are kept; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="municipality code")
        parser.add_argument("file", help="the CSV file")

    def handle(self, *args, municipality: str, file: str, **options):
        target = self.municipalities(municipality).get()
        try:
            with open(file, encoding="utf-8-sig", newline="") as source:
                result = organisation_import(target, source)
        except (OSError, SetupError) as error:
            raise CommandError(f"{file}: {error}; nothing imported") from error
        self.stdout.write(
            f"{target.code} {target.name}: {len(result.created)} created, "
            f"{len(result.existing)} already there"
        )
