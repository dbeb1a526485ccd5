from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kinsight.core.generate import DISTRICTS, UNIT_NAMES, generate_municipality
from kinsight.core.models import Municipality


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

    def handle(self, *args, **options):
        if Municipality.objects.filter(code=options["code"]).exists():
            raise CommandError(f"municipality {options['code']} exists already")
        total = len(DISTRICTS) * len(UNIT_NAMES)
        with tqdm(total=total, desc="enheter", disable=options["verbosity"] < 1) as bar:
            result = generate_municipality(
                name=options["name"],
                code=options["code"],
                staff_per_unit=options["staff_per_unit"],
                seed=options["seed"],
                progress=bar,
            )
        self.stdout.write(
            f"{result.municipality}: {len(result.units)} enheter, {len(result.staff)} medarbetare"
        )
        if options["persons"]:
            from kinsight.people.generate import generate_people

            with tqdm(
                total=options["persons"], desc="personer", disable=options["verbosity"] < 1
            ) as bar:
                made = generate_people(
                    municipality=result.municipality,
                    persons=options["persons"],
                    seed=options["seed"],
                    progress=bar,
                )
            self.stdout.write(
                f"{made['persons']} personer, {made['relationships']} relationer, "
                f"{made['cases']} ärenden, {made['notes']} anteckningar"
            )
            from kinsight.detection.generate import generate_detection

            found = generate_detection(municipality=result.municipality, seed=options["seed"])
            self.stdout.write(
                f"{found['child_questions']} barnfrågor, {found['child_records']} barn som "
                f"anhöriga, {found['flags']} markeringar, "
                f"{found['concern_reports']} orosanmälningar"
            )
            from kinsight.interventions.generate import generate_interventions

            generate_interventions(municipality=result.municipality, seed=options["seed"])
            from kinsight.family.generate import generate_family

            family = generate_family(municipality=result.municipality, seed=options["seed"])
            self.stdout.write(
                f"{family['family_works']} familjeärenden, {family['consents']} samtycken, "
                f"{family['meetings']} familjemöten, {family['tasks']} uppföljningsuppgifter"
            )
            from kinsight.assessment.generate import generate_assessment

            assessed = generate_assessment(municipality=result.municipality, seed=options["seed"])
            self.stdout.write(
                f"{assessed['assessments']} bedömningar, {assessed['parts']} delbedömningar, "
                f"{assessed['results']} instrumentresultat"
            )
