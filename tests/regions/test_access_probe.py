"""The access probe of the regional network: on the demo's data (two municipalities
with persons, a third with only published figures, the region over them), every URL
pattern and API endpoint is fetched (GET, ids filled from the data) as the network
leader and as a member's case worker, and every response is searched for the name and
the personnummer of every person generated. The network leader may meet none of
them anywhere; the worker none of another municipality's anywhere, and none at all on
the region's pages and endpoints. 0 leaks."""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from kinsight.core.models import Municipality, User
from kinsight.demo.generate import generate_all
from kinsight.demo.generate.regions import generate_region
from kinsight.people.identifiers import format_identifier
from kinsight.people.models import Person

STRINGS = {"fmt": ["pdf", "xlsx", "csv"], "format": ["json"], "kind": ["person"]}
PER_MODEL = 1  # rows per model and municipality whose ids fill a pattern


def patterns(resolver=None, namespace=""):
    """(URL name with namespace, its parameter names, the view) of every pattern."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from patterns(item, inner)
        elif isinstance(item, URLPattern) and item.name:
            names = list(item.pattern.regex.groupindex)
            if "format" not in names:
                yield f"{namespace}{item.name}", names, item.callback


def model_of(view):
    """The model a view or viewset reads, when it names one; else the models of its app."""
    viewset = getattr(view, "cls", None)
    model = getattr(viewset, "model", None) or getattr(
        getattr(viewset, "queryset", None), "model", None
    )
    if model is not None:
        return [model]
    label = (getattr(viewset, "__module__", None) or view.__module__).split(".")
    if len(label) > 1 and label[0] == "kinsight":
        try:
            return list(apps.get_app_config(label[1]).get_models())
        except LookupError:
            return []
    return []


def ids_for(models, municipalities):
    found = []
    for model in models:
        for municipality in municipalities:
            rows = model._default_manager.order_by("pk")
            if any(f.name == "municipality" for f in model._meta.concrete_fields):
                rows = rows.filter(municipality=municipality)
            found += list(rows.values_list("pk", flat=True)[:PER_MODEL])
    return sorted(set(found))[:12] or [1]


def urls(municipalities, only=None):
    """Every URL to fetch: each pattern with its parameters filled."""
    for name, params, view in patterns():
        if only and not only(name):
            continue
        ids = ids_for(model_of(view), municipalities)
        options = [{}]
        for param in params:
            values = STRINGS.get(param) or (["2025"] if param == "year" else ids)
            options = [{**option, param: value} for option in options for value in values]
        for kwargs in options[:24]:
            try:
                yield reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue


def secrets(municipalities):
    """Each person's full name and personnummer, of the given municipalities (names
    that are also staff names are left out: staff are seen by colleagues)."""
    staff = {f"{a} {b}" for a, b in User.objects.values_list("first_name", "last_name")}
    found = set()
    rows = Person.objects.filter(municipality__in=municipalities)
    fields = ("first_name", "last_name", "identifier", "identifier_kind")
    for first, last, identifier, kind in rows.values_list(*fields):
        name = f"{first} {last}".strip()
        if last and name not in staff:
            found.add(name)
        if identifier:
            shown = format_identifier(kind, identifier)  # as pages print it: 19800101-1234
            found |= {identifier, shown, shown[2:] if len(identifier) == 12 else shown}
    return found


def leaks(client, addresses, forbidden):
    pattern = re.compile("|".join(re.escape(text) for text in sorted(forbidden, key=len)[::-1]))
    found, fetched = [], 0
    for url in addresses:
        response = client.get(url)
        fetched += 1
        if response.status_code >= 500:
            found.append((url, response.status_code))  # every page works, even without data
        kind = response.get("Content-Type", "")
        if not ("text" in kind or "json" in kind) or getattr(response, "streaming", False):
            continue
        hit = pattern.search(response.content.decode("utf-8", "replace"))
        if hit:
            found.append((url, hit.group()))
    return found, fetched


def is_region(name):
    return name.startswith("regions:") or name.startswith("region-")


@pytest.fixture
def demo(db, settings):
    settings.KINSIGHT_TASK_BACKEND = "immediate"
    generate_all(name="Demokommun", code="9999", persons=250, seed=1)
    generate_all(name="Grannkommun", code="9998", persons=120, seed=2, staff_per_unit=1)
    generate_region()
    return list(Municipality.objects.order_by("-code"))


def test_no_personal_row_of_any_municipality_reaches_the_region_or_another_member(
    client, login, demo
):
    ours, theirs, third = demo
    assert Person.objects.filter(municipality=third).count() == 0
    everyone = secrets([ours, theirs])
    assert len(everyone) > 300

    login(User.objects.get(username="natverksledare"))
    assert client.get("/region/jamforelse/").status_code == 200
    found, fetched = leaks(client, urls(demo), everyone)
    assert fetched > 500 and found == []

    worker = User.objects.get(username="handlaggare")
    login(worker)
    # The probe finds what is there: the worker's own person page names the person.
    seen = Person.objects.visible_to(worker, "view").exclude(identifier="").first()
    own = reverse("people:person_detail", kwargs={"pk": seen.pk})
    assert leaks(client, [own], secrets([ours]) & {seen.identifier_display})[0]
    found, fetched = leaks(client, urls(demo, only=is_region), everyone)
    assert fetched > 10 and found == []
    # The generated data repeat some names and numbers across municipalities: a string
    # that is also one of our own persons' may be shown to our worker.
    found, fetched = leaks(client, urls(demo), secrets([theirs]) - secrets([ours]))
    assert fetched > 500 and found == []
