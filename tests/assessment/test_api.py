from kinsight.assessment.models import AssessmentPart, Instrument
from tests.assessment.conftest import consent


def test_it_writes_the_own_part_and_an_instrument_result_through_the_api(
    work, worker, adult_unit, household, client, login
):
    login(worker)
    anna = household["anna"]
    created = client.post(
        "/api/v1/assessment-parts/",
        {
            "family_work": work.pk,
            "perspective": f"parent:{anna.pk}",
            "unit": adult_unit.pk,
            "needs": "Behandling",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    part = created.json()
    assert part["kind"] == "parent" and part["person"] == anna.pk and part["version"] == 1

    updated = client.patch(
        f"/api/v1/assessment-parts/{part['id']}/",
        {"risk_factors": "Återfall", "version": 1},
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/assessment-parts/{part['id']}/",
        {"risk_factors": "Gammal", "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert AssessmentPart.objects.get().risk_factors == "Återfall"

    audit = Instrument.objects.get(code="audit", municipality=None)
    result = client.post(
        "/api/v1/instrument-results/",
        {
            "part": part["id"],
            "instrument": audit.pk,
            "sex": "male",
            "answers": {str(n): 4 for n in range(1, 11)},
        },
        content_type="application/json",
    )
    assert result.status_code == 201, result.content
    assert result.json()["total_score"] == 40
    assert result.json()["cutoff_label"] == "Möjligt beroende"


def test_it_refuses_a_couple_part_for_a_family_without_two_parents(
    work, worker, adult_unit, household, client, login
):
    work.members.filter(person=household["per"]).update(ended_on=work.started_on)
    login(worker)
    anna, per = household["anna"], household["per"]
    response = client.post(
        "/api/v1/assessment-parts/",
        {
            "family_work": work.pk,
            "perspective": f"couple:{anna.pk}:{per.pk}",
            "unit": adult_unit.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "parrelation" in response.json()["perspective"][0]


def test_it_answers_403_when_changing_another_units_shared_part(
    work, worker, adult_unit, child_worker, household, client, login
):
    from kinsight.assessment import services

    part = services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=f"child:{household['kim'].pk}",
        unit=adult_unit,
        data={"needs": "x"},
        expected_version=0,
    )
    consent(work, household["kim"], recorded_by=worker, unit=adult_unit)
    login(child_worker)
    url = f"/api/v1/assessment-parts/{part.pk}/"
    assert client.get(url).status_code == 200
    response = client.patch(url, {"needs": "y"}, content_type="application/json")
    assert response.status_code == 403


def test_it_lists_instruments_read_only_and_in_the_schema(worker, client, login):
    login(worker)
    listed = client.get("/api/v1/instruments/").json()["results"]
    # Shipped: AUDIT and DUDIT for assessments, WHO-5 for the support groups' measurements.
    assert {i["code"] for i in listed} == {"audit", "dudit", "who5"}
    who5 = next(i for i in listed if i["code"] == "who5")
    assert (who5["higher_is_better"], who5["clinical_cutoff"]) == (True, 12.5)
    assert client.post("/api/v1/instruments/", {}).status_code == 405
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/assessments/",
        "/api/v1/assessment-parts/",
        "/api/v1/instrument-results/",
        "/api/v1/instruments/",
    ):
        assert path in schema
