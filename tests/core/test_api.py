"""The REST API: token or session auth, the UI's rules, JSON errors."""

import pytest
from rest_framework.test import APIClient

from kinsight.audit.models import AuditEntry
from kinsight.core.models import OrgUnit, UnitType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_token(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(user)}")
    return api


def test_it_needs_authentication(api, org):
    response = api.get("/api/v1/org-units/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_it_lists_the_organisation_with_a_token(api, administrator, org):
    response = as_token(api, administrator).get("/api/v1/org-units/")
    assert response.status_code == 200
    names = {row["name"] for row in response.json()["results"]}
    assert "Socialnämnden" in names


def test_it_never_shows_another_municipalitys_rows(api, administrator, other_org):
    as_token(api, administrator)
    theirs = other_org["board"]
    assert api.get(f"/api/v1/org-units/{theirs.pk}/").status_code == 404
    listed = {row["id"] for row in api.get("/api/v1/org-units/").json()["results"]}
    ours = set(
        OrgUnit.objects.filter(municipality=administrator.municipality).values_list("pk", flat=True)
    )
    assert listed and listed <= ours


def test_a_staff_record_of_another_municipality_is_404(api, administrator, outsider):
    response = as_token(api, administrator).get(f"/api/v1/staff/{outsider.pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_case_worker_gets_404_for_staff_records(api, worker, administrator):
    response = as_token(api, worker).get(f"/api/v1/staff/{administrator.pk}/")
    assert response.status_code == 404


def test_reading_a_staff_record_is_audited(api, administrator, worker):
    as_token(api, administrator).get(f"/api/v1/staff/{worker.pk}/")
    entry = AuditEntry.objects.get(action="read", object_type="core.user")
    assert entry.object_id == str(worker.pk) and entry.actor == administrator


def test_it_creates_a_unit_through_the_service(api, administrator, org):
    response = as_token(api, administrator).post(
        "/api/v1/org-units/",
        {
            "name": "Nya enheten",
            "kind": "unit",
            "unit_type": "violence",
            "parent": org["district"].pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = OrgUnit.objects.get(name="Nya enheten")
    assert AuditEntry.objects.filter(action="create", object_id=str(created.pk)).exists()


def test_a_malformed_body_gets_400_with_field_messages(api, administrator, org):
    response = as_token(api, administrator).post(
        "/api/v1/org-units/", {"name": "", "kind": "planet"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "name" in body and "kind" in body


def test_invalid_json_gets_400(api, administrator):
    response = as_token(api, administrator).post(
        "/api/v1/org-units/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_rule_violation_gets_400_naming_the_field(api, administrator, org):
    response = as_token(api, administrator).post(
        "/api/v1/org-units/",
        {"name": "Enhet utan typ", "kind": "unit", "parent": org["district"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert "unit_type" in response.json()


def test_a_stale_update_gets_409(api, administrator, org):
    unit = org["units"][UnitType.VIOLENCE]
    as_token(api, administrator)
    first = api.patch(
        f"/api/v1/org-units/{unit.pk}/", {"name": "Våld A", "version": 1}, format="json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api.patch(
        f"/api/v1/org-units/{unit.pk}/", {"name": "Våld B", "version": 1}, format="json"
    )
    assert second.status_code == 409
    unit.refresh_from_db()
    assert unit.name == "Våld A"


def test_a_case_worker_may_not_create_units(api, worker, org):
    response = as_token(api, worker).post(
        "/api/v1/org-units/", {"name": "X", "kind": "board"}, format="json"
    )
    assert response.status_code == 403


def test_the_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/org-units/" in schema.json()["paths"]
    assert client.get("/api/docs/").status_code == 200


def test_session_auth_needs_the_totp_step(client, administrator, org):
    client.force_login(administrator, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/org-units/").status_code in (401, 403)


def test_session_auth_works_after_the_totp_step(client, login, administrator, org):
    login(administrator)
    assert client.get("/api/v1/org-units/").status_code == 200


@pytest.mark.parametrize("extra", [0, 10])
def test_the_staff_list_uses_a_constant_number_of_queries(
    api, administrator, org, municipality, extra, django_assert_num_queries
):
    from tests import factories

    for _ in range(extra):
        factories.staff(municipality, role="case_worker", unit=org["units"][UnitType.VIOLENCE])
    as_token(api, administrator)
    api.get("/api/v1/org-units/")  # the token's first use also writes its last use
    # token with user and municipality 1, role scopes 1, count 1, page 1, memberships 1
    with django_assert_num_queries(5):
        assert api.get("/api/v1/staff/").status_code == 200
