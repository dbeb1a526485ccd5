"""The person and case pages are composed from panels the apps above register
(kinsight/ui/panels.py): the page's own app imports none of them, every read is done
before the template renders, and the page's queries do not grow with its rows."""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinsight.ui import panels
from tests.people import factories as pf

pytestmark = pytest.mark.django_db


def _imports(path):
    tree = ast.parse(Path(path).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(
    ("module", "above"),
    [
        ("kinsight/people/views.py", ("kinsight.cases", "kinsight.detection", "kinsight.family")),
        ("kinsight/cases/views.py", ("kinsight.detection", "kinsight.family")),
    ],
)
def test_a_page_imports_no_app_above_its_own(module, above):
    imported = _imports(module)
    assert not [name for name in imported if name.startswith(above)]


def _person_page(client, person):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_person_page_shows_the_cases_panel_in_the_same_queries_for_one_or_many(
    client, login, worker, client_person, open_case, adult_unit
):
    login(worker)
    body, one = _person_page(client, client_person)
    assert open_case.subject in body
    for index in range(4):
        pf.case(client_person, adult_unit, subject=f"Ärende nummer {index}")
    body, many = _person_page(client, client_person)
    assert body.count("Ärende nummer") == 4
    assert many == one


def test_a_person_with_no_case_here_sees_no_panel_of_another_unit(
    client, login, child_worker, client_person, open_case
):
    login(child_worker)
    response = client.get(reverse("people:person_detail", args=[client_person.pk]))
    assert response.status_code == 404


def test_builders_give_a_panel_a_list_or_nothing_and_the_page_orders_them_by_slot(rf):
    def late(request, obj, **facts):
        return panels.Panel("late.html", {"facts": facts}, order=50)

    def pair(request, obj, **facts):
        return [panels.Panel("top.html", slot="top"), panels.Panel("early.html", order=5)]

    def nothing(request, obj, **facts):
        return None

    saved = panels._builders["case"][:]
    try:
        panels._builders["case"][:] = []
        for builder in (late, pair, nothing, late):
            panels.register_panel("case", builder)
        found = panels.gather_panels("case", rf.get("/"), object(), can_change=True)
    finally:
        panels._builders["case"][:] = saved
    assert [p.template for p in found["main"]] == ["early.html", "late.html"]
    assert [p.template for p in found["top"]] == ["top.html"]
    assert found["main"][1].context == {"facts": {"can_change": True}}
    with pytest.raises(ValueError, match="unknown page"):
        panels.register_panel("nowhere", late)
