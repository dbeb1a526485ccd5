"""Every page and endpoint of people and cases, run as the three personas
(tests/personas.py): the responsible worker may, a colleague in the unit sees the
person and the case but may not change them (403), a worker of another unit gets 404."""

import pytest

from tests.personas import Request, check

pytestmark = pytest.mark.django_db

REQUESTS = [
    Request("person page", "get", lambda w: f"/personer/{w['person'].pk}/", read=True),
    Request("person edit form", "get", lambda w: f"/personer/{w['person'].pk}/andra/"),
    Request("add to the family", "get", lambda w: f"/personer/{w['person'].pk}/familj/ny/"),
    Request("case page", "get", lambda w: f"/arenden/{w['case'].pk}/", read=True),
    Request("case edit form", "get", lambda w: f"/arenden/{w['case'].pk}/andra/"),
    Request(
        "case status",
        "post",
        lambda w: f"/arenden/{w['case'].pk}/status/",
        lambda w: {"status": "forhandsbedomning", "version": w["case"].version},
    ),
    Request("new journal note", "post", lambda w: f"/arenden/{w['case'].pk}/anteckningar/ny/"),
    Request("API person", "get", lambda w: f"/api/v1/persons/{w['person'].pk}/", read=True),
    Request("API case", "get", lambda w: f"/api/v1/cases/{w['case'].pk}/", read=True),
    Request(
        "API case update",
        "patch",
        lambda w: f"/api/v1/cases/{w['case'].pk}/",
        lambda w: {"subject": "Nytt ämne", "version": w["case"].version},
    ),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=str)
def test_each_persona_gets_the_answer_its_relationship_gives(
    client, login, worker, colleague, child_worker, client_person, open_case, request_
):
    world = {"person": client_person, "case": open_case}
    personas = {"sees": colleague, "outsider": child_worker, "may": worker}
    check(client, login, request_, world, personas)
