from kinsight.assessment.models import AssessmentPart, InstrumentResult
from kinsight.demo.generate.assessment import generate_assessment


def test_it_generates_parts_natural_to_each_unit_once(work, municipality, household):
    made = generate_assessment(municipality=municipality, seed=3)
    kinds = {
        (part.unit.unit_type, part.kind) for part in AssessmentPart.objects.select_related("unit")
    }
    assert ("adults_addiction", "parent") in kinds and ("children_youth", "child") in kinds
    assert ("economic_assistance", "family") in kinds
    assert ("children_youth", "parent") not in kinds
    assert made["assessments"] == 1 and made["parts"] == AssessmentPart.objects.count()
    assert InstrumentResult.objects.count() == made["results"] == 2  # Anna and Per
    assert generate_assessment(municipality=municipality, seed=3)["parts"] == 0
