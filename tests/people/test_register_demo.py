"""The demo's register showcase (kinsight/demo/generate/register.py): the demo case
worker finds three clients whose record in the fake register differs from Kinsight's
(protected, deceased, a child Kinsight does not know), and every other demo person is
answered as Kinsight has them or with a difference the fake picks."""

import pytest
from django.db.models import Q
from django.urls import reverse

from kinsight.core.models import User
from kinsight.demo.generate import generate_all
from kinsight.demo.generate.register import SHOWCASE
from kinsight.people.identifiers import synthetic_national
from kinsight.people.models import Person
from kinsight.people.register.fake import FakeRegister

pytestmark = pytest.mark.django_db


def test_the_demo_case_worker_finds_the_registers_differences(client, login, settings):
    settings.KINSIGHT_POPULATION_REGISTER = "fake"
    result, _stages = generate_all(name="Demokommun", code="9997", persons=40, seed=2)
    worker = User.objects.get(
        Q(username="handlaggare") | Q(username__endswith="-handlaggare"),
        municipality=result.municipality,
    )
    login(worker)
    shown = {}
    for _first, last_name, birth, serial, _street in SHOWCASE:
        person = Person.objects.get(
            municipality=result.municipality, identifier=synthetic_national(birth, serial)
        )
        response = client.post(reverse("people:register_lookup", args=[person.pk]))
        assert response.status_code == 200, last_name
        shown[last_name] = response.context["lookup"]
    assert shown["Lindgren"].protection_set
    assert shown["Ekholm"].record.deceased_on is not None
    assert shown["Falkman"].relations[0].known is None
    assert any(row.differs for row in shown["Falkman"].rows)


def test_a_demo_person_is_answered_with_kinsights_name():
    result, _stages = generate_all(name="Demokommun", code="9996", persons=20, seed=3)
    register = FakeRegister()
    for person in Person.objects.filter(municipality=result.municipality).exclude(identifier=""):
        record = register.lookup(person.identifier, municipality_id=person.municipality_id)
        if record.found:
            assert record.first_name == person.first_name
