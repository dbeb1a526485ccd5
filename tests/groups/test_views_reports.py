"""The effect report (page, Excel, PDF) and the reach (page, Excel) as the head of
services and a leader open them: aggregates with the Swedish decimal comma, charts
beside their tables, bookmarkable choices, exports that open, audited exports, 400 for
bad input and 404 for what is not theirs."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.effect import paired_effect
from tests.browser.test_family_work import pdf_text
from tests.groups.conftest import add_anonymous
from tests.groups.test_reports import AFTER, BEFORE, measured_group
from tests.watermark import assert_first_sheet_line, assert_pdf_marked, assert_workbook_marked

pytestmark = pytest.mark.django_db


def effect_url(who5, **more):
    query = "&".join(f"{key}={value}" for key, value in {"instrument": who5.pk, **more}.items())
    return f"/stodgrupper/effekt/?{query}"


@pytest.fixture
def measured(leader, cycle, who5):
    measured_group(leader, cycle, who5)
    return cycle


def test_the_head_of_services_reads_the_effect_with_charts_and_tables(
    client, login, head, measured, who5
):
    login(head)
    response = client.get(effect_url(who5, tidpunkt="after", program=measured.programme_id))
    page = response.content.decode()
    assert response.status_code == 200
    expected = paired_effect(BEFORE, AFTER)
    change = f"{expected.change.estimate:.2f}".replace(".", ",")
    assert change in page  # Swedish decimal comma
    assert "95 % KI" in page and "Hedges g" in page and "Cohens d_z" in page
    assert "Reliabelt förbättrade" in page and "Cronbachs alfa" in page
    assert page.count('role="img"') == 2 and page.count("<figcaption") == 2
    assert page.count('class="slope ') == len(BEFORE) + 1  # and the mean
    # Coordinates are whole numbers: a float would be written with the decimal comma.
    assert not re.search(r' (x|y|x1|y1|x2|y2|width|height)="[^"]*,', page)
    assert "Poäng per deltagare" in page and "Antal per förändring" in page
    assert "rapport.xlsx?instrument=" in page and "rapport.pdf?instrument=" in page
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_report_page_runs_a_fixed_number_of_queries(
    client, login, head, leader, cycle, who5, django_assert_num_queries, settings
):
    settings.KINSIGHT_GROUPS_MIN_N = 2
    login(head)
    measured_group(leader, cycle, who5, before=[8, 9], after=[12, 10])
    # with the form's subscale choices 1
    with django_assert_num_queries(10):
        assert client.get(effect_url(who5, tidpunkt="after")).status_code == 200
    measured_group(leader, cycle, who5)
    with django_assert_num_queries(10):
        assert client.get(effect_url(who5, tidpunkt="after")).status_code == 200


def test_below_the_minimum_only_counts_are_shown_and_why(
    client, login, head, leader, cycle, who5, settings
):
    settings.KINSIGHT_GROUPS_MIN_N = 5
    measured_group(leader, cycle, who5, before=[8, 9, 10], after=[12, 13, None])
    login(head)
    page = client.get(effect_url(who5, tidpunkt="after", ar=2026)).content.decode()
    assert "Färre än 5 deltagare har båda mätningarna: bara antal visas." in page
    assert "Medelförändring" not in page and 'role="img"' not in page
    assert "Bortfall (bara mätta före)" in page


def test_the_first_visit_shows_the_form_and_bad_input_is_400_with_a_message(
    client, login, head, measured, who5
):
    login(head)
    first = client.get("/stodgrupper/effekt/")
    assert first.status_code == 200 and "Välj instrument och urval" in first.content.decode()
    for query in ("instrument=999999&tidpunkt=after", f"instrument={who5.pk}&tidpunkt=x"):
        response = client.get(f"/stodgrupper/effekt/?{query}")
        assert response.status_code == 400
        assert "Rätta följande:" in response.content.decode()
    bad_year = client.get(effect_url(who5, tidpunkt="after", ar=1900))
    assert bad_year.status_code == 400 and "2000" in bad_year.content.decode()
    assert client.get("/stodgrupper/effekt/rapport.xlsx?instrument=999999").status_code == 400


def test_an_address_with_only_the_instrument_compares_before_with_after(
    client, login, head, measured, who5
):
    login(head)
    response = client.get(effect_url(who5))
    assert response.status_code == 200
    assert "Medelförändring" in response.content.decode()


def test_a_leader_reads_their_own_cycle_only(
    client, login, leader, other_leader, worker, outsider, measured, who5
):
    url = effect_url(who5, tidpunkt="after", omgang=measured.pk)
    login(leader)
    assert client.get(url).status_code == 200
    whole = client.get(effect_url(who5, tidpunkt="after"))
    assert whole.status_code == 400  # a leader must choose one of their cycles
    assert "Välj en av dina gruppomgångar." in whole.content.decode()
    login(other_leader)
    assert client.get(url).status_code == 404
    assert client.get(url.replace("/effekt/", "/effekt/rapport.pdf")).status_code == 404
    for user in (worker, outsider):
        login(user)
        assert client.get(url).status_code == 404


def test_the_excel_export_opens_and_holds_the_figures(client, login, head, measured, who5):
    login(head)
    response = client.get(
        f"/stodgrupper/effekt/rapport.xlsx?instrument={who5.pk}&tidpunkt=after&ar=2026"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Effekt", "Par", "Fördelning"]
    rows = {row[0]: row[1:] for row in book["Effekt"].iter_rows(values_only=True) if row[0]}
    expected = paired_effect(BEFORE, AFTER)
    value, low, high = rows["Medelförändring"][:3]
    assert (value, low, high) == pytest.approx(
        (expected.change.estimate, expected.change.low, expected.change.high)
    )
    assert rows["Par (mätta både före och efter)"][0] == len(BEFORE)
    assert rows["År (gruppomgången startade)"][0] == "2026"
    assert len(list(book["Par"].iter_rows())) == len(BEFORE) + 1
    assert_workbook_marked(response.content, head)
    assert_first_sheet_line(response.content, head)
    export = AuditEntry.objects.get(action="export", actor=head)
    assert export.object_type == "groups.effect"
    assert export.changes == {
        "format": "xlsx",
        "filters": {"instrument": str(who5.pk), "tidpunkt": "after", "ar": "2026"},
    }


def test_the_pdf_export_is_a_pdf_with_the_report(client, login, head, measured, who5):
    login(head)
    response = client.get(f"/stodgrupper/effekt/rapport.pdf?instrument={who5.pk}&tidpunkt=after")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Effektrapport" in text and "Medelförändring" in text and "Hedges g" in text
    assert_pdf_marked(response.content, head)
    assert AuditEntry.objects.get(action="export").changes["format"] == "pdf"


def test_reach_counts_per_provider_district_and_target_group(
    client, login, head, leader, measured, django_assert_num_queries
):
    add_anonymous(leader, measured)  # on the waiting list: not reached
    login(head)
    with django_assert_num_queries(4):
        response = client.get("/stodgrupper/rackvidd/?ar=2026")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Familjeenheten Norr" in page and "Norr" in page
    assert f"{len(BEFORE)} ({len(BEFORE)})" in page  # all anonymous
    other = services.cycle_create(
        actor=head,
        programme=measured.programme,
        name="Vågen hösten",
        district=measured.district,
        start_on=datetime.date(2026, 9, 1),
        end_on=datetime.date(2026, 12, 1),
        leaders=[leader],
    )
    started = add_anonymous(leader, other)
    services.participant_start(
        actor=leader, participant=started, expected_version=1, on=datetime.date(2026, 9, 1)
    )
    with django_assert_num_queries(4):
        page = client.get("/stodgrupper/rackvidd/?ar=2026").content.decode()
    assert f"{len(BEFORE) + 1} ({len(BEFORE) + 1})" in page
    empty = client.get("/stodgrupper/rackvidd/?ar=2025").content.decode()
    assert "Inga deltagare i gruppomgångar som startade 2025." in empty
    assert client.get("/stodgrupper/rackvidd/?ar=tjugo").status_code == 400


def test_the_reach_excel_opens_and_others_get_404(
    client, login, head, leader, worker, outsider, measured
):
    login(head)
    response = client.get("/stodgrupper/rackvidd/rackvidd.xlsx?ar=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Utförare", "Stadsdel", "Barn", "varav anonyma")
    assert rows[1][:4] == ("Familjeenheten Norr", "Norr", len(BEFORE), len(BEFORE))
    assert rows[-3][0] == "Totalt" and rows[-3][-2:] == (len(BEFORE), len(BEFORE))
    assert rows[-1][0].startswith("Exporterad av Test Person (head1) ")  # the watermark
    assert AuditEntry.objects.get(action="export").object_type == "groups.reach"
    for user in (leader, worker):
        login(user)
        assert client.get("/stodgrupper/rackvidd/?ar=2026").status_code == 404
        assert client.get("/stodgrupper/rackvidd/rackvidd.xlsx?ar=2026").status_code == 404
    login(outsider)  # an administrator of another municipality: their own, empty
    page = client.get("/stodgrupper/rackvidd/?ar=2026").content.decode()
    assert "Familjeenheten Norr" not in page and "Inga deltagare" in page
