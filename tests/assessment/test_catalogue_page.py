"""Administrators keep the protective-factor catalogue in the app."""

import pytest
from django.urls import reverse

from kinsight.assessment.models import ProtectiveFactor
from kinsight.assessment.services import protective_factor_add
from kinsight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/skyddsfaktorer/"


def test_it_lists_the_shipped_factors_and_adds_the_municipalitys_own(client, login, administrator):
    login(administrator)
    page = client.get(URL).content.decode()
    shipped = ProtectiveFactor.objects.filter(municipality=None).first()
    assert shipped.label in page
    response = client.post(URL, {"label": "Barnet har en trygg vuxen i skolan", "target": "child"})
    assert response.status_code == 302
    own = ProtectiveFactor.objects.get(municipality=administrator.municipality)
    assert own.label == "Barnet har en trygg vuxen i skolan" and own.target == "child"
    assert AuditEntry.objects.filter(action="create", object_id=str(own.pk)).exists()


def test_it_explains_a_missing_label(client, login, administrator):
    login(administrator)
    response = client.post(URL, {"label": "", "target": "any"})
    assert response.status_code == 400  # refused: the page again, the input kept
    assert "Skyddsfaktor" in response.content.decode() and "errorlist" in response.content.decode()
    assert not ProtectiveFactor.objects.filter(municipality=administrator.municipality).exists()


def test_it_switches_an_own_factor_off_and_on(client, login, administrator):
    factor = protective_factor_add(actor=administrator, code="egen", label="Egen faktor")
    login(administrator)
    url = reverse("assessment:protective_factor_toggle", args=[factor.pk])
    assert client.post(url).status_code == 302
    factor.refresh_from_db()
    assert not factor.is_active
    client.post(url)
    factor.refresh_from_db()
    assert factor.is_active


def test_shipped_factors_cannot_be_switched_off_by_a_municipality(client, login, administrator):
    shipped = ProtectiveFactor.objects.filter(municipality=None).first()
    login(administrator)
    url = reverse("assessment:protective_factor_toggle", args=[shipped.pk])
    assert client.post(url).status_code == 404


def test_another_municipalitys_factor_is_404(client, login, administrator, outsider):
    theirs = protective_factor_add(actor=outsider, code="deras", label="Deras faktor")
    login(administrator)
    assert "Deras faktor" not in client.get(URL).content.decode()
    url = reverse("assessment:protective_factor_toggle", args=[theirs.pk])
    assert client.post(url).status_code == 404


def test_staff_who_are_not_administrators_get_404(client, login, worker):
    login(worker)
    assert client.get(URL).status_code == 404
