"""The PDF of the whole assessment: the same access rules as the page, audited as an
export. The text is read back from WeasyPrint's laid-out pages (no external tools)."""

from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from kinsight.assessment import queries, services
from kinsight.audit.models import AuditEntry
from tests.assessment.conftest import consent
from tests.watermark import assert_pdf_marked


def _text(pdf_html):
    document = HTML(string=pdf_html).render()

    def walk(box):
        if isinstance(box, boxes.TextBox):
            yield box.text
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    return " ".join(t for page in document.pages for t in walk(page._page_box))


def test_it_prints_what_the_user_may_see_and_audits_the_export(
    work, worker, adult_unit, child_worker, child_unit, household, client, login, rf
):
    anna, kim = household["anna"], household["kim"]
    services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=f"parent:{anna.pk}",
        unit=adult_unit,
        data={"needs": "Behandling för alkoholberoende"},
        expected_version=0,
    )
    services.part_save(
        actor=worker,
        family_work=work,
        perspective_key=f"child:{kim.pk}",
        unit=adult_unit,
        data={"child_words": "Jag vill att mamma mår bra"},
        expected_version=0,
    )
    services.part_save(
        actor=child_worker,
        family_work=work,
        perspective_key=f"child:{kim.pk}",
        unit=child_unit,
        data={"needs": "Stödgrupp för barn"},
        expected_version=0,
    )
    consent(work, kim, recorded_by=worker, unit=adult_unit)

    login(child_worker)
    response = client.get(f"/familjearenden/{work.pk}/bedomning/utskrift.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_pdf_marked(response.content, child_worker)
    export = AuditEntry.objects.get(action="export", actor=child_worker)
    assert export.object_type == "assessment.assessment" and len(export.changes["parts"]) == 2

    # The same HTML the PDF is made from, read back as laid-out text.
    from kinsight.assessment.views import render_print_html

    request = rf.get("/")
    request.user = child_worker
    overview = queries.assessment_view(actor=child_worker, family_work=work)
    text = _text(render_print_html(request, work, overview))
    assert "Bedömning per perspektiv" in text
    assert "Jag vill att mamma mår bra" in text  # Kim's consent covers the child unit
    assert "Stödgrupp för barn" in text  # its own part
    assert "Behandling för alkoholberoende" not in text  # Anna has not consented
    assert "Delas inte – samtycke saknas" in text
