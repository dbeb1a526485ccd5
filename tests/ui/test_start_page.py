"""The start page answers "what do I do today": for case workers and unit managers the
work queue's counts, this week's deadlines and the recent cases, each a link; for the
other roles their entry points. Every list of personal data shown is audited."""

import datetime
import re

import pytest
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.followup import queue, start
from kinsight.followup.start import week_end
from tests.followup import factories as ff
from tests.people import factories as pf

pytestmark = pytest.mark.django_db
today = timezone.localdate


def section(html, heading_id):
    found = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def days_to_next_week():
    return (week_end(today()) - today()).days + 1


def test_it_shows_a_case_worker_the_counts_this_weeks_deadlines_and_recent_cases(
    client, login, child_worker, child_unit, municipality
):
    due = ff.report(child_unit, "Lo Snart", due_in=0)
    late = ff.report(child_unit, "Mo Sen", due_in=-2)
    ff.report(child_unit, "No Nästa", due_in=days_to_next_week())
    cases = [
        pf.case(
            pf.person(municipality, f"Klient{n}"),
            child_unit,
            responsible=child_worker,
            opened_on=today() - datetime.timedelta(days=n),
        )
        for n in range(6)
    ]
    login(child_worker)
    html = client.get("/").content.decode()

    today_part = section(html, "h-today")
    assert 'href="/att-gora/?group=pre_assessment"' in today_part
    assert re.search(r"väntar på förhandsbedömning</a> <span[^>]*>3</span>", today_part)
    week = section(html, "h-week")
    assert f'href="/orosanmalningar/{due.pk}/"' in week and "Lo Snart" in week
    assert f'href="/orosanmalningar/{late.pk}/"' in week and "2 dagar försenad" in week
    assert "No Nästa" not in week
    assert week.index("Mo Sen") < week.index("Lo Snart")  # the most overdue first
    recent = section(html, "h-recent")
    for case in cases[:5]:
        assert f'href="/arenden/{case.pk}/"' in recent
    assert f'href="/arenden/{cases[5].pk}/"' not in recent
    assert 'href="/arenden/mina/"' in recent


def test_it_audits_the_reports_and_cases_it_shows(
    client, login, child_worker, child_unit, municipality
):
    report = ff.report(child_unit, "Lo Snart", due_in=0)
    case = pf.case(pf.person(municipality, "Klient"), child_unit, responsible=child_worker)
    login(child_worker)
    client.get("/")
    reads = AuditEntry.objects.filter(actor=child_worker, action="read")
    assert reads.get(object_type="detection.concernreport").changes["ids"] == [str(report.pk)]
    assert reads.get(object_type="cases.case").changes["ids"] == [str(case.pk)]


def test_a_unit_manager_sees_the_units_queue_and_the_units_cases(
    client, login, manager, colleague, adult_unit, municipality
):
    case = pf.case(pf.person(municipality, "Bertil"), adult_unit, responsible=colleague)
    login(manager)
    html = client.get("/").content.decode()
    today_part = section(html, "h-today")
    assert "Enhetens" in today_part
    assert 'href="/att-gora/?scope=unit&amp;group=questions"' in today_part
    recent = section(html, "h-recent")
    assert "Enhetens senaste ärenden" in recent
    assert f'href="/arenden/{case.pk}/"' in recent and 'href="/arenden/"' in recent
    assert 'href="/uppfoljning/miniminiva/"' in html


def test_a_colleagues_case_is_not_a_workers_recent_case(
    client, login, worker, colleague, adult_unit, municipality
):
    pf.case(pf.person(municipality, "Främling"), adult_unit, responsible=colleague)
    login(worker)
    html = client.get("/").content.decode()
    assert "Främling" not in html
    assert "Inga öppna ärenden." in section(html, "h-recent")


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("administrator", ["/organisation/", "/personal/", "/skyddsfaktorer/"]),
        ("log_reviewer", ["/logg/"]),
        ("head", ["/uppfoljning/miniminiva/"]),
    ],
)
def test_other_roles_get_their_entry_points_and_no_work_panel(
    request, client, login, persona, links, open_case
):
    user = request.getfixturevalue(persona)
    login(user)
    html = client.get("/").content.decode()
    main = html[html.index("<main") :]
    for link in links:
        assert f'href="{link}"' in main
    assert 'id="h-today"' not in html and "Åberg" not in html
    assert not AuditEntry.objects.filter(actor=user, action="read").exists()


def test_another_municipality_sees_nothing_of_ours(client, login, outsider, open_case):
    login(outsider)
    html = client.get("/").content.decode()
    assert "Åberg" not in html and 'id="h-today"' not in html


# The page's budget: session 1; user with device and municipality 1; role scopes 1; the
# memberships the page lists 1; queue counts 1; deadlines one per source (reports'
# clocks and each dated queue group: feedback, plan follow-ups, meeting tasks); recent
# cases 1; two audited list reads (reports, cases) written together: 4.
DEADLINE_SOURCES = 1 + sum(key in queue.QUERIES for key in start.DATED_GROUPS)
BUDGET = 10 + DEADLINE_SOURCES


def test_it_runs_a_fixed_number_of_queries(
    client, login, child_worker, child_unit, municipality, django_assert_max_num_queries
):
    def add(first, last):
        for n in range(first, last):
            ff.report(child_unit, f"Barn{n}", due_in=n - 1)
            pf.case(pf.person(municipality, f"Klient{n}"), child_unit, responsible=child_worker)

    login(child_worker)
    counts = []
    for first, last in [(0, 1), (1, 3)]:
        add(first, last)
        with django_assert_max_num_queries(BUDGET) as queries:
            response = client.get("/")
        counts.append(len(queries))
        assert response.content.decode().count("Klient") == last
    assert counts[0] == counts[1]  # the same however many items; within the budget above
