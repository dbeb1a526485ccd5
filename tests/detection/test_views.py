"""Pages: the prompt on the case page, forms with Swedish messages, and who sees what
(worker 200, colleague 403 on writes, children's unit 404 until a report, outsider 404)."""

import datetime

import pytest
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role
from kinsight.detection import services
from kinsight.detection.models import ChildFlag, ChildRecord, ConcernReport
from tests import factories
from tests.people import factories as pf

# Headroom for what the shared layout adds to every page (navigation counts); the
# strict check is that a page runs the same number of queries at 1 and many rows.
LAYOUT = 0  # the navigation counts load after the page (htmx), not in it


def read_rows(object_type):
    return AuditEntry.objects.filter(action="read", object_type=object_type)


def test_it_prompts_the_child_question_on_an_adults_case_until_answered(
    client, login, worker, open_case
):
    login(worker)
    page = client.get(f"/arenden/{open_case.pk}/").content.decode()
    assert "Barnfrågan är inte besvarad" in page
    assert page.index("Barnfrågan") < page.index("Ändra status")
    response = client.post(
        f"/arenden/{open_case.pk}/barnfragan/",
        {"has_children": "no", "expecting_child": "no", "version": 0},
    )
    assert response.status_code == 302
    page = client.get(f"/arenden/{open_case.pk}/").content.decode()
    assert "Barnfrågan är inte besvarad" not in page
    assert "Barn under 18 år: Nej" in page


@pytest.mark.parametrize("unit_type", ["economic_assistance", "disability", "family_law"])
def test_it_prompts_in_every_unit_type(client, login, municipality, org, client_person, unit_type):
    unit = org["units"][unit_type]
    user = factories.staff(municipality, role=Role.CASE_WORKER, unit=unit)
    case = pf.case(client_person, unit, responsible=user)
    login(user)
    assert "Barnfrågan är inte besvarad" in client.get(f"/arenden/{case.pk}/").content.decode()


def test_it_does_not_prompt_on_a_childs_case(client, login, worker, municipality, adult_unit):
    child = pf.child(municipality, "Ung", "Klient", age=15)
    case = pf.case(child, adult_unit, responsible=worker)
    login(worker)
    page = client.get(f"/arenden/{case.pk}/").content.decode()
    assert "Barnfrågan" not in page and "Barn som anhöriga" not in page


def test_unknown_without_a_reason_gets_a_message_on_the_field(client, login, worker, open_case):
    login(worker)
    response = client.post(
        f"/arenden/{open_case.pk}/barnfragan/",
        {"has_children": "unknown", "expecting_child": "no", "version": 0},
    )
    assert response.status_code == 400  # refused: the page again, the input kept
    assert "Skriv varför det är okänt" in response.content.decode()


def test_it_adds_two_children_and_offers_the_existing_one_for_a_duplicate(
    client, login, worker, open_case
):
    login(worker)
    url = f"/arenden/{open_case.pk}/barn/nytt/"
    number = pf.pnr(2015, 4, 4)
    response = client.post(
        url, {"identifier": number, "first_name": "Mio", "custody": "joint", "lives_with": "full"}
    )
    assert response.status_code == 302
    response = client.post(
        url, {"first_name": "Lo", "age": "3", "custody": "unknown", "lives_with": "part"}
    )
    assert response.status_code == 302
    assert ChildRecord.objects.count() == 2
    response = client.post(
        url, {"first_name": "Lo", "age": "3", "custody": "unknown", "lives_with": "part"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    existing = ChildRecord.objects.get(first_name="Lo")
    assert "finns redan" in page and f"/barn-som-anhoriga/{existing.pk}/" in page
    response = client.post(
        url, {"first_name": "Stor", "age": "18", "custody": "unknown", "lives_with": "not"}
    )
    assert "Barnet är 18 år" in response.content.decode()
    assert ChildRecord.objects.count() == 2


def test_the_worker_marks_attended_flags_and_sends_a_report_in_two_clicks(
    client, login, worker, kim_record, child_unit
):
    login(worker)
    url = f"/barn-som-anhoriga/{kim_record.pk}/"
    today = timezone.localdate().isoformat()
    response = client.post(
        url + "steg/",
        {
            "version": 1,
            "status": "attended",
            "on": today,
            "parent_talked_with": "on",
            "child_information": "given",
        },
    )
    assert response.status_code == 302
    response = client.post(url + "markeringar/", {"kind": "young_carer", "noted_on": today})
    assert response.status_code == 302
    form = client.get(url + "orosanmalan/")  # click 1: the form comes filled in
    assert "Ung omsorgsgivare" in form.content.decode()
    response = client.post(  # click 2: send
        url + "orosanmalan/",
        {"receiving_unit": child_unit.pk, "concern": form.context["form"].initial["concern"]},
    )
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    assert report.child_record == kim_record and report.source == "internal"
    kim_record.refresh_from_db()
    assert kim_record.status == "attended"
    assert ChildFlag.objects.filter(record=kim_record, kind="young_carer").exists()


def test_a_step_with_a_bad_date_is_refused_with_a_message(client, login, worker, kim_record):
    login(worker)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        f"/barn-som-anhoriga/{kim_record.pk}/steg/",
        {"version": 1, "status": "attended", "on": future, "parent_talked_with": "on"},
    )
    assert response.status_code == 400
    assert "kan inte ligga i framtiden" in response.content.decode()


def test_who_sees_a_child_record(
    client, login, worker, colleague, manager, child_worker, outsider, kim_record, child_unit
):
    url = f"/barn-som-anhoriga/{kim_record.pk}/"
    for user, expected in [
        (worker, 200),
        (colleague, 200),
        (manager, 200),
        (child_worker, 404),
        (outsider, 404),
    ]:
        login(user)
        assert client.get(url).status_code == expected, user
    login(colleague)
    assert client.post(url + "markeringar/", {"kind": "young_carer"}).status_code == 403
    login(child_worker)
    assert client.post(url + "markeringar/", {"kind": "young_carer"}).status_code == 404
    # Once a report is received, the children's unit sees and works with the record.
    services.concern_report_send(
        actor=worker, record=kim_record, receiving_unit=child_unit, concern="Oro"
    )
    assert client.get(url).status_code == 200
    assert read_rows("detection.childrecord").filter(actor=child_worker).exists()


def test_the_reporting_unit_sees_status_not_content(
    client, login, worker, child_worker, outsider, internal_report
):
    url = f"/orosanmalningar/{internal_report.pk}/"
    login(child_worker)
    page = client.get(url).content.decode()
    assert "Kim är orolig." in page and "Spara beslutet" in page
    login(worker)
    page = client.get(url).content.decode()
    assert "Kim är orolig." not in page and "Mottagen, förhandsbedömning pågår" in page
    assert "Spara beslutet" not in page
    response = client.post(
        url + "forhandsbedomning/",
        {"version": 1, "decision": "no_investigation", "decided_on": timezone.localdate()},
    )
    assert response.status_code == 403
    login(outsider)
    assert client.get(url).status_code == 404
    assert read_rows("detection.concernreport").filter(actor=worker).exists()


def test_the_childrens_unit_records_the_pre_assessment(
    client, login, child_worker, internal_report
):
    login(child_worker)
    url = f"/orosanmalningar/{internal_report.pk}/forhandsbedomning/"
    early = (internal_report.received_on - datetime.timedelta(days=2)).isoformat()
    response = client.post(
        url, {"version": 1, "decision": "open_investigation", "decided_on": early}
    )
    assert response.status_code == 400
    assert "före datumet då anmälan kom in" in response.content.decode()
    response = client.post(
        url,
        {"version": 1, "decision": "open_investigation", "decided_on": internal_report.received_on},
    )
    assert response.status_code == 302
    internal_report.refresh_from_db()
    assert internal_report.status == "investigating"


def test_an_external_report_without_a_category_keeps_the_input(
    client, login, child_worker, child_unit
):
    login(child_worker)
    data = {
        "receiving_unit": child_unit.pk,
        "received_on": timezone.localdate().isoformat(),
        "child_name": "Ella",
        "child_age": "7",
        "concern": "Skolan ser blåmärken",
    }
    response = client.post("/orosanmalningar/ny/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Välj vem som har gjort anmälan" in page and "Skolan ser blåmärken" in page
    assert not ConcernReport.objects.exists()
    response = client.post("/orosanmalningar/ny/", {**data, "reporter_category": "school"})
    assert response.status_code == 302


def test_the_case_page_audits_the_question_and_children(
    client, login, worker, open_case, answered, kim_record
):
    login(worker)
    client.get(f"/arenden/{open_case.pk}/")
    assert read_rows("detection.childquestion").filter(object_id=str(answered.pk)).exists()
    row = read_rows("detection.childrecord").filter(object_id="*").get()
    assert row.changes == {"ids": [str(kim_record.pk)]}


def _children(worker, case, n):
    for i in range(n):
        record = services.child_record_add(
            actor=worker, case=case, first_name=f"Barn{i}", age=i + 1
        )
        services.child_flag_add(actor=worker, record=record, kind="young_carer")


def _reports(worker, case, child_unit, n, prefix="R"):
    for i in range(n):
        record = services.child_record_add(
            actor=worker, case=case, first_name=f"{prefix}{i}", age=i + 2
        )
        services.concern_report_send(
            actor=worker, record=record, receiving_unit=child_unit, concern="x"
        )


@pytest.mark.parametrize("n", [1, 6])
def test_the_case_page_runs_a_fixed_number_of_queries(
    client, login, worker, open_case, answered, django_assert_max_num_queries, n
):
    _children(worker, open_case, n)
    login(worker)
    # 15: the support groups' panel reads the person's group participations.
    with django_assert_max_num_queries(15 + LAYOUT):
        assert client.get(f"/arenden/{open_case.pk}/").status_code == 200


@pytest.mark.parametrize("n", [1, 6])
def test_the_report_lists_run_a_fixed_number_of_queries(
    client, login, worker, child_worker, open_case, child_unit, django_assert_max_num_queries, n
):
    _reports(worker, open_case, child_unit, n)
    for user in (child_worker, worker):
        login(user)
        with django_assert_max_num_queries(13 + LAYOUT):
            assert client.get("/orosanmalningar/").status_code == 200


@pytest.mark.parametrize("n", [1, 6])
def test_the_child_page_runs_a_fixed_number_of_queries(
    client, login, worker, kim_record, child_unit, django_assert_max_num_queries, n
):
    for i in range(n):
        services.concern_report_send(
            actor=worker, record=kim_record, receiving_unit=child_unit, concern=f"Oro {i}"
        )
    for kind in ["young_carer", "child_interpreter", "parent_substance_use"][: min(n, 3)]:
        services.child_flag_add(actor=worker, record=kim_record, kind=kind)
    login(worker)
    with django_assert_max_num_queries(14 + LAYOUT):
        assert client.get(f"/barn-som-anhoriga/{kim_record.pk}/").status_code == 200


def test_the_pages_run_the_same_number_of_queries_at_1_and_many_rows(
    client, login, worker, open_case, answered, child_unit
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        login(worker)
        record = ChildRecord.objects.order_by("pk").first()
        found = []
        for url in [
            f"/arenden/{open_case.pk}/",
            "/orosanmalningar/",
            f"/barn-som-anhoriga/{record.pk}/",
        ]:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            found.append(len(context))
        return found

    _reports(worker, open_case, child_unit, 1)
    one = counts()
    _reports(worker, open_case, child_unit, 5, prefix="S")
    _children(worker, open_case, 5)
    assert counts() == one


def test_the_child_edit_page_is_audited_and_403_for_a_colleague(
    client, login, worker, colleague, kim_record
):
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import verified_login

    login(worker)
    url = reverse("detection:child_edit", args=[kim_record.pk])
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(
        actor=worker,
        action="read",
        object_type="detection.childrecord",
        object_id=str(kim_record.pk),
    ).exists()
    other = Client()
    verified_login(other, colleague)
    assert other.get(url).status_code == 403
