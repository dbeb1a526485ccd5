"""An assessment part's writes carry the version they read (issue 9 §6): the first
write too (0), so two units' colleagues writing the same new part do not overwrite."""

from kinsight.assessment import services
from kinsight.assessment.models import AssessmentPart
from tests.versioning import (
    STALE,
    api_refuses_missing_and_stale_version,
    page_refuses_missing_and_stale_version,
)


def _url(work, unit):
    return f"/familjearenden/{work.pk}/bedomning/family/enhet/{unit.pk}/"


def test_it_refuses_a_part_edit_without_or_with_a_stale_version(
    client, login, work, worker, adult_unit
):
    part = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key="family",
        unit=adult_unit,
        data={"needs": "Först"},
        expected_version=0,
    )
    login(worker)
    data = {"needs": "Senare"}
    page_refuses_missing_and_stale_version(client, _url(work, adult_unit), data, stale=0)
    api_refuses_missing_and_stale_version(
        client, "patch", f"/api/v1/assessment-parts/{part.pk}/", data, stale=0
    )
    assert AssessmentPart.objects.get(pk=part.pk).needs == "Först"


def test_a_second_first_write_of_the_same_part_is_refused(
    client, login, work, worker, colleague, adult_unit
):
    login(worker)
    assert 'name="version" value="0"' in client.get(_url(work, adult_unit)).content.decode()
    services.part_save(
        actor=colleague,
        family_work=work,
        perspective_key="family",
        unit=adult_unit,
        data={"needs": "Kollegans"},
        expected_version=0,
    )
    response = client.post(_url(work, adult_unit), {"needs": "Mina", "version": 0})
    assert STALE in response.content.decode()
    assert AssessmentPart.objects.get(perspective="family").needs == "Kollegans"
