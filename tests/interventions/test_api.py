from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.audit.models import AuditEntry
from tests.interventions.conftest import days, give_consent


def test_it_has_every_endpoint_in_the_schema(client, login, worker):
    login(worker)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/interventions/",
        "/api/v1/plans/",
        "/api/v1/plan-interventions/",
        "/api/v1/referrals/",
        "/api/v1/referrals/{id}/step/",
        "/api/v1/placements/",
        "/api/v1/contact-events/",
    ):
        assert path in schema, path


def test_it_lists_the_catalogue_and_lets_only_administrators_write(
    client, login, worker, administrator, catalogue
):
    login(worker)
    listed = client.get("/api/v1/interventions/").json()
    assert listed["count"] == len(catalogue)
    body = {
        "name": "Ny",
        "target": "child",
        "provider_kind": "own_unit",
        "format": "group",
        "min_age": 12,
        "max_age": 9,
    }
    assert (
        client.post("/api/v1/interventions/", body, content_type="application/json").status_code
        == 403
    )
    login(administrator)
    refused = client.post("/api/v1/interventions/", body, content_type="application/json")
    assert refused.status_code == 400 and "max_age" in refused.json()
    body["max_age"] = 15
    made = client.post("/api/v1/interventions/", body, content_type="application/json")
    assert made.status_code == 201, made.content


def test_it_refuses_a_referral_without_consent_and_sends_one_with_it(
    client, login, worker, joined, household, child_unit, adult_unit
):
    login(worker)
    body = {
        "family_work": joined.pk,
        "person": household["kim"].pk,
        "to_unit": child_unit.pk,
        "reason": "Stödgrupp",
    }
    refused = client.post("/api/v1/referrals/", body, content_type="application/json")
    assert refused.status_code == 400
    assert "samtycke" in str(refused.json())
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    sent = client.post("/api/v1/referrals/", body, content_type="application/json")
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "sent" and len(sent.json()["steps"]) == 1


def test_it_answers_404_for_other_units_and_municipalities(
    client,
    login,
    worker,
    child_worker,
    econ_worker,
    outsider,
    joined,
    household,
    child_unit,
    adult_unit,
):
    give_consent(
        joined,
        household["kim"],
        by=worker,
        unit=adult_unit,
        purpose="referral",
        all_units=False,
        units=[child_unit],
    )
    login(worker)
    referral = client.post(
        "/api/v1/referrals/",
        {
            "family_work": joined.pk,
            "person": household["kim"].pk,
            "to_unit": child_unit.pk,
            "reason": "Stöd",
        },
        content_type="application/json",
    ).json()
    placement = client.post(
        "/api/v1/placements/",
        {
            "family_work": joined.pk,
            "child": household["kim"].pk,
            "kind": "hvb",
            "responsible_unit": adult_unit.pk,
            "start_on": days(-3).isoformat(),
        },
        content_type="application/json",
    )
    assert placement.status_code == 201, placement.content
    for user in (econ_worker, outsider):
        login(user)
        assert client.get(f"/api/v1/referrals/{referral['id']}/").status_code == 404
        assert client.get(f"/api/v1/placements/{placement.json()['id']}/").status_code == 404
        step = client.post(
            f"/api/v1/referrals/{referral['id']}/step/",
            {"status": "received", "version": referral["version"]},
            content_type="application/json",
        )
        assert step.status_code == 404
    login(child_worker)
    step = client.post(
        f"/api/v1/referrals/{referral['id']}/step/",
        {"status": "received", "version": referral["version"]},
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["status"] == "received"
    assert AuditEntry.objects.filter(
        object_type="interventions.referral", object_id=str(referral["id"]), action="update"
    ).exists()


def test_it_refuses_overlapping_placements_in_the_api(
    client, login, worker, joined, household, adult_unit
):
    login(worker)
    body = {
        "family_work": joined.pk,
        "child": household["kim"].pk,
        "kind": "family_home",
        "responsible_unit": adult_unit.pk,
        "start_on": days(-10).isoformat(),
    }
    assert (
        client.post("/api/v1/placements/", body, content_type="application/json").status_code == 201
    )
    body["start_on"] = days(-2).isoformat()
    again = client.post("/api/v1/placements/", body, content_type="application/json")
    assert again.status_code == 400 and "start_on" in again.json()


def test_it_lists_referrals_in_a_fixed_number_of_queries(
    client, login, worker, joined, household, adult_unit, child_unit, django_assert_max_num_queries
):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    login(worker)
    body = {
        "family_work": joined.pk,
        "person": household["kim"].pk,
        "to_unit": child_unit.pk,
        "reason": "Stöd",
    }
    client.post("/api/v1/referrals/", body, content_type="application/json")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/referrals/")
    baseline = len(one.captured_queries)  # now: the next request resets the log
    for _ in range(3):
        client.post("/api/v1/referrals/", body, content_type="application/json")
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/referrals/").json()["count"] == 4
    assert 0 < baseline <= 30
