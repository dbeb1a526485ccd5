import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.audit.models import AuditEntry
from kinsight.interventions import services
from kinsight.interventions.examples import EXAMPLES
from kinsight.interventions.models import Intervention

URL = "/insatser/"


def test_it_seeds_the_seed_examples_marked_as_examples(catalogue):
    names = set(catalogue)
    for expected in (
        "Jag och min familj",
        "Coachprogram (Maskrosbarn)",
        "Föräldraskapsstöd",
        "Praktiskt stöd och avlastning i hemmet",
        "Familjeterapi",
        "Kontaktperson",
        "Stödgrupp för barn som anhöriga",
    ):
        assert expected in names
    assert all(i.is_example for i in catalogue.values())
    assert len(catalogue) == len(EXAMPLES)


def test_it_adds_the_examples_only_once(catalogue, municipality):
    assert services.examples_add(actor=None, municipality=municipality) == []


def test_it_lists_and_searches_the_catalogue_for_all_staff(client, login, worker, catalogue):
    login(worker)
    html = client.get(URL).content.decode()
    assert "Jag och min familj" in html and "Exempel att anpassa" in html
    assert "Ny insats" not in html
    found = client.get(URL, {"q": "Maskrosbarn"}).content.decode()
    assert "Coachprogram" in found and "Familjeterapi" not in found
    parents = client.get(URL, {"target": "parent"}).content.decode()
    assert "Föräldraskapsstöd" in parents and "Kontaktperson" not in parents


def test_it_lets_an_administrator_create_and_edit(client, login, administrator, catalogue):
    login(administrator)
    assert "Ny insats" in client.get(URL).content.decode()
    response = client.post(
        "/insatser/ny/",
        {
            "name": "Mindfulness för tonåringar",
            "target": "child",
            "provider_kind": "external",
            "provider_name": "Föreningen Lugn",
            "min_age": "13",
            "max_age": "17",
            "format": "group",
            "evidence_level": "unknown",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    made = Intervention.objects.get(name="Mindfulness för tonåringar")
    assert made.provider == "Föreningen Lugn" and made.age_range == "13–17 år"
    entry = AuditEntry.objects.filter(object_type="interventions.intervention").last()
    assert entry.action == "create" and entry.actor == administrator
    family_therapy = catalogue["Familjeterapi"]
    response = client.post(
        f"/insatser/{family_therapy.pk}/andra/",
        {
            "version": family_therapy.version,
            "name": "Familjeterapi",
            "target": "family",
            "provider_kind": "own_unit",
            "format": "individual",
            "evidence_level": "experience",
            "code": "FAM-01",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    family_therapy.refresh_from_db()
    assert family_therapy.code == "FAM-01" and family_therapy.version == 2


def test_it_refuses_an_age_range_upside_down(client, login, administrator):
    login(administrator)
    response = client.post(
        "/insatser/ny/",
        {
            "name": "Fel ålder",
            "target": "child",
            "provider_kind": "own_unit",
            "format": "group",
            "evidence_level": "unknown",
            "min_age": "15",
            "max_age": "10",
        },
    )
    assert response.status_code == 400
    assert "Åldern till kan inte vara lägre än åldern från." in response.content.decode()
    with pytest.raises(ValidationError):
        services.intervention_create(
            actor=administrator,
            name="Fel ålder",
            target="child",
            provider_kind="own_unit",
            format="group",
            min_age=15,
            max_age=10,
        )
    assert not Intervention.objects.filter(name="Fel ålder").exists()


def test_it_asks_for_the_name_of_an_external_provider(administrator):
    with pytest.raises(ValidationError) as error:
        services.intervention_create(
            actor=administrator,
            name="Extern",
            target="child",
            provider_kind="external",
            format="group",
        )
    assert "provider_name" in error.value.error_dict


def test_it_answers_404_to_non_administrators_on_edit_pages(
    client, login, worker, outsider, catalogue
):
    pk = catalogue["Familjeterapi"].pk
    login(worker)
    assert client.get("/insatser/ny/").status_code == 404
    assert client.get(f"/insatser/{pk}/andra/").status_code == 404
    login(outsider)  # an administrator, of another municipality
    assert client.get(f"/insatser/{pk}/andra/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.intervention_create(
            actor=worker, name="X", target="child", provider_kind="own_unit", format="group"
        )


def test_it_shows_another_municipality_none_of_ours(client, login, outsider, catalogue):
    login(outsider)
    assert "Jag och min familj" not in client.get(URL).content.decode()


def test_it_lists_in_a_fixed_number_of_queries(
    client, login, worker, catalogue, django_assert_max_num_queries
):
    login(worker)
    client.get(URL)
    with django_assert_max_num_queries(5) as one:
        client.get(URL, {"q": "Jag och min familj"})
    baseline = len(one.captured_queries)  # now: the next request resets the log
    with django_assert_max_num_queries(baseline):
        client.get(URL)
