"""The support groups' effect report at scale: N anonymous participants of one
programme with a before and an after WHO-5, written in bulk, then the report timed in
process with its statement count, for each N. The report reads every measurement of
its scope once, so its time grows with the participants measured (not with the
municipality); the figures show by how much."""

import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.assessment.models import Instrument
from kinsight.core.models import NodeKind, OrgUnit, User
from kinsight.demo.bench.load import summary
from kinsight.groups import queries
from kinsight.groups.models import (
    Cycle,
    GroupParticipant,
    Measurement,
    Point,
    Programme,
    ProgrammeMeasure,
    Provider,
)
from kinsight.interventions.models import ProviderKind


def _programme(municipality, who5, size):
    provider = Provider.objects.create(
        municipality=municipality, name=f"Bänk {size}", kind=ProviderKind.EXTERNAL
    )
    programme = Programme.objects.create(
        municipality=municipality,
        name=f"Bänkprogram {size}",
        problem_area="addiction",
        target_group="children",
        provider=provider,
    )
    for point in (Point.BEFORE, Point.AFTER):
        ProgrammeMeasure.objects.create(
            municipality=municipality, programme=programme, instrument=who5, point=point
        )
    return programme


def _measured(municipality, programme, who5, size, rng):
    district = OrgUnit.objects.filter(municipality=municipality, kind=NodeKind.DISTRICT).first()
    cycle = Cycle.objects.create(
        municipality=municipality,
        programme=programme,
        name=f"Bänkomgång {size}",
        district=district,
        start_on="2026-01-15",
    )
    participants = GroupParticipant.objects.bulk_create(
        GroupParticipant(
            municipality=municipality,
            cycle=cycle,
            age_band="7-12",
            intake="self",
            status="completed",
            measurement_consent=True,
        )
        for _ in range(size)
    )
    rows = []
    for participant in participants:
        before = [rng.randint(0, 4) for _ in range(5)]
        after = [min(5, score + rng.choice((0, 0, 1, 1, 2))) for score in before]
        for point, scores in ((Point.BEFORE, before), (Point.AFTER, after)):
            rows.append(
                Measurement(
                    municipality=municipality,
                    participant=participant,
                    instrument=who5,
                    point=point,
                    answers={str(n): s for n, s in enumerate(scores, start=1)},
                    total_score=sum(scores),
                )
            )
    Measurement.objects.bulk_create(rows, batch_size=5000)


def effect_report_figures(municipality, *, sizes=(1_000, 10_000), repeat=10, seed=1):
    """[{participants, p50_ms, p95_ms, statements, pairs}] per size."""
    who5 = Instrument.objects.get(code="who5", municipality=None)
    head = User.objects.get(municipality=municipality, username="ifochef")
    rng = random.Random(seed)
    figures = []
    for size in sizes:
        programme = _programme(municipality, who5, size)
        _measured(municipality, programme, who5, size, rng)
        # Once untimed: the head's role scopes are read once per request in real use.
        queries.effect_report(actor=head, instrument=who5, programme_id=programme.pk)
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                report = queries.effect_report(
                    actor=head, instrument=who5, programme_id=programme.pk
                )
                timings.append((time.perf_counter() - started) * 1000)
        figures.append(
            {
                "participants": size,
                **summary(timings),
                "statements": len(captured.captured_queries),
                "pairs": report.pairs,
            }
        )
    return figures
