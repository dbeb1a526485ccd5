import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.audit.models import AuditEntry
from kinsight.interventions import services
from kinsight.interventions.models import ContactEvent, Placement
from tests.interventions.conftest import days, give_consent


def place(actor, work, child, unit, **fields):
    return services.placement_create(
        actor=actor,
        family_work=work,
        child=child,
        kind=fields.pop("kind", "family_home"),
        responsible_unit=unit,
        start_on=fields.pop("start_on", days(-20)),
        **fields,
    )


@pytest.fixture
def placement(joined, child_worker, household, child_unit):
    return place(child_worker, joined, household["kim"], child_unit, place="Familjen Berg")


def test_it_records_a_placement_for_a_child_of_the_family(placement, child_worker):
    assert placement.kind == "family_home" and placement.created_by == child_worker
    assert AuditEntry.objects.filter(
        object_type="interventions.placement", action="create", actor=child_worker
    ).exists()


def test_it_refuses_overlapping_placements_of_the_same_child(
    placement, joined, child_worker, household, child_unit
):
    with pytest.raises(ValidationError) as error:
        place(child_worker, joined, household["kim"], child_unit, kind="hvb", start_on=days(-5))
    assert "har redan en placering under den perioden" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        place(
            child_worker,
            joined,
            household["kim"],
            child_unit,
            start_on=days(-40),
            end_on=days(-20),
        )
    assert Placement.objects.count() == 1
    services.placement_end(
        actor=child_worker, placement=placement, expected_version=placement.version, end_on=days(-2)
    )
    after = place(child_worker, joined, household["kim"], child_unit, kind="hvb", start_on=days(-1))
    assert after.pk


def test_it_refuses_an_end_before_the_start(joined, child_worker, household, child_unit, placement):
    with pytest.raises(ValidationError) as error:
        place(
            child_worker,
            joined,
            household["kim"],
            child_unit,
            start_on=days(10),
            end_on=days(5),
        )
    assert "Slutdatum kan inte vara före startdatum." in error.value.messages
    with pytest.raises(ValidationError):
        services.placement_end(
            actor=child_worker,
            placement=placement,
            expected_version=placement.version,
            end_on=days(-30),
        )


def test_it_refuses_a_parent_as_the_placed_child_and_a_bystander(
    joined, child_worker, bystander, household, child_unit
):
    with pytest.raises(ValidationError):
        place(child_worker, joined, household["anna"], child_unit)
    with pytest.raises(PermissionDenied):
        place(bystander, joined, household["kim"], child_unit)


def test_it_plans_and_records_contact_with_each_parent(placement, child_worker, household):
    with_anna = services.contact_plan_add(
        actor=child_worker,
        placement=placement,
        parent=household["anna"],
        frequency="Varannan helg",
        arrangement="Med umgängesstöd",
    )
    services.contact_plan_add(
        actor=child_worker,
        placement=placement,
        parent=household["per"],
        frequency="En gång i månaden",
    )
    with pytest.raises(ValidationError):
        services.contact_plan_add(
            actor=child_worker, placement=placement, parent=household["kim"], frequency="x"
        )
    services.contact_event_record(
        actor=child_worker, contact_plan=with_anna, on=days(-3), status="happened", note="Bra träff"
    )
    services.contact_event_record(
        actor=child_worker, contact_plan=with_anna, on=days(-1), status="cancelled"
    )
    with pytest.raises(ValidationError):
        services.contact_event_record(
            actor=child_worker, contact_plan=with_anna, on=days(3), status="happened"
        )
    assert [e.status for e in ContactEvent.objects.order_by("on")] == ["happened", "cancelled"]


def test_it_shows_the_placement_page_and_records_contact_through_it(
    client, login, placement, child_worker, household, worker, adult_unit
):
    # The parents are named to the children's unit with their consent.
    give_consent(placement.family_work, household["anna"], by=worker, unit=adult_unit)
    login(child_worker)
    url = f"/placeringar/{placement.pk}/"
    response = client.post(
        f"{url}umgange/", {"parent": household["anna"].pk, "frequency": "Varje vecka"}
    )
    assert response.status_code == 302
    contact_plan = placement.contact_plans.get()
    response = client.post(
        f"/umgange/{contact_plan.pk}/tillfallen/",
        {
            f"c{contact_plan.pk}-on": days(-1).isoformat(),
            f"c{contact_plan.pk}-status": "happened",
        },
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Familjen Berg" in html and "Varje vecka" in html and "Genomfört" in html
    assert AuditEntry.objects.filter(
        object_type="interventions.placement", object_id=str(placement.pk), action="read"
    ).exists()


def test_it_answers_404_to_other_units_without_consent_and_to_outsiders(
    client, login, placement, worker, econ_worker, bystander, outsider, household, adult_unit
):
    url = f"/placeringar/{placement.pk}/"
    for user in (econ_worker, bystander, outsider):
        login(user)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}avsluta/", {"end_on": days(0).isoformat()}).status_code == 404
    # With Kim's consent the economic-assistance unit sees it, without changing it.
    give_consent(placement.family_work, household["kim"], by=worker, unit=adult_unit)
    login(econ_worker)
    assert client.get(url).status_code == 200
    response = client.post(f"{url}avsluta/", {"end_on": days(0).isoformat(), "version": 1})
    assert response.status_code == 403
