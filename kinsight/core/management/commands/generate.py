import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from kinsight.core import bulk
from kinsight.core.generate import districts_for, generate_municipality
from kinsight.core.models import Municipality


def generate_all(*, name, code, persons, staff_per_unit=3, seed=1, districts=None, progress=None):
    """A municipality with ``persons`` persons and everything hanging on them, stage
    by stage, each stage streamed and committed in batches. ``progress``: see
    kinsight.core.bulk.stage. Returns (stage name, what it made, seconds) per stage."""
    stages = []

    def timed(label, make):
        started = time.perf_counter()
        made = make()
        stages.append((label, made, time.perf_counter() - started))
        return made

    result = timed(
        "organisation",
        lambda: generate_municipality(
            name=name,
            code=code,
            staff_per_unit=staff_per_unit,
            seed=seed,
            districts=districts or districts_for(persons),
            progress=progress,
        ),
    )
    municipality = result.municipality
    if persons:
        from kinsight.assessment.generate import generate_assessment
        from kinsight.detection.generate import generate_detection
        from kinsight.family.generate import families_for, generate_family
        from kinsight.interventions.generate import generate_interventions
        from kinsight.people.generate import generate_people

        common = {"municipality": municipality, "seed": seed}
        timed("people", lambda: generate_people(persons=persons, progress=progress, **common))
        timed("detection", lambda: generate_detection(progress=progress, **common))
        timed("interventions", lambda: generate_interventions(**common))
        families = families_for(persons)
        timed(
            "family",
            lambda: generate_family(families=families, progress=progress, **common),
        )
        timed("assessment", lambda: generate_assessment(progress=progress, **common))
    timed("statistics", lambda: _analyze(progress))
    timed("grants", lambda: _grants(municipality, progress))
    return result, stages


def _grants(municipality, progress):
    """The kept access grants of everything written above: the bulk writes bypass the
    services that keep them, so they are rebuilt once (one INSERT … SELECT)."""
    from kinsight.people.grants import grants_rebuild
    from kinsight.people.models import PersonGrant

    with bulk.stage(progress, "behörigheter", 1) as bar:
        made = grants_rebuild(municipality.pk)
        bulk.analyze(PersonGrant)
        bar.update(1)
    return {"grants": made}


def _analyze(progress):
    """Fresh planner statistics after the bulk load (PostgreSQL), before the grants
    are computed from it."""
    if connection.vendor != "postgresql":
        return {}
    with bulk.stage(progress, "statistik", 1) as bar, connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        bar.update(1)
    return {}


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
            name=options["name"],
            code=options["code"],
            persons=options["persons"],
            staff_per_unit=options["staff_per_unit"],
            seed=options["seed"],
            districts=options["districts"],
            progress=progress,
        )
        self.stdout.write(
            f"{result.municipality}: {len(result.units)} enheter, {len(result.staff)} medarbetare"
        )
        for label, made, seconds in stages[1:]:
            counts = ", ".join(f"{value} {key}" for key, value in (made or {}).items())
            self.stdout.write(f"{label}: {seconds:.1f} s{': ' if counts else ''}{counts}")
