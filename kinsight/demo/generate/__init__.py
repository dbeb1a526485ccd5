"""The demo's generators: a synthetic municipality and everything hanging on its
persons, one module per app (organisation, people, detection, interventions, family,
assessment, groups; audit rows for the bench), written in bulk (bulk.py). Everything made is
invented and marked (``is_demo``, ``is_synthetic``)."""

import time

from django.db import connection

from kinsight.demo.generate import bulk
from kinsight.demo.generate.assessment import generate_assessment
from kinsight.demo.generate.detection import generate_detection
from kinsight.demo.generate.family import families_for, generate_family
from kinsight.demo.generate.groups import generate_groups
from kinsight.demo.generate.interventions import generate_interventions
from kinsight.demo.generate.october import generate_october
from kinsight.demo.generate.organisation import districts_for, generate_municipality
from kinsight.demo.generate.people import generate_people
from kinsight.demo.generate.register import generate_register_showcase
from kinsight.people.grants import grants_rebuild
from kinsight.people.models import PersonGrant


def generate_all(*, name, code, persons, staff_per_unit=3, seed=1, districts=None, progress=None):
    """A municipality with ``persons`` persons and everything hanging on them, stage
    by stage, each stage streamed and committed in batches. ``progress``: see
    bulk.stage. Returns (stage name, what it made, seconds) per
    stage."""
    stages = []

    def timed(label, make, **arguments):
        started = time.perf_counter()
        made = make(**arguments)
        stages.append((label, made, time.perf_counter() - started))
        return made

    result = timed(
        "organisation",
        generate_municipality,
        name=name,
        code=code,
        staff_per_unit=staff_per_unit,
        seed=seed,
        districts=districts or districts_for(persons),
        progress=progress,
    )
    common = {"municipality": result.municipality, "seed": seed}
    if persons:
        timed("people", generate_people, persons=persons, progress=progress, **common)
        timed("register", generate_register_showcase, **common)
        timed("detection", generate_detection, progress=progress, **common)
        timed("october", generate_october, progress=progress, **common)
        timed("interventions", generate_interventions, **common)
        families = families_for(persons)
        timed("family", generate_family, families=families, progress=progress, **common)
        timed("assessment", generate_assessment, progress=progress, **common)
        timed("groups", generate_groups, progress=progress, **common)
    timed("statistics", _analyze, progress=progress)
    timed("grants", _grants, municipality=result.municipality, progress=progress)
    return result, stages


def _grants(*, municipality, progress):
    """The kept access grants of everything written above: the bulk writes bypass the
    services that keep them, so they are rebuilt once (one INSERT … SELECT)."""
    with bulk.stage(progress, "behörigheter", 1) as bar:
        made = grants_rebuild(municipality.pk)
        bulk.analyze(PersonGrant)
        bar.update(1)
    return {"grants": made}


def _analyze(*, progress):
    """Fresh planner statistics after the bulk load (PostgreSQL), before the grants
    are computed from it."""
    if connection.vendor != "postgresql":
        return {}
    with bulk.stage(progress, "statistik", 1) as bar, connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        bar.update(1)
    return {}
