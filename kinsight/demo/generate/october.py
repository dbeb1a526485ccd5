"""Answer histories for the October survey (kinsight.followup.october): the generated
child questions of open cases were answered in recent months, so on the census date two
years ago nobody had the answer "unknown" yet. Here some of the adult-addiction cases
open on that earlier date, and answered only after it, get an earlier answer "unknown"
(given before the earlier census date, later replaced by the current answer): the
earlier round shows both unknown and not asked, and the comparison shows them fixed."""

import datetime
import random

from django.utils import timezone

from kinsight.core.models import UnitType
from kinsight.demo.generate import detection_rows as build
from kinsight.detection.models import Answer, ChildQuestion, ChildQuestionAnswer
from kinsight.followup.minimum_level import open_on_q
from kinsight.followup.october import last_october

SHARE = 0.5  # of the cases answered after the earlier census date


def generate_october(*, municipality, seed, progress=None):
    rng = random.Random(seed * 13)
    today = timezone.localdate()
    earlier = last_october(today).replace(year=last_october(today).year - 2)
    cutoff = timezone.make_aware(datetime.datetime.combine(earlier, datetime.time(23, 59)))
    questions = (
        ChildQuestion.objects.filter(
            municipality=municipality,
            unit__unit_type=UnitType.ADULTS_ADDICTION,
            answered_at__gt=cutoff,
            answered_by__isnull=False,
        )
        .filter(open_on_q(earlier, "case__"))
        .select_related("case")
        .order_by("pk")
    )
    answers = [
        ChildQuestionAnswer(
            municipality=municipality,
            question=question,
            unit_id=question.unit_id,
            has_children=Answer.UNKNOWN,
            unknown_reason=rng.choice(build.UNKNOWN_REASONS),
            answered_at=build.aware(build.between(rng, question.case.opened_on, earlier), rng),
            answered_by_id=question.answered_by_id,
        )
        for question in questions.iterator(chunk_size=2000)
        if rng.random() < SHARE
    ]
    ChildQuestionAnswer.objects.bulk_create(answers, batch_size=2000)
    return {"earlier_unknown_answers": len(answers)}
