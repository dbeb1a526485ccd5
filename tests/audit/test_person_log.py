"""Who saw this person? The log reviewer's log of one person (issue 9 §8): every row
about the person and what hangs on them, list reads included, newest first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinsight.audit.models import AuditEntry, AuditSubject
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.audit.verify import verify_chain
from kinsight.cases.models import JournalNote
from kinsight.detection.models import ChildRecord
from tests.audit.helpers import write_statements
from tests.detection.conftest import *  # noqa: F403 - Anna, her case, Kim's child record
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def log_search(client, text):
    """The log reviewer's person search: the text posted, the results by their key."""
    return client.get(client.post("/logg/person/", {"q": text})["Location"])


def _log(client, login, reviewer, person, **params):
    login(reviewer)
    response = client.get(f"/logg/person/{person.pk}/", params)
    assert response.status_code == 200
    return response


def _shown(response):
    return [row.entry for row in response.context["page"].rows]


def _record_label(record):
    """The child record as the log names it: the name the record shows, and the age."""
    record = ChildRecord.objects.select_related("child").get(pk=record.pk)
    return f"Barn som anhörig: {record.display_name}, 8 år"


def _latest(**lookup):
    return AuditEntry.objects.filter(**lookup).latest("seq")


def test_it_shows_a_list_read_that_showed_the_person(
    client, login, worker, log_reviewer, client_person, open_case
):
    login(worker)
    pf.search(client, "Åberg")
    search = _latest(actor=worker, object_type="people.person", object_id="*")
    assert str(client_person.pk) in search.changes["ids"]
    shown = _shown(_log(client, login, log_reviewer, client_person))
    assert search in shown


def test_it_shows_a_case_read_by_name_with_the_actors_unit(
    client, login, worker, log_reviewer, client_person, open_case, adult_unit
):
    login(worker)
    client.get(f"/arenden/{open_case.pk}/")
    read = _latest(actor=worker, object_type="cases.case", object_id=str(open_case.pk))
    response = _log(client, login, log_reviewer, client_person)
    assert read in _shown(response)
    page = response.content.decode()
    assert f"Ärende {open_case.pk}, Anna Åberg ({adult_unit.name})" in page
    row = next(r for r in response.context["page"].rows if r.entry == read)
    assert row.units == [adult_unit.name]


def test_it_shows_a_child_record_read_to_the_child_and_the_parent(
    client, login, worker, log_reviewer, client_person, family, kim_record
):
    login(worker)
    client.get(f"/barn-som-anhoriga/{kim_record.pk}/")
    read = _latest(actor=worker, object_type="detection.childrecord", object_id=str(kim_record.pk))
    for person in (family["kim"], client_person):
        response = _log(client, login, log_reviewer, person)
        assert read in _shown(response)
    assert _record_label(kim_record) in response.content.decode()


def test_it_shows_the_work_queue_that_listed_the_child(
    client, login, worker, log_reviewer, family, kim_record
):
    login(worker)
    client.get("/att-gora/", {"group": "not_attended"})
    listed = AuditEntry.objects.filter(
        actor=worker, object_type="detection.childrecord", object_id="*"
    ).latest("seq")
    assert str(kim_record.pk) in listed.changes["ids"]
    assert listed in _shown(_log(client, login, log_reviewer, family["kim"]))


def test_it_leaves_out_other_persons_rows(
    client, login, worker, log_reviewer, municipality, client_person, adult_unit
):
    other = pf.person(municipality, "Bo", "Berg", birth_date=datetime.date(1970, 1, 2))
    other_case = pf.case(other, adult_unit, responsible=worker)
    login(worker)
    client.get(f"/arenden/{other_case.pk}/")
    client.get(f"/personer/{other.pk}/")
    theirs = set(AuditEntry.objects.filter(actor=worker))
    assert theirs and not theirs & set(_shown(_log(client, login, log_reviewer, client_person)))


def test_it_shows_newest_first_and_filters_by_period_and_action(
    log_reviewer, worker, client, login, client_person, open_case
):
    first = audit_read(actor=worker, obj=open_case)
    later = audit_read(actor=worker, obj=client_person)

    def shown(**filters):
        return _shown(_log(client, login, log_reviewer, client_person, **filters))

    everything = shown()
    assert everything.index(later) < everything.index(first)
    today = timezone.localdate()
    assert {first, later} <= set(shown(start=today, end=today))
    assert not shown(end=today - datetime.timedelta(days=1))
    assert not shown(start=today + datetime.timedelta(days=1))
    assert {first, later} <= set(shown(action="read"))
    assert not shown(action="update")


def test_it_explains_a_period_that_ends_before_it_starts(
    client, login, log_reviewer, client_person
):
    login(log_reviewer)
    response = client.get(
        f"/logg/person/{client_person.pk}/", {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()


def test_reading_a_persons_log_is_itself_logged(
    client, login, log_reviewer, client_person, open_case
):
    audit_read(actor=log_reviewer, obj=open_case)
    _log(client, login, log_reviewer, client_person)
    entry = _latest(actor=log_reviewer, object_type="audit.auditentry")
    assert entry.changes["person"] == client_person.pk and entry.changes["ids"]
    assert list(entry.subjects.values_list("person_id", flat=True)) == [client_person.pk]
    assert verify_chain(log_reviewer.municipality_id) is None


@pytest.mark.parametrize("persona", ["worker", "administrator"])
def test_the_persons_log_is_404_for_everyone_else(client, login, request, persona, client_person):
    login(request.getfixturevalue(persona))
    assert client.get(f"/logg/person/{client_person.pk}/").status_code == 404
    assert client.post("/logg/person/", {"q": "Åberg"}).status_code == 404
    assert client.get("/logg/person/").status_code == 404


def test_a_person_of_another_municipality_is_404(client, login, log_reviewer, other_municipality):
    stranger = pf.person(other_municipality, "Eva", "Ek")
    login(log_reviewer)
    assert client.get(f"/logg/person/{stranger.pk}/").status_code == 404
    page = log_search(client, "Eva Ek").content.decode()
    assert "Ingen person i kommunen matchar." in page


def test_the_log_reviewer_finds_a_person_by_number_or_name(
    client, login, log_reviewer, client_person
):
    login(log_reviewer)
    for text in (client_person.identifier, "anna aberg"):
        page = log_search(client, text).content.decode()
        assert f'href="/logg/person/{client_person.pk}/"' in page
    search = _latest(actor=log_reviewer, object_type="people.person", object_id="*")
    assert list(search.subjects.values_list("person_id", flat=True)) == [client_person.pk]
    response = client.post("/logg/person/", {"q": ""})
    assert response.status_code == 400
    assert "Skriv ett personnummer eller ett namn." in response.content.decode()


def test_the_log_search_keeps_the_number_out_of_the_url(client, login, log_reviewer, client_person):
    login(log_reviewer)
    posted = client.post("/logg/person/", {"q": client_person.identifier})
    assert posted.status_code == 302
    assert posted["Location"].startswith("/logg/person/?s=")
    assert client_person.identifier[:6] not in posted["Location"]
    page = client.get(posted["Location"]).content.decode()
    assert f'href="/logg/person/{client_person.pk}/"' in page
    # A number in the query string is not searched.
    page = client.get("/logg/person/", {"q": client_person.identifier}).content.decode()
    assert f'href="/logg/person/{client_person.pk}/"' not in page


def test_the_log_page_names_objects_and_offers_the_person_search(
    client, login, worker, log_reviewer, family, kim_record
):
    audit_read(actor=worker, obj=kim_record)
    login(log_reviewer)
    page = client.get("/logg/").content.decode()
    assert _record_label(kim_record) in page
    assert "Person (personnummer eller namn)" in page
    assert 'action="/logg/person/"' in page and 'method="post"' in page


def _page_queries(client, person):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/logg/person/{person.pk}/").status_code == 200
    return len(captured)


def test_the_persons_log_runs_the_same_queries_for_one_row_or_many(
    client, login, worker, log_reviewer, client_person, open_case, family, kim_record
):
    login(log_reviewer)
    for obj in (open_case, kim_record, client_person):
        audit_read(actor=worker, obj=obj)
    one = _page_queries(client, client_person)
    for obj in (open_case, kim_record, client_person) * 3:
        audit_read(actor=worker, obj=obj)
    audit_read_many(actor=worker, objects=[open_case], object_type="cases.case")
    # Session, user with device and municipality, roles, person, count, page, the audit
    # row (write_statements()), one query per object type shown (person, case, child
    # record and the record's first step, written when Kim was recorded), units.
    assert _page_queries(client, client_person) == one == 14 + write_statements()


@pytest.mark.parametrize(
    ("object_type", "statements"),
    # The audit write (no savepoint inside the caller's transaction); a journal note's
    # person is a join away (case__person): one more query, for any number of notes.
    [("cases.case", 0), ("cases.journalnote", 1)],
)
def test_a_list_read_maps_its_persons_in_a_constant_number_of_statements(
    worker, municipality, adult_unit, object_type, statements
):
    cases = [
        pf.case(
            pf.person(municipality, f"P{n}", "Lind", identifier=pf.pnr(1990, 1, n + 1)), adult_unit
        )
        for n in range(5)
    ]
    if object_type == "cases.case":
        objects = cases
    else:  # read back: the notes' cases are not loaded
        objects = list(JournalNote.objects.filter(pk__in=[pf.note(c, worker).pk for c in cases]))

    def queries(shown):
        with CaptureQueriesContext(connection) as captured:
            audit_read_many(actor=worker, objects=shown, object_type=object_type)
        return len(captured)

    assert queries(objects[:1]) == queries(objects) == statements + write_statements()
    entry = _latest(actor=worker, object_type=object_type)
    persons = set(entry.subjects.values_list("person_id", flat=True))
    assert persons == {c.person_id for c in cases}
    assert AuditSubject.objects.filter(entry=entry, municipality=municipality).count() == 5
    assert verify_chain(municipality.pk) is None


def test_it_shows_writes_too(client, login, worker, log_reviewer, family, kim_record):
    created = AuditEntry.objects.get(
        action="create", object_type="detection.childrecord", object_id=str(kim_record.pk)
    )
    assert created.actor == worker
    assert created in _shown(_log(client, login, log_reviewer, family["kim"]))


def test_the_log_reviewer_reading_the_log_is_seen_in_the_persons_log(
    client, login, worker, log_reviewer, client_person, open_case
):
    audit_read(actor=worker, obj=open_case)
    login(log_reviewer)
    client.get("/logg/")
    log_read = _latest(actor=log_reviewer, object_type="audit.auditentry")
    assert set(log_read.subjects.values_list("person_id", flat=True)) == {client_person.pk}
    assert log_read in _shown(_log(client, login, log_reviewer, client_person))


def test_the_log_reviewer_sees_who_has_access_to_the_person_and_why(
    client, login, log_reviewer, client_person, open_case, family, adult_unit
):
    login(log_reviewer)
    page = client.get(f"/logg/person/{family['kim'].pk}/").content.decode()
    assert "Åtkomst till personen" in page
    assert adult_unit.name in page
    assert "Anhörig till en person med ärende i enheten (Anna Åberg" in page
    own = client.get(f"/logg/person/{client_person.pk}/").content.decode()
    assert "Ärende i enheten" in own
