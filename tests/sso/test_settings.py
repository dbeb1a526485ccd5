"""The administrator's page and API for the municipality's sign-in configuration."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from kinsight.sso.models import GroupRole, Protocol, SsoConfig, StaffIdentity
from tests import factories

pytestmark = pytest.mark.django_db

OIDC = {
    "protocol": "oidc",
    "provider_name": "Entra ID",
    "oidc_issuer": "https://login.example.se/tenant/v2.0",
    "oidc_client_id": "kinsight",
    "oidc_secret_source": "env:KINSIGHT_OIDC_SECRET_0180",
    "oidc_scopes": "openid email profile",
    "match_claim": "email",
    "match_field": "email",
    "groups_claim": "groups",
    "mfa_values": "mfa",
}


def config_for(municipality, **values):
    return SsoConfig.objects.create(municipality=municipality, **{**OIDC, **values})


def group_role(config, unit, group="ifo"):
    return GroupRole.objects.create(
        municipality=config.municipality,
        config=config,
        group=group,
        role=Role.CASE_WORKER,
        unit=unit,
    )


def test_it_saves_the_configuration_and_audits_it(client, login, administrator):
    login(administrator)
    response = client.post("/inloggning/", OIDC)
    assert response.status_code == 302
    config = SsoConfig.objects.get(municipality=administrator.municipality)
    assert config.protocol == Protocol.OIDC
    entry = AuditEntry.objects.get(action="create", object_type="sso.ssoconfig")
    assert entry.changes["oidc_secret_source"] == [None, "env:KINSIGHT_OIDC_SECRET_0180"]


def test_it_refuses_a_secret_instead_of_where_it_is(client, login, administrator):
    login(administrator)
    response = client.post("/inloggning/", {**OIDC, "oidc_secret_source": "s3cr3t"})
    assert response.status_code == 400
    assert "aldrig hemligheten själv" in response.content.decode()
    assert not SsoConfig.objects.exists()


@pytest.mark.parametrize(
    "source", ["env:SECRET_KEY", "file:/etc/passwd", "file:/etc/kinsight/sso/../audit.key"]
)
def test_it_refuses_a_secret_source_outside_what_the_operator_set_aside(
    client, login, administrator, source
):
    login(administrator)
    response = client.post("/inloggning/", {**OIDC, "oidc_secret_source": source})
    assert response.status_code == 400
    assert "env:KINSIGHT_OIDC_SECRET_" in response.content.decode()


def test_it_refuses_key_files_outside_the_secrets_folder(client, login, administrator):
    login(administrator)
    saml = {**OIDC, "protocol": "saml", "saml_idp_metadata_url": "https://idp.example.se/md"}
    saml.update(saml_sp_key_file="/etc/kinsight/secret.key", saml_sp_cert_file="/etc/ssl/sp.crt")
    response = client.post("/inloggning/", saml)
    assert response.status_code == 400
    assert "som filer i" in response.content.decode()


def test_it_refuses_a_stale_edit(client, login, administrator):
    config = config_for(administrator.municipality)
    login(administrator)
    SsoConfig.objects.filter(pk=config.pk).update(version=2)
    response = client.post("/inloggning/", {**OIDC, "version": 1})
    assert response.status_code == 400


def test_it_answers_404_to_anyone_but_an_administrator(client, login, worker):
    login(worker)
    assert client.get("/inloggning/").status_code == 404
    assert client.get("/inloggning/grupper/ny/").status_code == 404
    assert client.get("/inloggning/anstallningsnummer/").status_code == 404


def test_it_adds_and_removes_a_group_role(client, login, administrator, org):
    config = config_for(administrator.municipality)
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    login(administrator)
    response = client.post(
        "/inloggning/grupper/ny/", {"group": "ifo-vuxen", "role": Role.CASE_WORKER, "unit": unit.pk}
    )
    assert response.status_code == 302
    mapping = GroupRole.objects.get(config=config)
    assert client.post(f"/inloggning/grupper/{mapping.pk}/ta-bort/").status_code == 302
    assert not GroupRole.objects.exists()
    actions = set(
        AuditEntry.objects.filter(object_type="sso.grouprole").values_list("action", flat=True)
    )
    assert actions == {"create", "delete"}


def test_it_does_not_remove_another_municipalitys_group_role(
    client, login, administrator, outsider, other_org
):
    theirs = group_role(config_for(outsider.municipality), other_org["board"])
    login(administrator)
    assert client.post(f"/inloggning/grupper/{theirs.pk}/ta-bort/").status_code == 404


def test_it_refuses_a_group_role_before_the_configuration(client, login, administrator, org):
    login(administrator)
    response = client.post(
        "/inloggning/grupper/ny/", {"group": "x", "role": Role.CASE_WORKER, "unit": org["board"].pk}
    )
    assert response.status_code == 400
    assert "Spara inloggningsinställningarna först" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 4])
def test_the_page_runs_the_same_queries_for_any_number_of_groups(
    client, login, administrator, org, rows, django_assert_num_queries
):
    config = config_for(administrator.municipality)
    for number in range(rows):
        group_role(config, org["board"], group=f"grupp-{number}")
    login(administrator)
    client.get("/inloggning/")
    with django_assert_num_queries(5):
        page = client.get("/inloggning/")
    assert page.content.decode().count("grupp-") == rows * 2


def test_the_api_lists_and_changes_the_configuration_for_administrators(administrator, worker):
    config = config_for(administrator.municipality)
    api = factories.token_client(administrator)
    listed = api.get("/api/v1/sso-config/").json()
    assert [row["id"] for row in listed["results"]] == [config.pk]
    changed = api.patch(
        f"/api/v1/sso-config/{config.pk}/", {"mfa_values": "mfa\nhwk", "version": 1}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    refused = api.patch(
        f"/api/v1/sso-config/{config.pk}/",
        {"oidc_secret_source": "hemligt", "version": 2},
        format="json",
    )
    assert refused.status_code == 400 and "oidc_secret_source" in refused.json()
    assert factories.token_client(worker).get(f"/api/v1/sso-config/{config.pk}/").status_code == 404


def test_the_api_adds_a_group_role(administrator, org):
    config_for(administrator.municipality)
    api = factories.token_client(administrator)
    body = {"group": "ifo", "role": "case_worker", "unit": org["board"].pk}
    assert api.post("/api/v1/sso-group-roles/", body, format="json").status_code == 201


def test_it_sets_and_changes_an_employee_id(client, login, administrator, worker):
    config_for(administrator.municipality, match_field="employee_id")
    login(administrator)
    assert "Ange en medarbetares anställningsnummer" in client.get("/inloggning/").content.decode()
    for number in ("E-1", "E-2"):
        data = {"user": worker.pk, "employee_id": number}
        assert client.post("/inloggning/anstallningsnummer/", data).status_code == 302
    assert StaffIdentity.objects.get(user=worker).employee_id == "E-2"
    actions = list(
        AuditEntry.objects.filter(object_type="sso.staffidentity").values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_it_refuses_an_employee_id_someone_else_has(client, login, administrator, worker):
    StaffIdentity.objects.create(
        municipality=administrator.municipality, user=administrator, employee_id="E-1"
    )
    login(administrator)
    response = client.post(
        "/inloggning/anstallningsnummer/", {"user": worker.pk, "employee_id": "E-1"}
    )
    assert response.status_code == 400
    assert "hör redan till någon annan" in response.content.decode()


def test_it_offers_no_other_municipalitys_staff(client, login, administrator, outsider):
    login(administrator)
    response = client.post(
        "/inloggning/anstallningsnummer/", {"user": outsider.pk, "employee_id": "E-9"}
    )
    assert response.status_code == 400
    assert not StaffIdentity.objects.exists()
