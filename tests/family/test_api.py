import datetime

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.family.models import Consent, FamilyWork
from tests.family.conftest import give_consent

TODAY = datetime.date.today()


def test_it_starts_family_work_through_the_api(client, login, worker, open_case, household):
    login(worker)
    response = client.post(
        "/api/v1/family-work/",
        {
            "title": "Familjen Åberg",
            "from_case": open_case.pk,
            "members": [
                {"person": household["anna"].pk, "role": "parent_1"},
                {"person": household["kim"].pk, "role": "child"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["participants"][0]["is_coordinator"] is True
    assert FamilyWork.objects.get().members.count() == 2


def test_it_says_what_to_fix_for_a_consent_ending_before_it_starts(
    client, login, work, worker, household
):
    login(worker)
    response = client.post(
        "/api/v1/consents/",
        {
            "family_work": work.pk,
            "person": household["anna"].pk,
            "purpose": "sharing",
            "form": "oral",
            "all_units": True,
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY - datetime.timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "upphöra före" in response.content.decode()
    assert not Consent.objects.exists()


def test_it_withdraws_a_consent_through_the_api(client, login, joined, worker, household):
    consent = give_consent(worker, joined, household["anna"])
    login(worker)
    response = client.post(
        f"/api/v1/consents/{consent.pk}/withdraw/",
        {"reason": "Ångrat sig."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"


def test_it_lists_nothing_for_units_not_taking_part(client, login, joined, bystander, outsider):
    for user in (bystander, outsider):
        login(user)
        for path in ("family-work", "family-members", "consents", "family-meetings"):
            assert client.get(f"/api/v1/{path}/").json()["count"] == 0


@pytest.mark.parametrize("rows", [1, 3])
def test_it_lists_consents_with_a_fixed_number_of_queries(
    client, login, joined, worker, household, django_assert_max_num_queries, rows
):
    for _index in range(rows):
        give_consent(worker, joined, household["per"])
    login(worker)
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/consents/")
    assert response.json()["count"] == rows
    assert AuditEntry.objects.filter(
        actor=worker, action="read", object_type="family.consent"
    ).exists()


def test_it_is_in_the_openapi_schema(client, login, worker):
    login(worker)
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/family-work/", "/api/v1/consents/", "/api/v1/follow-up-tasks/"):
        assert path in schema
