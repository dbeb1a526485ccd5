from django.core.management.base import CommandError

from kinsight.core.commands import MunicipalityCommand
from kinsight.people.grants import grants_compare, grants_rebuild


class Command(MunicipalityCommand):
    help = (
        "Recompute every access grant from its sources (cases, registrations, family "
        "relationships) and compare with the kept grants; --repair replaces them."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--repair", action="store_true", help="rebuild the grants where they differ"
        )

    def handle(self, *args, **options):
        differing = 0
        for municipality in self.municipalities(options["municipality"]):
            result = grants_compare(municipality.pk)
            self.stdout.write(
                f"{municipality.code} {municipality.name}: {result.missing} saknas, "
                f"{result.extra} för mycket"
            )
            for label, rows in (("saknas", result.missing_sample), ("extra", result.extra_sample)):
                for row in rows:
                    self.stdout.write(f"  {label}: {row}")
            if result.differences and options["repair"]:
                made = grants_rebuild(municipality.pk)
                self.stdout.write(f"  lagad: {made} åtkomster skrivna på nytt")
            elif result.differences:
                differing += 1
        if differing:
            raise CommandError(
                f"{differing} kommun(er) har åtkomster som skiljer sig från källorna; "
                "kör med --repair för att skriva om dem"
            )
