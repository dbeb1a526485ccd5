"""The OpenAPI schema names the error answers of every operation (set once on the
API base, kinsight.core.apibase.ErrorResponsesSchema) and builds without warnings."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_401_and_403(schema):
    for path, method, operation in _operations(schema):
        assert {"401", "403"} <= set(operation["responses"]), (method, path)


def _filtered(operation):
    return any(
        parameter["in"] == "query" and parameter["name"] != "page"
        for parameter in operation.get("parameters", [])
    )


def test_every_operation_documents_404_and_429(schema):
    for path, method, operation in _operations(schema):
        assert {"404", "429"} <= set(operation["responses"]), (method, path)


def test_writes_and_filtered_reads_document_400(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert ("400" in codes) == (method in WRITES or _filtered(operation)), (method, path)


def test_what_carries_a_version_documents_409(schema):
    paths = schema["paths"]
    for path in ("/api/v1/cases/{id}/", "/api/v1/family-work/{id}/", "/api/v1/persons/{id}/"):
        assert "409" in paths[path]["patch"]["responses"], path
    for path in ("/api/v1/cases/{id}/status/", "/api/v1/notes/{id}/sign/"):
        assert "409" in paths[path]["post"]["responses"], path
    assert "409" not in paths["/api/v1/cases/"]["post"]["responses"]
    assert "409" not in paths["/api/v1/cases/{id}/"]["get"]["responses"]


def test_an_error_answer_is_described_with_its_shape(schema):
    responses = schema["paths"]["/api/v1/cases/{id}/"]["patch"]["responses"]
    detail = responses["409"]["content"]["application/json"]["schema"]
    assert detail == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    fields = responses["400"]["content"]["application/json"]["schema"]
    assert fields["type"] == "object" and "additionalProperties" in fields
    assert responses["404"]["description"]


def test_the_schema_builds_without_warnings(tmp_path):
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "s.yml"))


def test_an_action_that_creates_documents_201(schema):
    # A child record's step and flag are created rows: answered, and documented, 201.
    for verb in ("step", "flag"):
        codes = set(schema["paths"][f"/api/v1/child-records/{{id}}/{verb}/"]["post"]["responses"])
        assert "201" in codes and "200" not in codes, verb
