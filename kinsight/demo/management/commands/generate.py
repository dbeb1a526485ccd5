from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kinsight.core.models import Municipality
from kinsight.demo.generate import generate_all


class Command(BaseCommand):
    help = "Create a synthetic municipality (organisation, staff in every role). Demo data only."

    def add_arguments(self, parser):
        parser.add_argument("--name", default="Demokommun")
        parser.add_argument("--code", default="9999", help="four-digit municipality code")
        parser.add_argument("--staff-per-unit", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--persons",
            type=int,
            default=2000,
            help="synthetic persons with families and cases (0: none)",
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=None,
            help="districts, each with every unit type (default: 2, one per 75,000 persons)",
        )

    def handle(self, *args, **options):
        if Municipality.objects.filter(code=options["code"]).exists():
            raise CommandError(f"municipality {options['code']} exists already")
        quiet = options["verbosity"] < 1

        def progress(desc, total):
            return tqdm(total=total, desc=desc, disable=quiet, unit_scale=True)

        result, stages = generate_all(
            progress=progress,
            **{key: options[key] for key in ("name", "code", "persons", "seed", "districts")},
            staff_per_unit=options["staff_per_unit"],
        )
        self.stdout.write(
            f"{result.municipality}: {len(result.units)} enheter, {len(result.staff)} medarbetare"
        )
        for label, made, seconds in stages[1:]:
            counts = ", ".join(f"{value} {key}" for key, value in (made or {}).items())
            self.stdout.write(f"{label}: {seconds:.1f} s{': ' if counts else ''}{counts}")
