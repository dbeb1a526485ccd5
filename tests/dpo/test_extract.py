"""The register extract (registerutdrag): from request through compile, review and
release to the downloads, as the log reviewer does it on the pages."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kinsight.audit.models import AuditAction, AuditEntry
from kinsight.dpo.models import ExtractRequest, due_on
from tests.audit.helpers import write_statements
from tests.people import factories as pf
from tests.watermark import assert_pdf_marked

pytestmark = pytest.mark.django_db
LIST = reverse("dpo:extract_list")
KINDS = {
    "person",
    "relationship",
    "case",
    "journal_note",
    "child_question",
    "child_record",
    "concern_report",
    "family_member",
    "consent",
    "assessment_part",
    "plan_goal",
    "group_participant",
    "measurement",
}


def _url(name, obj):
    return reverse(f"dpo:{name}", args=[obj.pk])


def _request(client, person, received_on="2026-11-20"):
    data = {"identifier": person.identifier, "received_on": received_on, "requested_via": "Brev"}
    response = client.post(LIST, data)
    assert response.status_code == 302, response.content
    return ExtractRequest.objects.get(person=person)


def _step(client, name, obj, **data):
    obj.refresh_from_db()
    response = client.post(_url(name, obj), {"version": obj.version, **data})
    assert response.status_code == 302
    obj.refresh_from_db()
    return obj


def _review_all(client, obj, withhold_kinds=("concern_report",)):
    items = [it for s in obj.extract["sections"] for it in s["items"] if it["withhold_review"]]
    decisions = {
        f"decision-{it['key']}": "withhold" if it["kind"] in withhold_kinds else "release"
        for it in items
    }
    return _step(client, "extract_review", obj, **decisions)


def _actions(obj, action):
    return AuditEntry.objects.filter(
        object_type="dpo.extractrequest", object_id=str(obj.pk), action=action
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 20), datetime.date(2026, 12, 20)),
    ],
)
def test_it_is_due_one_month_after_it_came_in(received, due):
    assert due_on(received) == due


def test_it_holds_every_kind_of_data_and_flags_the_reporter(
    client, login, log_reviewer, everything
):
    login(log_reviewer)
    obj = _step(client, "extract_compile", _request(client, everything["anna"]))
    assert obj.status == "compiled"
    kinds = {s["key"] for s in obj.extract["sections"] if s["items"]}
    assert kinds >= KINDS
    report = next(s for s in obj.extract["sections"] if s["key"] == "concern_report")["items"][0]
    assert report["withhold_review"] and "Anmälarens identitet" in report["reason"]
    assert report["fields"]["anmälarens namn"] == "Lärare Lena Lind"
    person = next(s for s in obj.extract["sections"] if s["key"] == "person")["items"][0]
    assert not person["withhold_review"]
    corrections = obj.extract["corrections"]
    assert any(c["what"].startswith("Journalanteckning") for c in corrections)
    assert {"postnummer": ["", "12345"]} in [c["changes"] for c in corrections]
    relation = next(s for s in obj.extract["sections"] if s["key"] == "relationship")["items"][0]
    assert relation["fields"]["relaterad person"] == "Kim Åberg"
    reads = AuditEntry.objects.filter(actor=log_reviewer, action=AuditAction.READ)
    assert reads.filter(changes__reason="registerutdrag").count() == len(KINDS)


def test_the_released_extract_leaves_out_what_was_withheld(client, login, log_reviewer, everything):
    login(log_reviewer)
    obj = _step(client, "extract_compile", _request(client, everything["anna"]))
    assert client.get(_url("extract_pdf", obj)).status_code == 404  # not before release
    obj = _review_all(client, obj)
    assert obj.status == "reviewed"
    obj = _step(client, "extract_release", obj, note="Skickat med post")
    assert obj.status == "released"

    document = json.loads(client.get(_url("extract_json", obj)).content)
    keys = {s["key"] for s in document["sections"] if s["items"]}
    assert "concern_report" not in keys and "journal_note" in keys
    assert document["withheld"] == 1
    assert document["exported_by"] == "Test Person (reviewer1)" and document["exported_at"]
    assert "Lärare Lena Lind" not in json.dumps(document, ensure_ascii=False)

    pdf = client.get(_url("extract_pdf", obj))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Anna" in text and "Storgatan 1" in text
    assert "Lärare Lena Lind" not in text and "070-1234567" not in text
    assert "sekretess" in text
    assert_pdf_marked(pdf.content, log_reviewer)
    exports = _actions(obj, AuditAction.EXPORT)
    assert sorted(e.changes["format"] for e in exports) == ["json", "pdf"]
    assert "Lärare" not in json.dumps(exports.first().changes)


def test_every_step_is_audited(client, login, log_reviewer, everything):
    login(log_reviewer)
    obj = _step(client, "extract_compile", _request(client, everything["anna"]))
    obj = _step(client, "extract_release", _review_all(client, obj))
    assert _actions(obj, AuditAction.CREATE).get().changes["received_on"] == [None, "2026-11-20"]
    steps = [e.changes for e in _actions(obj, AuditAction.UPDATE).order_by("seq")]
    assert [s.get("status", [None, None])[1] for s in steps] == [
        "compiled",
        "reviewed",
        None,
        "released",
    ]
    assert "decisions" in steps[2]
    assert all("extract" not in s for s in steps)  # the content never goes in the log
    client.get(_url("extract_detail", obj))
    assert _actions(obj, AuditAction.READ).exists()


def test_a_review_must_decide_every_flagged_item(client, login, log_reviewer, everything):
    login(log_reviewer)
    obj = _step(client, "extract_compile", _request(client, everything["anna"]))
    response = client.post(_url("extract_review", obj), {"version": obj.version}, follow=True)
    assert "Välj lämna ut eller sekretess" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == "compiled"


def test_a_refusal_needs_a_reason(client, login, log_reviewer, anna):
    login(log_reviewer)
    obj = _request(client, anna)
    response = client.post(_url("extract_refuse", obj), {"version": obj.version}, follow=True)
    assert "Skriv varför begäran avslås" in response.content.decode()
    obj = _step(client, "extract_refuse", obj, note="Uppenbart ogrundad")
    assert obj.status == "refused"


def test_an_unknown_number_gets_a_clear_message(client, login, log_reviewer, anna):
    login(log_reviewer)
    response = client.post(LIST, {"identifier": "19121212-1212", "received_on": "2026-11-20"})
    assert response.status_code == 400
    assert "Ingen person med det numret" in response.content.decode()
    assert not ExtractRequest.objects.exists()


def test_another_municipalitys_person_is_not_found(client, login, log_reviewer, other_municipality):
    stranger = pf.person(other_municipality, "Sven", "Främling")
    login(log_reviewer)
    response = client.post(LIST, {"identifier": stranger.identifier, "received_on": "2026-11-20"})
    assert response.status_code == 400
    assert not ExtractRequest.objects.exists()


@pytest.mark.parametrize("who", ["worker", "unit_manager", "administrator"])
def test_everyone_but_the_log_reviewer_gets_404(client, login, log_reviewer, anna, who, request):
    login(log_reviewer)
    obj = _request(client, anna)
    login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404
    assert client.post(LIST, {"identifier": anna.identifier}).status_code == 404
    for name in ("extract_detail", "extract_json", "extract_pdf"):
        assert client.get(_url(name, obj)).status_code == 404
    assert client.post(_url("extract_compile", obj), {"version": 1}).status_code == 404


def test_the_register_marks_the_overdue(client, login, log_reviewer, anna):
    login(log_reviewer)
    _request(client, anna, received_on="2025-01-31")
    page = client.get(LIST).content.decode()
    assert "2025-02-28" in page and "Försenad" in page
    assert anna.identifier not in client.get(LIST).wsgi_request.get_full_path()


def test_compiling_costs_a_query_per_kind_not_per_row(
    client, login, log_reviewer, everything, django_assert_max_num_queries, worker
):
    login(log_reviewer)
    obj = _request(client, everything["anna"])
    with django_assert_max_num_queries(48) as few:
        _step(client, "extract_compile", obj)
    for n in range(5):
        pf.note(everything["case"], worker, f"Anteckning {n}")
        pf.relate(everything["anna"], pf.child(obj.municipality, f"Barn{n}", "Å"), "guardian")
    with django_assert_max_num_queries(len(few.captured_queries)):
        _step(client, "extract_compile", obj)


@pytest.mark.parametrize("rows", [1, 3])
def test_the_register_costs_the_same_at_one_and_three(
    client, login, log_reviewer, municipality, rows, django_assert_num_queries
):
    login(log_reviewer)
    for n in range(rows):
        _request(client, pf.person(municipality, f"P{n}", "Q"))
    client.get(LIST)  # warm: the session and the role scopes
    with django_assert_num_queries(QUERIES_LIST + write_statements()):
        assert client.get(LIST).status_code == 200


QUERIES_LIST = 5  # the page's reads; the audit row's statements come on top
