import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinsight.demo.generate.detection import generate_detection
from kinsight.demo.generate.organisation import generate_municipality
from kinsight.demo.generate.people import generate_people
from kinsight.detection.models import (
    ChildFlag,
    ChildQuestion,
    ChildRecord,
    ChildRecordStep,
    ConcernReport,
)


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


@pytest.mark.django_db
def test_it_generates_what_the_minimum_levels_definition_needs_to_show():
    """Issue 9 §4 in the demo: attended means both parts (infants "not applicable"
    with a reason), expected children, a returning parent's children recorded afresh
    on the new case, and reports awaiting feedback to the reporter."""
    municipality = generate_municipality(name="Genkommun", code="8888", seed=3).municipality
    generate_people(municipality=municipality, persons=3000, seed=3)
    made = generate_detection(municipality=municipality, seed=3)
    attended = ChildRecordStep.objects.filter(status="attended")
    assert attended.exists() and not attended.filter(child_information="").exists()
    assert not attended.filter(parent_talked_with=False).exists()
    not_applicable = attended.filter(child_information="not_applicable")
    assert not_applicable.exists() and not not_applicable.filter(child_information_reason="")
    assert ChildRecord.objects.filter(expected_month__isnull=False, birth_date=None).exists()
    assert ConcernReport.objects.awaiting_feedback().exists()
    assert not ConcernReport.objects.filter(
        reporter_category="anonymous", feedback_due_on__isnull=False
    ).exists()
    assert made["showcase"] >= 4  # infant, expected child, returning parent, feedback
    returning = ChildRecord.objects.filter(case__subject__contains="Ny ansökan").first()
    earlier = ChildRecord.objects.filter(parent=returning.parent, case__status="avslutad")
    assert earlier.exists() and returning.status == "identified"


def _reads(code, persons):
    """The SELECTs generate_detection runs (writes are batched by the database's
    limits on SQLite) and the concern reports it makes."""
    municipality = generate_municipality(name=f"Kommun {code}", code=code, seed=3).municipality
    generate_people(municipality=municipality, persons=persons, seed=3)
    with CaptureQueriesContext(connection) as queries:
        made = generate_detection(municipality=municipality, seed=3)
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    return len(selects), made["concern_reports"]


@pytest.mark.django_db
def test_its_reads_do_not_grow_with_the_rows_within_a_chunk_of_cases():
    """Within one chunk of cases (CHUNK), three times the rows cost the same reads: no
    query per row (a concern report once read its child record back, one query each)."""
    small, small_reports = _reads("8801", 1500)
    large, large_reports = _reads("8802", 4500)
    assert large_reports > small_reports + 20
    assert large == small
