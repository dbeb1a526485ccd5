import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.detection.models import ReportStatus
from tests.followup import factories as ff
from tests.people import factories as pf

URL = "/att-gora/"
today = timezone.localdate


def page(client, **params):
    return client.get(URL, params)


def test_it_lists_the_workers_unanswered_child_questions_with_a_link_to_answer(
    client, login, worker, open_case
):
    login(worker)
    response = page(client, group="questions")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna Åberg" in html
    assert reverse("detection:question_answer", kwargs={"case_pk": open_case.pk}) in html


def test_it_puts_unknown_answers_in_their_own_group_and_not_among_the_unanswered(
    client, login, worker, open_case
):
    ff.question(open_case, "unknown", by=worker)
    login(worker)
    assert "Anna Åberg" not in page(client, group="questions").content.decode()
    assert "Anna Åberg" in page(client, group="unknown").content.decode()


def test_it_lists_a_question_again_when_it_is_due_again(client, login, worker, open_case):
    ff.question(open_case, "no", by=worker, next_ask_on=today() - datetime.timedelta(days=1))
    login(worker)
    assert "Anna Åberg" in page(client, group="questions").content.decode()


def test_it_leaves_out_answered_questions_and_childrens_cases(
    client, login, worker, open_case, municipality, adult_unit
):
    ff.question(open_case, "yes", by=worker, next_ask_on=today() + datetime.timedelta(days=90))
    pf.case(pf.child(municipality, "Barnet", "Ung", age=12), adult_unit, responsible=worker)
    login(worker)
    html = page(client, group="questions").content.decode()
    assert "Anna Åberg" not in html and "Barnet Ung" not in html


def test_it_lists_children_not_yet_attended_with_a_link_to_the_child(
    client, login, worker, open_case
):
    record = ff.child_record(open_case, "Kimmy")
    ff.child_record(open_case, "Attendedbarn", attended_on=today())
    login(worker)
    html = page(client, group="not_attended").content.decode()
    assert "Kimmy" in html and "Attendedbarn" not in html
    assert reverse("detection:child_detail", args=[record.pk]) in html


def test_it_lists_reports_awaiting_the_pre_assessment_and_near_deadlines(
    client, login, child_worker, child_unit
):
    soon = ff.report(child_unit, "Nära Frist", due_in=2)
    ff.report(child_unit, "Gott Om Tid", due_in=12)
    late = ff.report(
        child_unit,
        "Sen Utredning",
        status=ReportStatus.INVESTIGATING,
        investigation_due_in=-3,
    )
    login(child_worker)
    awaiting = page(client, group="pre_assessment").content.decode()
    assert "Nära Frist" in awaiting and "Gott Om Tid" in awaiting
    assert "Sen Utredning" not in awaiting
    assert reverse("detection:report_detail", args=[soon.pk]) in awaiting
    near = page(client, group="deadlines").content.decode()
    assert "Nära Frist" in near and "Sen Utredning" in near and "Gott Om Tid" not in near
    assert "3 dagar försenad" in near and 'class="overdue"' in near
    assert reverse("detection:report_detail", args=[late.pk]) in near


def test_it_shows_a_colleagues_cases_only_in_the_managers_unit_queue(
    client, login, colleague, manager, open_case
):
    login(colleague)
    assert "Anna Åberg" not in page(client, group="questions").content.decode()
    login(manager)
    assert "Anna Åberg" not in page(client, group="questions").content.decode()
    html = page(client, group="questions", scope="unit").content.decode()
    assert "Anna Åberg" in html


def test_it_answers_404_to_staff_without_cases_and_to_other_municipalities(
    client, login, head, outsider, administrator
):
    for user in (head, outsider, administrator):
        login(user)
        assert page(client).status_code == 404


def test_it_shows_the_counts_in_the_navigation(client, login, worker, manager, open_case):
    ff.child_record(open_case, "Kimmy")
    login(worker)
    # Other pages fetch the counts after loading (their query budgets stay as they are);
    # the start page and the queue page have them already.
    other = client.get("/arenden/mina/").content.decode()
    assert 'hx-get="/att-gora/antal/"' in other
    counts = client.get("/att-gora/antal/").content.decode()
    assert 'id="nav-count-mine" class="nav-count" hx-swap-oob="true">(2)' in counts
    assert "nav-count-unit" not in counts
    # The queue page has them already.
    queue_page = page(client).content.decode()
    assert 'id="nav-count-mine" class="nav-count">(2)</span>' in queue_page
    login(manager)
    counts = client.get("/att-gora/antal/").content.decode()
    assert (
        ">(0)</span>" in counts
        and 'id="nav-count-unit" class="nav-count" hx-swap-oob="true">(2)' in counts
    )


def test_it_counts_the_navigation_in_one_query(
    client, login, manager, open_case, django_assert_max_num_queries
):
    login(manager)
    with django_assert_max_num_queries(4):  # session, user, roles: 3; counts: 1
        assert client.get("/att-gora/antal/").status_code == 200


def test_it_counts_a_report_in_two_groups_once(client, login, child_worker, child_unit):
    ff.report(child_unit, "Nära Frist", due_in=1)
    login(child_worker)
    html = page(client).content.decode()
    assert "1 sak att göra totalt." in html


def test_it_audits_the_list_read(client, login, worker, open_case):
    record = ff.child_record(open_case, "Kimmy")
    login(worker)
    page(client, group="not_attended")
    entry = AuditEntry.objects.get(action="read", object_type="detection.childrecord")
    assert entry.changes["ids"] == [str(record.pk)]
    page(client, group="questions")
    entry = AuditEntry.objects.get(action="read", object_type="cases.case")
    assert entry.changes["ids"] == [str(open_case.pk)]


@pytest.mark.parametrize(
    "params",
    [{"sort": "bogus"}, {"group": "nothing"}, {"scope": "unit"}, {"unit": "99999"}],
)
def test_it_answers_bad_filters_with_a_message(client, login, worker, params):
    login(worker)
    response = page(client, **params)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_it_refuses_a_unit_the_manager_does_not_manage(client, login, manager, child_unit):
    login(manager)
    response = page(client, scope="unit", unit=child_unit.pk)
    assert response.status_code == 400


def test_it_sorts_by_unit_and_by_age(client, login, manager, municipality, org, adult_unit):
    from kinsight.core.models import Membership, Role, UnitType

    violence = org["units"][UnitType.VIOLENCE]
    Membership.objects.create(
        municipality=municipality, user=manager, unit=violence, role=Role.UNIT_MANAGER
    )
    old = today() - datetime.timedelta(days=300)
    pf.case(pf.person(municipality, "Yngst", "Sist"), adult_unit, opened_on=today())
    pf.case(pf.person(municipality, "Äldst", "Först"), violence, opened_on=old)
    login(manager)
    by_age = page(client, scope="unit", sort="age").content.decode()
    assert by_age.index("Äldst Först") < by_age.index("Yngst Sist")
    by_unit = page(client, scope="unit", sort="unit").content.decode()
    # "Vuxna (missbruk …)" sorts before "Våld" (a before å)
    assert by_unit.index("Yngst Sist") < by_unit.index("Äldst Först")


@pytest.mark.parametrize("rows", [1, 12])
@pytest.mark.parametrize("group", ["questions", "not_attended", "pre_assessment"])
def test_it_runs_a_fixed_number_of_queries(
    client,
    login,
    worker,
    child_worker,
    municipality,
    adult_unit,
    child_unit,
    django_assert_max_num_queries,
    rows,
    group,
):
    for index in range(rows):
        case = pf.case(pf.person(municipality, f"Klient{index}"), adult_unit, responsible=worker)
        ff.child_record(case, f"Barn{index}")
        ff.report(child_unit, f"Anmält Barn{index}", due_in=index % 5)
    user = child_worker if group == "pre_assessment" else worker
    login(user)
    with django_assert_max_num_queries(9):
        response = page(client, group=group)
    assert response.status_code == 200
    marker = {"questions": "Klient", "not_attended": "Barn", "pre_assessment": "Anmält"}[group]
    assert response.content.decode().count(f"{marker}") >= rows
