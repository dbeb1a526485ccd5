"""The start page's "Behöver uppmärksamhet" for heads of services and unit managers:
overdue concern reports in their scope, the three units with the lowest minimum level
last month (from the rollup), the share of adults with an open case whose child
question is unknown or not asked now against the end of the month three months back
(from the rollup too: the running month as the frequent rollup keeps it, live until it
has); counted by hand, in a fixed number of statements, and shown only to those who see
the figures, for their units."""

import datetime

import pytest
from django.utils import timezone

from kinsight.core.models import UnitType
from kinsight.detection.models import ReportStatus
from kinsight.followup.attention import _three_months_before, attention
from kinsight.followup.minimum_level import add_months, month_start
from kinsight.followup.models import MinimumLevelMonth, dashboard_units
from kinsight.followup.services import minimum_level_rollup
from tests.followup import factories as ff
from tests.people import factories as pf

pytestmark = pytest.mark.django_db
D = datetime.date


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def reports(child_unit, other_org):
    ff.report(child_unit, due_in=-2)  # overdue: the förhandsbedömning
    ff.report(child_unit, due_in=0)  # due today: not yet overdue
    ff.report(
        child_unit, status=ReportStatus.INVESTIGATING, due_in=-30, investigation_due_in=-1
    )  # overdue: the investigation
    ff.report(other_org["units"][UnitType.CHILDREN_YOUTH], due_in=-5)  # another municipality


@pytest.fixture
def rollup(municipality, org):
    month = add_months(month_start(timezone.localdate()), -1)
    figures = {
        UnitType.ADULTS_ADDICTION: (10, 5),
        UnitType.CHILDREN_YOUTH: (10, 9),
        UnitType.FAMILIES: (10, 1),
        UnitType.VIOLENCE: (0, 0),  # no children: no share
        UnitType.DISABILITY: (10, 8),
    }
    for unit_type, (children, attended) in figures.items():
        MinimumLevelMonth.objects.create(
            municipality=municipality,
            unit=org["units"][unit_type],
            month=month,
            children=children,
            attended=attended,
        )
    MinimumLevelMonth.objects.create(  # another month
        municipality=municipality,
        unit=org["units"][UnitType.FAMILY_LAW],
        month=add_months(month, -1),
        children=10,
    )


@pytest.fixture
def questions(municipality, adult_unit, worker):
    today = timezone.localdate()
    then = _three_months_before(today)
    before = then - datetime.timedelta(days=40)
    unknown = pf.case(pf.person(municipality, "Ulf"), adult_unit, opened_on=before)
    ff.question(unknown, "unknown", by=worker, on=before)  # unknown then and now
    known = pf.case(pf.person(municipality, "Kai"), adult_unit, opened_on=before)
    ff.question(known, "yes", by=worker, on=before)  # known then and now
    # Opened after then, never asked: counts now only.
    pf.case(pf.person(municipality, "Nea"), adult_unit, opened_on=days(-10))
    # A child's case: no child question.
    pf.case(pf.child(municipality, "Liv", age=12), adult_unit, opened_on=before)
    # The month three months back kept by the nightly rollup.
    month = month_start(then)
    minimum_level_rollup(municipality=municipality, since=month, until=month)


@pytest.fixture
def running(questions, municipality):
    """The running month kept by the frequent rollup."""
    minimum_level_rollup(municipality=municipality, running=True)


@pytest.mark.parametrize("kept", [False, True])
def test_the_figures_by_hand(reports, rollup, questions, head, org, kept, request):
    if kept:
        request.getfixturevalue("running")
    found = attention(head)
    assert found.overdue == 2
    units = org["units"]
    assert [row.unit for row in found.lowest] == [
        units[UnitType.FAMILIES],
        units[UnitType.ADULTS_ADDICTION],
        units[UnitType.DISABILITY],
    ]
    assert [row.share for row in found.lowest] == [0.1, 0.5, 0.8]
    assert (found.unknown_now, found.cases_now) == (2, 3)
    assert (found.unknown_then, found.cases_then) == (1, 2)
    assert found.rising


def test_a_unit_manager_sees_their_units_only(reports, rollup, questions, manager, child_manager):
    adult = attention(manager)
    assert adult.overdue == 0  # the reports went to the children's unit
    assert [row.unit.name for row in adult.lowest] == ["Vuxna (missbruk och beroende) Norr"]
    assert adult.cases_now == 3
    children = attention(child_manager)
    assert children.overdue == 2
    assert (children.cases_now, children.cases_then, children.rising) == (0, 0, False)


def test_three_months_back_at_the_end_of_a_month():
    assert _three_months_before(D(2026, 5, 31)) == D(2026, 2, 28)
    assert _three_months_before(D(2026, 3, 15)) == D(2025, 12, 31)


@pytest.mark.parametrize("more", [0, 10])
def test_a_fixed_number_of_statements(
    reports, rollup, questions, head, municipality, adult_unit, more, django_assert_num_queries
):
    for n in range(more):
        pf.case(pf.person(municipality, f"Fler{n}"), adult_unit, opened_on=days(-100))
    minimum_level_rollup(municipality=municipality, running=True)
    dashboard_units(head)  # the roles, loaded once per request by the navigation
    with django_assert_num_queries(4):
        found = attention(head)
    assert found.cases_now == 3 + more


def test_the_panel_links_each_figure(client, login, reports, rollup, questions, head, org):
    login(head)
    page = client.get("/").content.decode()
    assert "Behöver uppmärksamhet" in page
    assert "2 orosanmälningar med passerad frist" in page
    # A head of services without a work queue is sent to the concern-report figures.
    assert "/uppfoljning/nyckeltal/?definition=concern_reports&amp;by=unit" in page
    families = org["units"][UnitType.FAMILIES]
    assert f'/uppfoljning/miniminiva/?unit={families.pk}">{families}</a>: 10 %' in page
    assert "67 %" in page and "50 %" in page and "Ökar" in page


def test_a_unit_manager_is_sent_to_the_work_queue(client, login, reports, child_manager):
    login(child_manager)
    page = client.get("/").content.decode()
    assert "/att-gora/?scope=unit&amp;group=deadlines" in page
    assert "inga siffror för månaden ännu" in page


@pytest.mark.parametrize("persona", ["worker", "administrator", "child_worker"])
def test_nobody_else_gets_the_panel(client, login, reports, rollup, persona, request):
    login(request.getfixturevalue(persona))
    page = client.get("/").content.decode()
    assert "Behöver uppmärksamhet" not in page
