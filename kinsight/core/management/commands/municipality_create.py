"""Create a municipality (a tenant) with its empty audit chain."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinsight.core.models import Municipality
from kinsight.core.services import municipality_create


class Command(BaseCommand):
    help = "Create a municipality: --code (kommunkod, four digits) and --name."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="kommunkod, e.g. 1480")
        parser.add_argument("--name", required=True, help="e.g. Göteborgs stad")

    def handle(self, *args, code: str, name: str, **options):
        if not (len(code) == 4 and code.isdigit()):
            raise CommandError(f"{code!r}: the kommunkod is four digits")
        try:
            Municipality(code=code, name=name).full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        municipality = municipality_create(name=name, code=code)
        self.stdout.write(f"created municipality {municipality.code} {municipality.name}")
