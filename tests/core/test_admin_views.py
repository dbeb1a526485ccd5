"""The administrator's organisation and staff pages."""

import pytest
from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.core.models import Membership, OrgUnit, Role, UnitType, User
from tests import factories

pytestmark = pytest.mark.django_db

ADMIN_URLS = ["core:unit_list", "core:unit_create", "core:staff_list", "core:staff_create"]


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_it_answers_404_to_staff_who_are_not_administrators(client, login, worker, name):
    login(worker)
    assert client.get(reverse(name)).status_code == 404


def test_another_municipalitys_staff_page_is_404(client, login, administrator, outsider):
    login(administrator)
    assert client.get(reverse("core:staff_detail", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("core:staff_edit", args=[outsider.pk])).status_code == 404


def test_another_municipalitys_unit_is_404(client, login, administrator, other_org):
    login(administrator)
    url = reverse("core:unit_edit", args=[other_org["board"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Kapad"}).status_code == 404
    other_org["board"].refresh_from_db()
    assert other_org["board"].name == "Socialnämnden"


def test_it_creates_a_unit_under_a_district(client, login, administrator, org):
    login(administrator)
    response = client.post(
        reverse("core:unit_create"),
        {
            "name": "Mottagningen",
            "kind": "unit",
            "unit_type": "children_youth",
            "parent": org["district"].pk,
        },
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(name="Mottagningen")
    entry = AuditEntry.objects.get(action="create", object_id=str(unit.pk))
    assert entry.changes["name"] == [None, "Mottagningen"]


def test_it_explains_a_unit_placed_at_the_wrong_level(client, login, administrator, org):
    login(administrator)
    response = client.post(
        reverse("core:unit_create"),
        {"name": "Fel", "kind": "unit", "unit_type": "violence", "parent": org["board"].pk},
    )
    assert response.status_code == 400  # refused: the form again, the input kept
    assert "En enhet kan inte ingå i en nämnd." in response.content.decode()
    assert not OrgUnit.objects.filter(name="Fel").exists()


def test_it_refuses_a_stale_edit_and_keeps_the_input(client, login, administrator, org):
    login(administrator)
    unit = org["units"][UnitType.FAMILY_LAW]
    url = reverse("core:unit_edit", args=[unit.pk])
    fields = {
        "kind": "unit",
        "unit_type": "family_law",
        "parent": org["district"].pk,
        "is_active": "on",
    }
    assert client.post(url, {**fields, "name": "Först", "version": 1}).status_code == 302
    response = client.post(url, {**fields, "name": "Min ändring", "version": 1})
    assert response.status_code == 400  # refused: the form again, the input kept
    page = response.content.decode()
    assert "Någon annan har sparat ändringar" in page
    assert 'value="Min ändring"' in page
    unit.refresh_from_db()
    assert unit.name == "Först" and unit.version == 2


def test_it_records_before_and_after_of_an_edit(client, login, administrator, org):
    login(administrator)
    unit = org["units"][UnitType.VIOLENCE]
    client.post(
        reverse("core:unit_edit", args=[unit.pk]),
        {
            "name": "Våldsenheten",
            "kind": "unit",
            "unit_type": "violence",
            "parent": org["district"].pk,
            "is_active": "on",
            "version": 1,
        },
    )
    entry = AuditEntry.objects.get(action="update", object_id=str(unit.pk))
    assert entry.changes == {"name": ["Våld Norr", "Våldsenheten"]}


def test_it_creates_staff_and_gives_a_role(client, login, administrator, org):
    login(administrator)
    response = client.post(
        reverse("core:staff_create"),
        {
            "first_name": "Sara",
            "last_name": "Ström",
            "username": "sara",
            "email": "sara@example.org",
            "title": "Socialsekreterare",
            "password": "ett-bra-långt-lösenord-7",
        },
    )
    assert response.status_code == 302
    sara = User.objects.get(username="sara")
    assert sara.municipality == administrator.municipality
    unit = org["units"][UnitType.VIOLENCE]
    response = client.post(
        reverse("core:membership_add", args=[sara.pk]), {"unit": unit.pk, "role": "case_worker"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=sara, unit=unit, role=Role.CASE_WORKER).exists()
    assert AuditEntry.objects.filter(object_type="core.membership", action="create").exists()


def test_it_refuses_a_weak_password(client, login, administrator):
    login(administrator)
    response = client.post(
        reverse("core:staff_create"),
        {"first_name": "A", "last_name": "B", "username": "ab", "password": "kort"},
    )
    assert response.status_code == 400  # refused: the form again, the input kept
    assert not User.objects.filter(username="ab").exists()
    assert "för kort" in response.content.decode()


def test_it_refuses_a_duplicate_role(client, login, administrator, worker, org):
    login(administrator)
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    response = client.post(
        reverse("core:membership_add", args=[worker.pk]), {"unit": unit.pk, "role": "case_worker"}
    )
    assert response.status_code == 400
    assert "redan den rollen" in response.content.decode()


def test_it_cannot_give_a_role_in_another_municipalitys_unit(
    client, login, administrator, worker, other_org
):
    login(administrator)
    response = client.post(
        reverse("core:membership_add", args=[worker.pk]),
        {"unit": other_org["board"].pk, "role": "administrator"},
    )
    assert response.status_code == 400
    assert not worker.memberships.filter(unit=other_org["board"]).exists()


def test_deactivating_staff_ends_their_sessions(client, login, administrator, worker):
    login(administrator)
    salt = worker.session_salt
    response = client.post(
        reverse("core:staff_edit", args=[worker.pk]),
        {"first_name": "Test", "last_name": "Person", "username": worker.username, "version": 1},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active and worker.session_salt != salt


def test_an_administrator_cannot_deactivate_themself(client, login, administrator):
    login(administrator)
    response = client.post(
        reverse("core:staff_edit", args=[administrator.pk]),
        {
            "first_name": "Test",
            "last_name": "Person",
            "username": administrator.username,
            "version": 1,
        },
    )
    assert response.status_code == 400  # refused: the form again, the input kept
    assert "ditt eget konto" in response.content.decode()


def test_the_staff_list_searches_and_pages(client, login, administrator, org, municipality):
    for index in range(30):
        factories.staff(municipality, first_name="Kalle", last_name=f"Anka{index:02d}")
    factories.staff(municipality, first_name="Åsa", last_name="Öberg")
    login(administrator)
    page = client.get(reverse("core:staff_list"), {"q": "asa"}).content.decode()
    assert "Öberg" not in page  # "asa" is not "åsa": Swedish letters are letters
    page = client.get(reverse("core:staff_list"), {"q": "åsa öberg"}).content.decode()
    assert "Öberg" in page
    first = client.get(reverse("core:staff_list"), {"q": "kalle"}).content.decode()
    assert "Sida 1 av 2" in first and "Anka00" in first and "Anka29" not in first


def test_the_staff_list_runs_a_constant_number_of_queries(
    client, login, administrator, org, municipality, django_assert_max_num_queries
):
    login(administrator)
    client.get(reverse("core:staff_list"))  # warm up session and caches
    with django_assert_max_num_queries(7) as few:
        client.get(reverse("core:staff_list"))
    for _ in range(20):
        factories.staff(municipality, role=Role.CASE_WORKER, unit=org["units"][UnitType.VIOLENCE])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:staff_list"))


def test_an_administrator_resets_a_lost_phone(client, login, administrator, worker):
    from kinsight.accounts.models import ApiToken

    factories.totp_device(worker)
    factories.api_token(worker)
    login(administrator)
    response = client.post(reverse("core:staff_reset_two_factor", args=[worker.pk]))
    assert response.status_code == 302
    assert not worker.totpdevice_set.exists()
    assert not ApiToken.objects.filter(user=worker).exists()


@pytest.mark.parametrize(
    "name, method",
    [
        ("core:staff_detail", "get"),
        ("core:staff_edit", "get"),
        ("core:membership_add", "post"),
        ("core:staff_reset_two_factor", "post"),
    ],
)
def test_a_colleague_who_is_not_administrator_gets_404_on_staff_pages(
    client, login, worker, administrator, name, method
):
    login(worker)
    response = getattr(client, method)(reverse(name, args=[administrator.pk]))
    assert response.status_code == 404


def test_a_colleague_who_is_not_administrator_gets_404_on_unit_and_role_changes(
    client, login, worker, administrator, org
):
    login(worker)
    unit = org["units"][UnitType.VIOLENCE]
    assert client.get(reverse("core:unit_edit", args=[unit.pk])).status_code == 404
    membership = administrator.memberships.get()
    url = reverse("core:membership_remove", args=[administrator.pk, membership.pk])
    assert client.post(url).status_code == 404
    assert administrator.memberships.filter(pk=membership.pk).exists()
