"""The navigation and shared buttons show only what the user may do."""

import re

import pytest

from kinsight.ui.context_processors import may

pytestmark = pytest.mark.django_db

ENTRIES = {
    "Sök person": "/personer/",
    "Mina ärenden": "/arenden/mina/",
    "Orosanmälningar": "/orosanmalningar/",
    "Familjeärenden": "/familjearenden/",
    "Remisser": "/remisser/",
    "Stödgrupper": "/stodgrupper/",
    "Insatskatalog": "/insatser/",
    "Att göra": "/att-gora/",
    "Miniminivå": "/uppfoljning/miniminiva/",
    "Organisation": "/organisation/",
    "Personal": "/personal/",
    "Logg": "/logg/",
}


def menu(client):
    html = client.get("/").content.decode()
    nav = re.search(r'<nav aria-label="Huvudmeny">(.*?)</nav>', html, re.S).group(1)
    return {label for label in ENTRIES if re.search(rf">{label}\b", nav)}


CASE_WORK = {"Sök person", "Mina ärenden", "Familjeärenden", "Remisser", "Insatskatalog"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("worker", CASE_WORK | {"Att göra"}),
        ("child_worker", CASE_WORK | {"Att göra", "Orosanmälningar"}),
        ("child_manager", CASE_WORK | {"Att göra", "Orosanmälningar", "Miniminivå"}),
        ("manager", CASE_WORK | {"Att göra", "Miniminivå"}),
        ("head", {"Insatskatalog", "Miniminivå", "Stödgrupper"}),
        ("administrator", {"Insatskatalog", "Organisation", "Personal", "Stödgrupper"}),
        ("log_reviewer", {"Insatskatalog", "Logg"}),
    ],
)
def test_it_shows_each_role_only_the_entries_it_may_use(request, client, login, persona, expected):
    login(request.getfixturevalue(persona))
    assert menu(client) == expected


def test_every_entry_shown_opens_for_that_role(request, client, login, child_manager):
    login(child_manager)
    for label in menu(client):
        assert client.get(ENTRIES[label]).status_code == 200, label


def test_it_offers_registering_a_person_only_to_those_who_may(
    client, login, worker, head, django_assert_num_queries
):
    login(worker)
    assert "Registrera person" in client.get("/personer/").content.decode()
    assert client.get("/personer/ny/").status_code == 200
    login(head)
    assert "Registrera person" not in client.get("/personer/").content.decode()
    assert client.get("/personer/ny/").status_code == 404


def test_a_worker_in_a_closed_unit_is_not_offered_registration(client, login, worker, adult_unit):
    adult_unit.is_active = False
    adult_unit.save()
    login(worker)
    assert "Registrera person" not in client.get("/personer/").content.decode()
    assert client.get("/personer/ny/").status_code == 404


def test_the_menu_costs_no_query_beyond_the_role_scopes(child_worker, django_assert_num_queries):
    """The role scopes read the units' types in the query they make anyway."""
    assert child_worker.role_scopes  # loaded by every page for its navigation
    with django_assert_num_queries(0):
        assert may(child_worker) == {
            "case_work": True,
            "register_person": True,
            "reports": True,
            "groups": False,
        }
