import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_admin_pages_to_an_administrator(client, login, administrator, org):
    login(administrator)
    for name in (
        "ui:home",
        "core:unit_list",
        "core:staff_list",
        "core:unit_create",
        "core:staff_create",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert "Socialnämnden" in client.get(reverse("core:unit_list")).content.decode()
