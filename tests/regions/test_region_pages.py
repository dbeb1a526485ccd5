"""The network leader's pages: the start page, the comparison with the region total,
the trend, everything published, the members joining and leaving, the report; only the
region's staff (everyone else 404), reading only what was published and not withdrawn."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.access.querysets import ACTIONS
from kinsight.audit.models import AuditEntry
from kinsight.followup.tables import Column, Row, Table
from kinsight.regions import snapshots
from kinsight.regions.models import Member, PublishedFigure
from tests import factories

D = datetime.date
COLUMNS = [
    Column("children", "Barn", parts=("attended", "not_attended")),
    Column("attended", "Uppmärksammade"),
    Column("not_attended", "Ej uppmärksammade"),
    Column("share", "Andel", kind="share", depends=("attended", "children")),
]


def published_table(children, attended):
    values = {"children": children, "attended": attended, "not_attended": children - attended}
    values["share"] = attended / children
    row = Row("2025", "2025", values)
    table = Table("minimum_level", "Miniminivån", "Period", COLUMNS, [row], total=None)
    return table.published()


def figure(municipality, region, publisher, children, attended, *, year=2025, **fields):
    values = {
        "municipality": municipality,
        "region": region,
        "definition": "minimum_level",
        "title": "Miniminivån",
        "definitions_version": "v1",
        "step": "year",
        "period_start": D(year, 1, 1),
        "period_end": D(year, 12, 31),
        "period_label": str(year),
        "tables": [snapshots.table_json(published_table(children, attended))],
        "suppression_threshold": 5,
        "published_by": publisher,
    }
    return PublishedFigure.objects.create(**{**values, **fields})


@pytest.fixture
def second(region, other_municipality, other_head):
    Member.objects.create(region=region, municipality=other_municipality, joined_on=D(2020, 1, 1))
    return other_municipality


@pytest.fixture
def figures(region, member, municipality, head, second, other_head):
    return {
        # 3 of 20 attended: 3 hidden, and its complement 17 with it.
        "ours": figure(municipality, region, head, 20, 3),
        "theirs": figure(second, region, other_head, 30, 20),
        "theirs_2024": figure(second, region, other_head, 28, 14, year=2024),
    }


def test_the_network_leader_reaches_no_municipal_row_through_visible_to(leader):
    for model in apps.get_models():
        manager = getattr(model, "objects", None)
        if manager is None or not hasattr(manager, "visible_to"):
            continue
        for action in ACTIONS:
            assert not manager.visible_to(leader, action).exists(), (model, action)


def test_the_start_page_shows_each_member_s_latest_and_who_has_not_published(
    client, login, leader, figures, municipality
):
    login(leader)
    html = client.get("/region/").content.decode()
    assert "Testförbundet" in html and municipality.name in html and "Annan kommun" in html
    assert "Inte publicerat för" in html and "<li>Testkommun</li>" in html
    assert 'href="/region/jamforelse/"' in html  # the navigation


def test_the_comparison_shows_the_members_and_a_region_total_safe_with_hidden_cells(
    client, login, leader, figures
):
    login(leader)
    html = client.get("/region/jamforelse/").content.decode()
    assert "Testkommun" in html and "Annan kommun" in html
    assert "&lt;5" in html  # our 3, and its complement
    assert "minst 20" in html  # 20 shown (theirs) + our hidden: a lower bound, never 23
    assert ">50<" in html  # every child count shown: an exact total
    assert "23" not in html and "17" not in html
    assert "<svg" in html and 'role="img"' in html


def test_a_withdrawn_figure_leaves_the_comparison_but_stays_listed_with_its_reason(
    client, login, leader, figures, other_head
):
    theirs = figures["theirs"]
    PublishedFigure.objects.filter(pk=theirs.pk).update(
        withdrawn_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        withdrawn_by=other_head,
        withdrawn_reason="Fel enhet.",
    )
    login(leader)
    html = client.get("/region/jamforelse/", {"figure": "minimum_level:year:2025-01-01"})
    assert "Annan kommun" not in html.content.decode()
    listed = client.get("/region/publicerat/").content.decode()
    assert "Återkallat 2026-01-05: Fel enhet." in listed


def test_the_trend_shows_a_column_over_the_periods(client, login, leader, figures):
    login(leader)
    params = {"figure": "minimum_level:year:2025-01-01", "table": "minimum_level"}
    html = client.get("/region/utveckling/", {**params, "column": "children"}).content.decode()
    assert "2024" in html and "2025" in html and ">28<" in html and ">30<" in html
    response = client.get("/region/utveckling/", {"figure": "nonsense"})
    assert (
        response.status_code == 400 and "Välj ett giltigt alternativ" in response.content.decode()
    )


def test_members_join_and_leave_audited_in_the_municipality_s_chain(
    client, login, leader, member, municipality, figures
):
    third = factories.municipality("Tredje kommun")
    login(leader)
    response = client.post("/region/medlemmar/", {"municipality": third.pk, "joined_on": ""})
    assert response.status_code == 400 and "Medlem från" in response.content.decode()
    response = client.post(
        "/region/medlemmar/", {"municipality": third.pk, "joined_on": "2026-01-01"}
    )
    assert response.status_code == 302
    joined = AuditEntry.objects.get(object_type="regions.member", action="create")
    assert joined.municipality_id == third.pk and joined.actor == leader
    url = f"/region/medlemmar/{member.pk}/utrade/"
    client.post(url, {"left_on": "2019-01-01"})
    member.refresh_from_db()
    assert member.left_on is None  # before it joined: refused
    client.post(url, {"left_on": "2025-12-31"})
    member.refresh_from_db()
    assert member.left_on == D(2025, 12, 31)
    left = AuditEntry.objects.get(object_type="regions.member", action="update")
    assert left.municipality_id == municipality.pk
    # Its published figures stay, marked as from a member that has left.
    html = client.get("/region/jamforelse/").content.decode()
    assert "Testkommun (utträdd 2025-12-31)" in html


def test_the_region_s_report_as_pdf_and_workbook(client, login, leader, figures):
    login(leader)
    response = client.get("/region/rapport/2025.xlsx")
    assert response.status_code == 200 and response["Content-Type"].endswith(".sheet")
    response = client.get("/region/rapport/2025.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    exported = AuditEntry.objects.filter(action="export", object_type="regions.report")
    assert sorted(exported.values_list("municipality_id", flat=True)) == sorted(
        [figures["ours"].municipality_id, figures["theirs"].municipality_id] * 2
    )
    assert exported.first().changes["figures"] and exported.first().actor == leader
    assert client.get("/region/rapport/2019.pdf").status_code == 404
    assert client.get("/region/rapport/2025.doc").status_code == 404


PAGES = [
    "/region/",
    "/region/jamforelse/",
    "/region/utveckling/",
    "/region/publicerat/",
    "/region/medlemmar/",
    "/region/rapport/2025.pdf",
]


def test_everyone_but_the_region_s_staff_gets_404(client, login, worker, head, figures):
    for user in (worker, head):
        login(user)
        for url in PAGES:
            assert client.get(url).status_code == 404, (user, url)


def test_the_start_and_published_pages_cost_the_same_for_one_and_many(
    client, login, leader, region, member, municipality, head
):
    figure(municipality, region, head, 20, 10, year=2020)
    login(leader)

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = {url: cost(url) for url in ("/region/", "/region/publicerat/", "/region/jamforelse/")}
    for year in (2021, 2022, 2023):
        figure(municipality, region, head, 20, 10, year=year)
    assert {url: cost(url) for url in one} == one
