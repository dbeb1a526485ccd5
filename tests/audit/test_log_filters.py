"""The log's filters (issue 15, log review): user, unit, person (posted, never in the
URL), period and action, in a fixed number of queries."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Role, UnitType
from tests import factories
from tests.audit.helpers import write_statements
from tests.audit.review_helpers import MONDAY, at, read
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(municipality, org, worker, anna_client, addiction_unit):
    """The worker reads Anna on Monday and Tuesday; a children's worker reads Bo."""
    children = org["units"][UnitType.CHILDREN_YOUTH]
    other = factories.staff(municipality, role=Role.CASE_WORKER, unit=children, username="barn1")
    bo = pf.person(municipality, "Bo", "Berg", unit=children)
    read(worker, anna_client, at(0, 9))
    read(worker, anna_client, at(1, 9))
    read(other, bo, at(1, 10))
    return {"other": other, "bo": bo}


def _filtered(client, **data):
    """The filter form as the browser posts it; the page it redirects to."""
    response = client.post("/logg/", data)
    assert response.status_code == 302
    return response["Location"], client.get(response["Location"])


def _shown(response):
    return [
        (row.entry.actor.username, row.entry.object_id) for row in response.context["page"].rows
    ]


def test_it_filters_by_a_person_posted_and_keeps_the_name_out_of_the_url(
    client, login, log_reviewer, worker, anna_client, reads
):
    login(log_reviewer)
    url, response = _filtered(client, person_text="Åberg", action="read")
    assert "berg" not in url.lower() and "s=" in url and "action=read" in url
    assert _shown(response) == [(worker.username, str(anna_client.pk))] * 2
    assert response.context["form"]["person_text"].value() == "Åberg"
    by_number, _response = _filtered(client, person_text=reads["bo"].identifier)
    assert reads["bo"].identifier not in by_number
    assert _shown(_response) == [("barn1", str(reads["bo"].pk))]


def test_it_filters_by_unit_user_and_period(
    client, login, log_reviewer, worker, org, reads, addiction_unit
):
    login(log_reviewer)
    day = MONDAY.isoformat()
    response = client.get("/logg/", {"unit": addiction_unit.pk, "action": "read"})
    assert {actor for actor, _id in _shown(response)} == {worker.username}
    response = client.get("/logg/", {"unit": org["district"].pk, "action": "read"})
    assert {actor for actor, _id in _shown(response)} == {worker.username, "barn1"}
    response = client.get("/logg/", {"actor": "barn1", "start": day, "end": day})
    assert _shown(response) == []
    response = client.get("/logg/", {"actor": worker.username, "start": day, "end": day})
    assert len(_shown(response)) == 1


def test_it_filters_by_a_person_id_from_a_hit(client, login, log_reviewer, reads):
    login(log_reviewer)
    response = client.get("/logg/", {"person": reads["bo"].pk})
    assert _shown(response) == [("barn1", str(reads["bo"].pk))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-05-10", "end": "2026-05-01"}, "Slutdatum kan inte vara före startdatum."),
        ({"unit": "999999"}, "Välj ett giltigt alternativ."),
    ],
)
def test_it_refuses_bad_filters_with_a_message(client, login, log_reviewer, data, message):
    login(log_reviewer)
    response = client.post("/logg/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_offers_no_unit_of_another_municipality(client, login, log_reviewer, other_org):
    login(log_reviewer)
    other_unit = other_org["units"][UnitType.ADULTS_ADDICTION]
    response = client.get("/logg/", {"unit": other_unit.pk})
    assert response.status_code == 400


def test_it_filters_in_fixed_queries(
    client, login, log_reviewer, worker, anna_client, reads, django_assert_num_queries
):
    login(log_reviewer)
    url, _response = _filtered(client, person_text="Åberg")
    # session, user, roles; the person search; count, page, the page's persons; labels
    # (one type), the actors' units; the form's units; the audit row
    expected = 3 + 1 + 3 + 2 + 1 + write_statements()
    with django_assert_num_queries(expected):
        first = _shown(client.get(url))
    for hour in (11, 12, 13):
        read(worker, anna_client, at(2, hour))
    with django_assert_num_queries(expected):
        then = _shown(client.get(url))
    # The log reviewer's own page named Anna too: it is in her log.
    assert (len(first), len(then)) == (3, 7)
    assert AuditEntry.objects.filter(actor=log_reviewer).count() == 3
