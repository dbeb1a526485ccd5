"""Run a view or an endpoint as the three personas every access rule has (NetBox's
view-test mixins are the model): one who may act ("may"), one who sees the record but
may not act on it ("sees": 403 for a change, the page for a read), and one without
the relationship ("outsider": 404, as if it did not exist). A table of requests per
app feeds ``check``; a new page or endpoint adds one row."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANSWERS = {"may": (200, 201, 204, 302), "sees": (403,), "outsider": (404,)}
READ_ANSWERS = {"may": (200,), "sees": (200,), "outsider": (404,)}


@dataclass
class Request:
    """``url(world)`` gives the address; ``data(world)`` the body of a POST/PATCH."""

    name: str
    method: str
    url: Callable[[dict], str]
    data: Callable[[dict], dict] = field(default=lambda world: {})
    read: bool = False  # a read: the one who only sees gets the page too

    def __str__(self):
        return self.name


def send(client, request: Request, world: dict) -> Any:
    url, data = request.url(world), request.data(world)
    if request.method == "get":
        return client.get(url)
    if request.method == "patch":
        return client.patch(url, data, content_type="application/json")
    if request.method == "delete":
        return client.delete(url)
    return client.post(url, data)


def check(client, login, request: Request, world: dict, personas: dict) -> None:
    """Each persona in turn, in a fresh session: the answer its role gives."""
    answers = READ_ANSWERS if request.read else ANSWERS
    for persona, user in personas.items():
        client.logout()
        login(user)
        status = send(client, request, world).status_code
        assert status in answers[persona], f"{request}: {persona} got {status}"


def cases(casts: dict) -> list[tuple[str, Request]]:
    """The (cast, request) pairs of an app's tables: ``casts`` maps a cast's name to
    its table of requests and its personas, each named by its fixture."""
    return [(cast, request) for cast, (table, _) in casts.items() for request in table]


def check_cast(fixtures, client, login, request: Request, world: dict, roles: dict) -> None:
    """``check`` with the personas of ``roles`` ({persona: fixture name}) read from
    pytest's ``fixtures`` (its ``request`` fixture)."""
    personas = {persona: fixtures.getfixturevalue(name) for persona, name in roles.items()}
    check(client, login, request, world, personas)
