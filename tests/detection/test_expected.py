"""Issue 9 §4: an expected child (väntat barn) is a child to plan for: recorded on the
parent's case with the month it is expected, the same steps, queued as "Väntat barn –
planera", counted on its own on the minimum level (never in the share) until born."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kinsight.audit.models import AuditEntry
from kinsight.detection import services
from kinsight.detection.models import add_months
from kinsight.followup import queue
from kinsight.followup.minimum_level import figures_by_unit
from tests.followup import factories as ff

today = timezone.localdate


def in_months(n):
    return add_months(today().replace(day=1), n)


@pytest.fixture
def expected(worker, open_case):
    return services.child_record_add_expected(
        actor=worker, case=open_case, expected_month=in_months(3)
    )


def group(worker, key):
    return list(queue.QUERIES[key](worker, queue.Scope(queue.MINE), today()))


def test_an_expected_child_is_recorded_with_its_month_and_the_same_steps(expected):
    assert expected.is_expected and expected.display_name == "Väntat barn"
    assert expected.expected_month == in_months(3)
    assert [s.status for s in expected.steps.all()] == ["identified"]
    assert AuditEntry.objects.filter(
        action="create", object_type="detection.childrecord", object_id=str(expected.pk)
    ).exists()


@pytest.mark.parametrize("month", [-2, 11, None])
def test_a_month_out_of_range_is_refused_with_a_message(worker, open_case, month):
    with pytest.raises(ValidationError) as error:
        services.child_record_add_expected(
            actor=worker,
            case=open_case,
            expected_month=None if month is None else in_months(month),
        )
    assert "Ange månaden barnet väntas" in error.value.message_dict["expected_month"][0]


def test_one_expected_child_per_case_at_a_time(worker, open_case, expected):
    with pytest.raises(ValidationError) as error:
        services.child_record_add_expected(
            actor=worker, case=open_case, expected_month=in_months(4)
        )
    assert "finns redan ett väntat barn" in error.value.message_dict["expected_month"][0]


def test_it_is_counted_on_its_own_and_never_in_the_share(worker, open_case, expected):
    ff.child_record(open_case, "Född", attended_on=today())
    figures = figures_by_unit(municipality_id=open_case.municipality_id, end=today())
    unit = figures[open_case.unit_id]
    assert (unit.children, unit.attended, unit.share) == (1, 1, 100.0)
    assert (unit.expected, unit.expected_attended) == (1, 0)
    services.child_record_step(
        actor=worker,
        record=expected,
        status="attended",
        expected_version=expected.version,
        parent_talked_with=True,
        child_information="not_applicable",
        child_information_reason="Barnet är inte fött än",
    )
    unit = figures_by_unit(municipality_id=open_case.municipality_id, end=today())[
        open_case.unit_id
    ]
    assert (unit.children, unit.expected, unit.expected_attended) == (1, 1, 1)


def test_the_queue_asks_to_plan_until_an_expected_child_is_attended(
    worker, open_case, client, login
):
    ff.question(open_case, "no", by=worker, next_ask_on=today() + datetime.timedelta(days=90))
    open_case.child_question.expecting_child = "yes"
    open_case.child_question.save(update_fields=["expecting_child"])
    assert group(worker, "expected") == [open_case]
    login(worker)
    html = client.get("/att-gora/", {"group": "expected"}).content.decode()
    assert "Väntat barn – planera" in html
    assert reverse("detection:expected_new", args=[open_case.pk]) in html
    record = services.child_record_add_expected(
        actor=worker, case=open_case, expected_month=in_months(2)
    )
    html = client.get("/att-gora/", {"group": "expected"}).content.decode()
    assert reverse("detection:child_detail", args=[record.pk]) in html
    assert group(worker, "not_attended") == []  # not among the born children
    services.child_record_step(
        actor=worker,
        record=record,
        status="attended",
        expected_version=record.version,
        parent_talked_with=True,
        child_information="not_applicable",
        child_information_reason="Inte fött",
    )
    assert group(worker, "expected") == []


def test_the_born_child_goes_on_as_a_child_of_the_case(worker, open_case, expected):
    born = today() - datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.child_record_born(
            actor=worker, record=expected, expected_version=1, first_name="", birth_date=None
        )
    assert set(error.value.message_dict) == {"first_name", "birth_date"}
    services.child_record_born(
        actor=worker, record=expected, expected_version=1, first_name="Vera", birth_date=born
    )
    expected.refresh_from_db()
    assert not expected.is_expected and expected.display_name == "Vera"
    unit = figures_by_unit(municipality_id=open_case.municipality_id, end=today())[
        open_case.unit_id
    ]
    assert (unit.children, unit.expected) == (1, 0)
    # Before the birth the same record counted as expected, not as a child.
    month_ago = born - datetime.timedelta(30)
    type(expected).objects.filter(pk=expected.pk).update(identified_on=month_ago)
    type(open_case).objects.filter(pk=open_case.pk).update(opened_on=month_ago)
    end = born - datetime.timedelta(days=1)
    unit = figures_by_unit(municipality_id=open_case.municipality_id, end=end)[open_case.unit_id]
    assert (unit.children, unit.expected) == (0, 1)


def test_the_pages_add_show_and_register_the_birth(client, login, worker, open_case):
    login(worker)
    url = reverse("detection:expected_new", args=[open_case.pk])
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="read", object_type="cases.case").exists()
    month = in_months(2)
    response = client.post(
        url, {"expected_month": f"{month:%Y-%m}", "custody": "joint", "lives_with": "full"}
    )
    assert response.status_code == 302
    case_page = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert "Väntat barn" in case_page and f"väntas {month:%Y-%m}" in case_page
    record = open_case.child_records.get()
    detail = client.get(reverse("detection:child_detail", args=[record.pk])).content.decode()
    assert "Barnet är fött" in detail
    response = client.post(
        reverse("detection:child_born", args=[record.pk]),
        {"version": record.version, "first_name": "", "birth_date": ""},
    )
    assert response.status_code == 400 and "Ange barnets förnamn." in response.content.decode()


def test_the_expected_child_page_is_404_to_an_outsider(client, login, outsider, open_case):
    login(outsider)
    assert client.get(reverse("detection:expected_new", args=[open_case.pk])).status_code == 404


def test_a_report_about_an_expected_child_and_its_log_name_say_when_it_is_expected(
    worker, expected
):
    month = f"{expected.expected_month:%Y-%m}"
    assert f"Väntat barn, beräknat {month}." in services.suggested_concern(
        actor=worker, record=expected
    )
    from kinsight.audit.registry import label_of

    assert label_of(expected) == f"Barn som anhörig: Väntat barn, väntas {month}"
