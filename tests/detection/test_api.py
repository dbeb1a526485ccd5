import datetime

import pytest
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.detection import services
from kinsight.detection.models import ChildRecord, ConcernReport

JSON = "application/json"


def test_it_answers_the_question_and_records_children_through_the_api(
    client, login, worker, open_case, family
):
    login(worker)
    response = client.post(
        "/api/v1/child-questions/answer/",
        {"case": open_case.pk, "has_children": "unknown", "expecting_child": "no", "version": 0},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "unknown_reason" in response.json()
    response = client.post(
        "/api/v1/child-questions/answer/",
        {"case": open_case.pk, "has_children": "yes", "expecting_child": "no", "version": 0},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    response = client.post(
        "/api/v1/child-records/",
        {"case": open_case.pk, "child": family["kim"].pk, "lives_with": "full"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    record_id = response.json()["id"]
    response = client.post(
        "/api/v1/child-records/",
        {"case": open_case.pk, "first_name": "Kim", "age": 30},
        content_type=JSON,
    )
    assert response.status_code == 400 and "age" in response.json()
    response = client.post(
        f"/api/v1/child-records/{record_id}/step/",
        {
            "status": "attended",
            "version": 1,
            "parent_talked_with": True,
            "child_information": "given",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    response = client.post(
        f"/api/v1/child-records/{record_id}/flag/", {"kind": "child_interpreter"}, content_type=JSON
    )
    assert response.status_code == 201
    data = client.get(f"/api/v1/child-records/{record_id}/").json()
    assert data["status"] == "attended" and data["flags"][0]["kind"] == "child_interpreter"
    assert AuditEntry.objects.filter(
        action="read", object_type="detection.childrecord", object_id=str(record_id)
    ).exists()


def test_the_api_keeps_the_access_rules(
    client, login, worker, colleague, child_worker, outsider, kim_record
):
    url = f"/api/v1/child-records/{kim_record.pk}/"
    for user, expected in [(worker, 200), (colleague, 200), (child_worker, 404), (outsider, 404)]:
        login(user)
        assert client.get(url).status_code == expected
    login(colleague)
    response = client.post(url + "flag/", {"kind": "young_carer"}, content_type=JSON)
    assert response.status_code == 403
    login(outsider)
    assert client.get("/api/v1/child-records/").json()["count"] == 0


def test_reports_are_full_for_the_receiver_and_status_for_the_sender(
    client, login, worker, child_worker, outsider, kim_record, child_unit
):
    login(worker)
    response = client.post(
        f"/api/v1/child-records/{kim_record.pk}/concern-report/",
        {"receiving_unit": child_unit.pk, "concern": "Kim tolkar åt mamma"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    report_id = response.json()["id"]
    mine = client.get(f"/api/v1/concern-reports/{report_id}/").json()
    assert mine["full_view"] is False and "concern" not in mine and mine["status"] == "received"
    login(child_worker)
    theirs = client.get(f"/api/v1/concern-reports/{report_id}/").json()
    assert theirs["concern"] == "Kim tolkar åt mamma"
    early = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/api/v1/concern-reports/{report_id}/pre-assessment/",
        {"decision": "no_investigation", "decided_on": early, "version": 1},
        content_type=JSON,
    )
    assert response.status_code == 400 and "decided_on" in response.json()
    response = client.post(
        f"/api/v1/concern-reports/{report_id}/pre-assessment/",
        {
            "decision": "no_investigation",
            "decided_on": timezone.localdate().isoformat(),
            "version": 1,
        },
        content_type=JSON,
    )
    assert response.status_code == 200
    login(worker)
    mine = client.get(f"/api/v1/concern-reports/{report_id}/").json()
    assert mine["status"] == "closed" and mine["pre_assessment_decided_on"]
    response = client.post(
        f"/api/v1/concern-reports/{report_id}/pre-assessment/",
        {
            "decision": "no_investigation",
            "decided_on": timezone.localdate().isoformat(),
            "version": 2,
        },
        content_type=JSON,
    )
    assert response.status_code == 403
    login(outsider)
    assert client.get(f"/api/v1/concern-reports/{report_id}/").status_code == 404


def test_an_external_report_through_the_api_needs_a_category(
    client, login, child_worker, child_unit
):
    login(child_worker)
    body = {"receiving_unit": child_unit.pk, "child_name": "Ella", "concern": "Oro"}
    response = client.post("/api/v1/concern-reports/", body, content_type=JSON)
    assert response.status_code == 400 and "reporter_category" in response.json()
    response = client.post(
        "/api/v1/concern-reports/", {**body, "reporter_category": "police"}, content_type=JSON
    )
    assert response.status_code == 201
    assert ConcernReport.objects.get().pre_assessment_due_on == timezone.localdate() + (
        datetime.timedelta(days=14)
    )


@pytest.mark.parametrize("n", [1, 6])
def test_the_api_lists_run_a_fixed_number_of_queries(
    client, login, worker, open_case, child_unit, django_assert_max_num_queries, n
):
    for i in range(n):
        record = services.child_record_add(
            actor=worker, case=open_case, first_name=f"B{i}", age=i + 1
        )
        services.child_flag_add(actor=worker, record=record, kind="young_carer")
        services.concern_report_send(
            actor=worker, record=record, receiving_unit=child_unit, concern="x"
        )
    login(worker)
    for url in ["/api/v1/child-records/", "/api/v1/concern-reports/", "/api/v1/child-flags/"]:
        with django_assert_max_num_queries(11):
            assert client.get(url).status_code == 200
    assert ChildRecord.objects.count() == n


def test_it_publishes_the_endpoints_in_the_openapi_schema(client, login, worker):
    login(worker)
    schema = client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/child-questions/answer/",
        "/api/v1/child-records/{id}/step/",
        "/api/v1/child-records/{id}/flag/",
        "/api/v1/child-records/{id}/concern-report/",
        "/api/v1/concern-reports/{id}/pre-assessment/",
        "/api/v1/child-flags/{id}/end/",
    ]:
        assert path in schema
