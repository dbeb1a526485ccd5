"""Person search never puts a name or a personnummer in a URL (query strings end up in
proxy logs): the page posts the term and shows the results under a key kept in the
session; the API searches with POST search/."""

import pytest
from django.test import Client
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from tests import factories
from tests.conftest import verified_login
from tests.people import factories as pf

pytestmark = pytest.mark.django_db

URL = "/personer/"


def test_the_search_form_posts_with_a_csrf_token(client, login, worker):
    login(worker)
    body = client.get(URL).content.decode()
    assert 'method="post"' in body and 'hx-post="/personer/"' in body
    assert "csrfmiddlewaretoken" in body and 'method="get" role="search"' not in body


def test_the_results_url_carries_a_key_not_the_term(client, login, worker, open_case):
    login(worker)
    pnr = open_case.person.identifier
    for term in ("Åberg", pnr):
        posted = client.post(URL, {"q": term})
        assert posted.status_code == 302
        location = posted["Location"]
        assert location.startswith("/personer/?s=")
        assert term not in location and term.lower() not in location.lower()
        assert pnr[:6] not in location
        body = client.get(location).content.decode()
        assert "Anna Åberg" in body
        assert f'value="{term}"' in body  # the field keeps the term, in the page only


def test_htmx_gets_the_results_and_a_url_with_the_key(client, login, worker, open_case):
    login(worker)
    response = client.post(URL, {"q": "anna"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Anna Åberg" in response.content.decode()
    assert response["HX-Push-Url"].startswith("/personer/?s=")
    assert "anna" not in response["HX-Push-Url"].lower()
    assert client.get(response["HX-Push-Url"]).status_code == 200


def test_the_same_term_keeps_its_key_and_paging_keeps_the_key(
    client, login, worker, municipality, adult_unit
):
    for index in range(27):
        pf.case(pf.person(municipality, "Anna", f"Nilsson{index}"), adult_unit, responsible=worker)
    login(worker)
    first = client.post(URL, {"q": "anna"})["Location"]
    assert client.post(URL, {"q": "anna"})["Location"] == first
    body = client.get(first).content.decode()
    key = first.split("s=")[1]
    assert f"s={key}&amp;page=2" in body or f"s={key}&page=2" in body
    assert client.get(f"{first}&page=2").content.decode().count("Anna Nilsson") == 2


def test_a_key_works_only_in_its_own_session(client, login, worker, open_case):
    login(worker)
    location = client.post(URL, {"q": "anna"})["Location"]
    other = verified_login(Client(), worker)
    body = other.get(location).content.decode()
    assert "Anna Åberg" not in body
    assert not AuditEntry.objects.filter(action="read", object_type="people.person").exists()


def test_a_term_in_the_query_string_is_not_searched(client, login, worker, open_case):
    login(worker)
    body = client.get(URL, {"q": "anna"}).content.decode()
    assert "Anna Åberg" not in body


def test_an_empty_search_goes_back_to_the_empty_page(client, login, worker):
    login(worker)
    assert client.post(URL, {"q": ""})["Location"] == reverse("people:person_search")


def test_a_too_long_term_is_refused_with_the_form(client, login, worker):
    login(worker)
    response = client.post(URL, {"q": "x" * 101})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_the_api_searches_by_post_and_audits(worker, open_case):
    api = factories.token_client(worker)
    response = api.post("/api/v1/persons/search/", {"q": "åberg"}, format="json")
    assert response.status_code == 200
    assert [row["last_name"] for row in response.json()["results"]] == ["Åberg"]
    assert AuditEntry.objects.filter(action="read", object_type="people.person").exists()


def test_the_api_refuses_a_term_in_the_query_string(worker, open_case):
    api = factories.token_client(worker)
    response = api.get("/api/v1/persons/", {"q": "åberg"})
    assert response.status_code == 400
    assert "POST /api/v1/persons/search/" in response.json()["q"][0]
    assert api.get("/api/v1/persons/").status_code == 200
