import pytest
from django.utils import timezone

from kinsight.core.generate import generate_municipality
from kinsight.detection.generate import generate_detection
from kinsight.detection.models import (
    ChildFlag,
    ChildQuestion,
    ChildRecord,
    ChildRecordStep,
    ConcernReport,
)
from kinsight.people.generate import generate_people


@pytest.mark.django_db
def test_it_generates_every_state_the_queues_and_figures_need():
    municipality = generate_municipality(name="Genkommun", code="8888", seed=3).municipality
    generate_people(municipality=municipality, persons=3000, seed=3)
    made = generate_detection(municipality=municipality, seed=3)
    assert made["child_records"] > 20
    answers = set(ChildQuestion.objects.values_list("has_children", flat=True))
    assert answers == {"yes", "no", "unknown"}
    assert set(ChildRecord.objects.values_list("status", flat=True)) >= {
        "identified",
        "attended",
        "no_further_need",
    }
    assert ChildRecord.objects.filter(child__isnull=True).exists()
    assert ChildFlag.objects.exists()
    assert set(ConcernReport.objects.values_list("source", flat=True)) == {"internal", "external"}
    assert ConcernReport.objects.due_by(timezone.localdate()).exists()
    # Every non-identified record has a dated attended step, as the services write it.
    for record in ChildRecord.objects.exclude(status="identified")[:20]:
        step = ChildRecordStep.objects.get(record=record, status="attended")
        assert step.on == record.attended_on
