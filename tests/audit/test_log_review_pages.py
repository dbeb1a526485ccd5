"""The log reviewer's log review pages (issue 15): patterns and a hit's review, the
monthly sample and its review, the list of reviews and a review's PDF; who may see
them, what they log, and their queries."""

import datetime

import pytest
from django.utils import timezone

from kinsight.audit import sampling
from kinsight.audit.models import AuditEntry, LogReview, LogSample
from kinsight.core.models import Role
from tests import factories
from tests.audit.helpers import write_statements
from tests.audit.review_helpers import MONDAY, at, read
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

WEEK = {"start": MONDAY.isoformat(), "end": (MONDAY + datetime.timedelta(6)).isoformat()}


@pytest.fixture
def hidden(municipality, addiction_unit):
    person = pf.person(municipality, "Dold", "Person", protected_identity=True)
    pf.case(person, addiction_unit)
    return person


@pytest.fixture
def hit_url(worker, hidden):
    read(worker, hidden, at(0, 9))
    read(worker, hidden, at(0, 9, 5))
    return f"/logg/monster/protected/{worker.pk}/{hidden.pk}/{MONDAY.isoformat()}/"


def _latest(**lookup):
    return AuditEntry.objects.filter(**lookup).latest("seq")


def _review(client, url, outcome="in_order", comment=""):
    return client.post(url, {"outcome": outcome, "comment": comment})


def test_it_shows_the_patterns_hits_and_logs_the_read(client, login, log_reviewer, hit_url, hidden):
    login(log_reviewer)
    response = client.get("/logg/monster/", WEEK)
    assert response.status_code == 200
    assert hit_url.encode() in response.content
    assert b"Dold Person" in response.content
    row = _latest(actor=log_reviewer)
    assert row.object_type == "audit.auditentry"
    assert row.changes["patterns"]["protected"] == 1
    assert list(row.subjects.values_list("person_id", flat=True)) == [hidden.pk]


def test_it_shows_the_last_seven_days_by_default(client, login, log_reviewer):
    login(log_reviewer)
    response = client.get("/logg/monster/")
    form = response.context["form"]
    today = timezone.localdate()
    assert form["start"].value() == today - datetime.timedelta(days=6)
    assert form["end"].value() == today


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-05-10", "2026-05-01", "Slutdatum kan inte vara före startdatum."),
        ("2026-01-01", "2026-06-01", "Välj högst 92 dagar åt gången."),
        ("", "2026-06-01", "Ange ett datum."),
    ],
)
def test_it_refuses_a_bad_period_with_a_message(client, login, log_reviewer, start, end, message):
    login(log_reviewer)
    response = client.get("/logg/monster/", {"start": start, "end": end})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_reviews_a_hit_and_logs_the_review(client, login, log_reviewer, worker, hit_url, hidden):
    login(log_reviewer)
    page = client.get(hit_url)
    assert page.status_code == 200
    assert len(page.context["page"].rows) == 2
    shown = _latest(actor=log_reviewer)
    assert hidden.pk in shown.subjects.values_list("person_id", flat=True)
    response = _review(client, hit_url, "follow_up", "Fråga enhetschefen.")
    review = LogReview.objects.get()
    assert response["Location"] == f"/logg/granskningar/{review.pk}/"
    assert (review.pattern, review.actor, review.person_id, review.reviewer) == (
        "protected",
        worker,
        hidden.pk,
        log_reviewer,
    )
    assert len(review.entry_ids) == 2
    created = _latest(action="create", object_type="audit.logreview")
    assert created.changes["outcome"] == [None, "follow_up"]
    assert list(created.subjects.values_list("person_id", flat=True)) == [hidden.pk]
    listed = client.get("/logg/monster/", WEEK)
    assert "<td>Ja</td>" in listed.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "not_in_order", "comment": " "}, "Skriv en kommentar när något"),
        ({"outcome": "", "comment": ""}, "Välj en bedömning."),
        ({"outcome": "maybe", "comment": ""}, "Välj ett giltigt alternativ"),
    ],
)
def test_it_refuses_a_review_without_what_it_needs(
    client, login, log_reviewer, hit_url, data, message
):
    login(log_reviewer)
    response = client.post(hit_url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LogReview.objects.exists()


def test_it_answers_404_for_a_hit_that_is_not_there(client, login, log_reviewer, worker, hit_url):
    login(log_reviewer)
    for url in (
        hit_url.replace("protected", "nonsense"),
        hit_url.replace(MONDAY.isoformat(), "igår"),
        f"/logg/monster/protected/{worker.pk + 999}/1/{MONDAY.isoformat()}/",
    ):
        assert client.get(url).status_code == 404
    empty = hit_url.replace(MONDAY.isoformat(), (MONDAY + datetime.timedelta(1)).isoformat())
    assert _review(client, empty).status_code == 404


def test_it_draws_the_monthly_sample_once_and_reproducibly(
    client, login, log_reviewer, worker, anna_client, addiction_unit
):
    for minute in range(15):
        read(worker, anna_client, at(0, 9, minute))
    month = MONDAY.replace(day=1)
    login(log_reviewer)
    response = client.post("/logg/stickprov/", {"month": f"{month:%Y-%m}"})
    assert response["Location"] == f"/logg/stickprov/?month={month:%Y-%m}"
    sample = LogSample.objects.get(unit=addiction_unit)
    assert (sample.population, len(sample.entry_ids)) == (15, 10)
    population = list(AuditEntry.objects.filter(actor=worker).values_list("pk", flat=True))
    assert sample.entry_ids == sampling.draw(
        sample.municipality_id, addiction_unit.pk, month, population
    )
    client.post("/logg/stickprov/", {"month": f"{month:%Y-%m}"})
    assert LogSample.objects.filter(unit=addiction_unit).count() == 1
    created = _latest(action="create", object_type="audit.logsample", object_id=str(sample.pk))
    assert created.changes["entry_ids"][1] == sample.entry_ids
    page = client.get(f"/logg/stickprov/{sample.pk}/")
    assert len(page.context["page"].rows) == 10
    response = client.post(f"/logg/stickprov/{sample.pk}/", {"outcome": "in_order"})
    review = LogReview.objects.get(sample=sample)
    assert response["Location"] == f"/logg/granskningar/{review.pk}/"


def test_it_draws_no_sample_of_a_month_not_over(client, login, log_reviewer):
    login(log_reviewer)
    this_month = f"{timezone.localdate():%Y-%m}"
    response = client.post("/logg/stickprov/", {"month": this_month}, follow=True)
    assert "Stickprov dras för en månad som är slut." in response.content.decode()
    assert not LogSample.objects.exists()
    assert client.post("/logg/stickprov/", {"month": "maj"}).status_code == 400


def test_it_lists_reviews_filtered_in_fixed_queries(
    client, login, log_reviewer, hit_url, django_assert_num_queries
):
    login(log_reviewer)
    _review(client, hit_url, "in_order")

    def listed(expected, **filters):
        with django_assert_num_queries(expected):
            response = client.get("/logg/granskningar/", filters)
        return response.context["page"].object_list

    base = 5 + write_statements()  # session, user, roles, count, page; the audit row
    assert len(listed(base)) == 1
    _review(client, hit_url, "follow_up", "Följ upp.")
    _review(client, hit_url, "not_in_order", "Fel.")
    assert len(listed(base)) == 3
    assert [r.outcome for r in listed(base, outcome="follow_up")] == ["follow_up"]
    assert len(listed(base, kind="protected", reviewer=log_reviewer.username)) == 3
    assert list(listed(4, kind="sample")) == []  # nothing shown, no audit row


def test_it_exports_a_review_as_pdf_and_logs_the_export(
    client, login, log_reviewer, hit_url, hidden
):
    login(log_reviewer)
    _review(client, hit_url, "not_in_order", "Ingen grund för läsningen.")
    review = LogReview.objects.get()
    page = client.get(f"/logg/granskningar/{review.pk}/")
    assert "Ingen grund för läsningen." in page.content.decode()
    response = client.get(f"/logg/granskningar/{review.pk}/granskning.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    export = _latest(action="export")
    assert (export.object_type, export.object_id) == ("audit.logreview", str(review.pk))
    assert len(export.changes["entries"]) == 2
    assert list(export.subjects.values_list("person_id", flat=True)) == [hidden.pk]


PAGES = ["/logg/monster/", "/logg/stickprov/", "/logg/granskningar/"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.LOG_REVIEWER])
def test_it_answers_404_to_every_other_role(client, login, municipality, org, role, hit_url):
    login(factories.staff(municipality, role=role, unit=org["board"]))
    for url in [*PAGES, hit_url]:
        assert client.get(url).status_code == 404
    assert client.post(hit_url, {"outcome": "in_order"}).status_code == 404
    assert client.post("/logg/stickprov/", {"month": "2026-01"}).status_code == 404


def test_it_answers_404_to_a_log_reviewer_of_another_municipality(
    client, login, log_reviewer, other_municipality, other_org, hit_url
):
    login(log_reviewer)
    _review(client, hit_url)
    review = LogReview.objects.get()
    stranger = factories.staff(other_municipality, role=Role.LOG_REVIEWER, unit=other_org["board"])
    login(stranger)
    for url in (
        hit_url,
        f"/logg/granskningar/{review.pk}/",
        f"/logg/granskningar/{review.pk}/granskning.pdf",
    ):
        assert client.get(url).status_code == 404
    assert list(client.get("/logg/granskningar/").context["page"].object_list) == []


def test_the_pattern_page_runs_fixed_queries_whatever_its_hits(
    client, login, log_reviewer, worker, municipality, addiction_unit, django_assert_num_queries
):
    from kinsight.audit import patterns

    persons = [
        pf.person(municipality, f"D{i}", "Person", protected_identity=True) for i in range(3)
    ]
    for person in persons:
        pf.case(person, addiction_unit)
    read(worker, persons[0], at(0, 9))  # one hit in the first week, three in the next
    for person in persons:
        read(worker, person, at(7, 9))
    login(log_reviewer)
    # session, user, roles; a query per pattern; readers, persons, reviews; the audit row
    expected = 3 + len(patterns.all_patterns()) + 3 + write_statements()
    with django_assert_num_queries(expected):
        one = client.get("/logg/monster/", WEEK)
    next_week = {
        k: (datetime.date.fromisoformat(v) + datetime.timedelta(7)).isoformat()
        for k, v in WEEK.items()
    }
    with django_assert_num_queries(expected):
        three = client.get("/logg/monster/", next_week)
    assert [len(hits) for p, hits in one.context["found"].groups if p.key == "protected"] == [1]
    assert [len(hits) for p, hits in three.context["found"].groups if p.key == "protected"] == [3]


def test_a_hit_runs_fixed_queries_whatever_its_rows(
    client, login, log_reviewer, worker, hidden, django_assert_num_queries
):
    read(worker, hidden, at(0, 9))
    for minute in (1, 2):
        read(worker, hidden, at(1, 9, minute))
    login(log_reviewer)
    # session, user, roles; the reader; count and page; the person's name; the reviews;
    # the rows' persons; labels (one type) and units; the audit row
    expected = 3 + 1 + 2 + 1 + 1 + 1 + 2 + write_statements()
    for day, rows in ((MONDAY, 1), (MONDAY + datetime.timedelta(1), 2)):
        url = f"/logg/monster/protected/{worker.pk}/{hidden.pk}/{day.isoformat()}/"
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert len(response.context["page"].rows) == rows
