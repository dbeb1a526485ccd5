"""Key pages in English: with the language cookie set to English, the words of the start
page, the work queue, a case, a child record, the new-case-by-number page and a person's
log carry no Swedish; only the data shown (names, case subjects, units) stays as typed."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from kinsight.cases.models import Case, LegalReference
from kinsight.core.models import Municipality, OrgUnit, User
from kinsight.detection.models import ChildRecord, ConcernReport, PreAssessmentDecision
from kinsight.detection.services import child_record_add_expected
from kinsight.people.models import Person
from tests.followup import factories as ff
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(och|för|att|inte|med|som|det|ett|en|har|ny|nytt|visa|spara|sök|barn|logg"
    r"|enhet|mina|alla|inga|ingen|hela|numret|väntat|anteckning|ärende|ärenden|sedan)\b",
    re.IGNORECASE,
)
LABELS = {"aria-label", "title", "placeholder", "alt"}
SHOWN_ATTRIBUTES = LABELS | {"value"}


class PageText(HTMLParser):
    """Every text a reader sees or hears: text nodes and labelling attributes."""

    def __init__(self):
        super().__init__()
        self.texts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        # A value is shown on a button only; elsewhere it is data (an option's key).
        names = SHOWN_ATTRIBUTES if dict(attrs).get("type") in ("submit", "button") else LABELS
        self.texts += [value for name, value in attrs if name in names and value]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def data_shown():
    """What the test data says in Swedish: names of persons, children, staff and units,
    municipalities, case subjects, reports, legal references. Longest first: a name goes whole."""
    words = set(OrgUnit.objects.values_list("name", flat=True))
    words |= set(Municipality.objects.values_list("name", flat=True))
    words |= set(Case.objects.values_list("subject", flat=True))
    words |= {str(reference) for reference in LegalReference.objects.all()}
    words |= set(ChildRecord.objects.values_list("first_name", flat=True))
    for report in ConcernReport.objects.all():
        words |= {report.child_name, report.concern}
    for model in (Person, User):
        for first, last in model.objects.values_list("first_name", "last_name"):
            words |= {first, last}
    return sorted(filter(None, words), key=len, reverse=True)


def swedish_on(response):
    assert response.status_code == 200, response
    page = PageText()
    page.feed(response.content.decode())
    data, found = data_shown(), []
    for text in page.texts:
        for word in data:
            text = text.replace(word, "")
        if SWEDISH.search(text):
            found.append(text)
    return found


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def busy_week(worker, open_case, child_unit):
    """Something in every kind of row the start page and the queue show."""
    ff.question(open_case, "", by=worker)
    ff.child_record(open_case, "Kim", by=worker)
    ff.report(child_unit, "Lo Snart", due_in=1, responsible=worker)
    ff.report(child_unit, "Mo Sen", due_in=-2, responsible=worker)


def test_the_start_page_and_the_work_queue_are_english(english, login, worker, busy_week):
    login(worker)
    for url in ("/", "/att-gora/", "/arenden/mina/"):
        found = swedish_on(english.get(url))
        assert found == [], (url, found)


def test_a_concern_report_awaiting_feedback_is_english(english, login, child_worker, child_unit):
    today = timezone.localdate()
    report = ff.report(child_unit, "Lo Snart", responsible=child_worker)
    ConcernReport.objects.filter(pk=report.pk).update(
        feedback_requested=True,
        pre_assessment_decision=PreAssessmentDecision.NO_INVESTIGATION,
        pre_assessment_decided_on=today,
        feedback_due_on=today + datetime.timedelta(days=7),
    )
    login(child_worker)
    for url in (f"/orosanmalningar/{report.pk}/", "/", "/att-gora/?group=feedback"):
        found = swedish_on(english.get(url))
        assert found == [], (url, found)
    queue = english.get("/att-gora/?group=feedback").content.decode()
    assert "Give feedback to the reporter" in queue
    assert "Save the feedback" in english.get(f"/orosanmalningar/{report.pk}/").content.decode()


def test_a_case_and_its_child_records_are_english(english, login, worker, open_case):
    record = ff.child_record(open_case, "Kim", by=worker)
    expected = child_record_add_expected(
        actor=worker, case=open_case, expected_month=timezone.localdate()
    )
    login(worker)
    for url in (
        f"/arenden/{open_case.pk}/",
        f"/barn-som-anhoriga/{record.pk}/",
        f"/barn-som-anhoriga/{expected.pk}/",
        f"/arenden/{open_case.pk}/barn/vantat/",
    ):
        found = swedish_on(english.get(url))
        assert found == [], (url, found)


def test_the_new_case_by_number_page_is_english(
    english, login, child_worker, open_case, client_person
):
    login(child_worker)
    assert swedish_on(english.get("/arenden/nytt/")) == []
    for number in (client_person.identifier, pf.pnr(1990, 1, 2)):
        found = english.post(
            "/arenden/nytt/", {"identifier_kind": "personnummer", "identifier": number}
        )
        assert swedish_on(found) == [], number


def test_a_persons_log_is_english(english, login, worker, log_reviewer, open_case):
    record = ff.child_record(open_case, "Kim", by=worker)
    login(worker)
    english.get(f"/arenden/{open_case.pk}/")
    english.get(f"/barn-som-anhoriga/{record.pk}/")
    english.get("/arenden/mina/")
    login(log_reviewer)
    person = open_case.person_id
    search = english.post("/logg/person/", {"q": "Anna"})["Location"]
    for url in (f"/logg/person/{person}/", search, "/logg/"):
        found = swedish_on(english.get(url))
        assert found == [], (url, found)
