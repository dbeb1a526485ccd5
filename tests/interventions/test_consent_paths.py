"""Consent holds on every path that hands a family member's data to a unit (issue 9
§5): a plan intervention, a placement and their responsible worker only for units
taking part in the family work; a unit that is not (or no longer) taking part sees
none of it (404), also through the API."""

import pytest
from django.core.exceptions import ValidationError

from kinsight.interventions import services
from kinsight.interventions.models import Placement, PlanIntervention
from tests.interventions.conftest import days, plan_version
from tests.interventions.test_plan import add, goal

REFUSED = "Enheten deltar inte i familjeärendet och saknar samtycke för remiss."
JSON = "application/json"


@pytest.fixture
def kim_goal(joined, worker, household):
    return goal(worker, joined, f"child:{household['kim'].pk}")


def test_a_plan_intervention_for_a_unit_not_taking_part_is_refused(
    joined, worker, kim_goal, support_group, other_unit, bystander, client, login
):
    with pytest.raises(ValidationError) as error:
        add(worker, joined, kim_goal, support_group, other_unit)
    assert REFUSED in error.value.message_dict["responsible_unit"][0]
    login(worker)
    page = client.post(
        f"/familjearenden/{joined.pk}/plan/insatser/ny/",
        {
            "plan_version": plan_version(joined),
            "goal": kim_goal.pk,
            "intervention": support_group.pk,
            "responsible_unit": other_unit.pk,
            "start_on": days(0).isoformat(),
        },
    )
    assert REFUSED in page.content.decode()
    api = client.post(
        "/api/v1/plan-interventions/",
        {
            "family_work": joined.pk,
            "plan_version": plan_version(joined),
            "goal": kim_goal.pk,
            "intervention": support_group.pk,
            "responsible_unit": other_unit.pk,
            "start_on": days(0).isoformat(),
        },
        content_type=JSON,
    )
    assert api.status_code == 400 and REFUSED in api.json()["responsible_unit"][0]
    assert not PlanIntervention.objects.exists()
    login(bystander)
    assert client.get("/api/v1/plan-interventions/").json()["count"] == 0


def test_a_worker_not_taking_part_cannot_be_made_responsible(
    joined, worker, kim_goal, support_group, child_unit, bystander
):
    with pytest.raises(ValidationError) as error:
        add(worker, joined, kim_goal, support_group, child_unit, responsible=bystander)
    assert "deltar inte i familjeärendet" in error.value.message_dict["responsible"][0]


def test_an_intervention_cannot_be_moved_to_a_unit_not_taking_part(
    joined, worker, kim_goal, support_group, child_unit, other_unit
):
    item = add(worker, joined, kim_goal, support_group, child_unit)
    with pytest.raises(ValidationError) as error:
        services.plan_intervention_update(
            actor=worker,
            plan_intervention=item,
            expected_version=item.version,
            responsible_unit=other_unit,
            start_on=item.start_on,
        )
    assert REFUSED in error.value.message_dict["responsible_unit"][0]
    assert PlanIntervention.objects.get(pk=item.pk).responsible_unit == child_unit


def test_a_placement_for_a_unit_not_taking_part_is_refused(
    joined, worker, household, other_unit, client, login
):
    with pytest.raises(ValidationError) as error:
        services.placement_create(
            actor=worker,
            family_work=joined,
            child=household["kim"],
            kind="hvb",
            responsible_unit=other_unit,
            start_on=days(-1),
        )
    assert REFUSED in error.value.message_dict["responsible_unit"][0]
    login(worker)
    api = client.post(
        "/api/v1/placements/",
        {
            "family_work": joined.pk,
            "child": household["kim"].pk,
            "kind": "hvb",
            "responsible_unit": other_unit.pk,
            "start_on": days(-1).isoformat(),
        },
        content_type=JSON,
    )
    assert api.status_code == 400 and REFUSED in api.json()["responsible_unit"][0]
    assert not Placement.objects.exists()


def test_a_row_made_for_a_unit_outside_the_work_stays_hidden_from_it(
    joined, worker, kim_goal, support_group, other_unit, bystander, client, login
):
    # A row from before this rule (made directly, as an old version of the service did).
    item = PlanIntervention.objects.create(
        municipality=joined.municipality,
        plan=kim_goal.plan,
        goal=kim_goal,
        intervention=support_group,
        responsible_unit=other_unit,
        start_on=days(0),
        created_by=worker,
    )
    login(bystander)
    assert client.get(f"/familjeplan/insatser/{item.pk}/").status_code == 404
    assert client.get(f"/api/v1/plan-interventions/{item.pk}/").status_code == 404


def test_a_unit_that_leaves_no_longer_sees_its_intervention(
    joined, worker, kim_goal, support_group, child_unit, child_worker, client, login
):
    item = add(worker, joined, kim_goal, support_group, child_unit, follow_up_dates=[days(3)])
    login(child_worker)
    assert client.get(f"/familjeplan/insatser/{item.pk}/").status_code == 200
    joined.participants.filter(unit=child_unit).update(left_on=days(0))
    assert client.get(f"/familjeplan/insatser/{item.pk}/").status_code == 404
    assert client.get(f"/api/v1/plan-interventions/{item.pk}/").status_code == 404
    follow_up = item.follow_ups.get()
    assert client.get(f"/familjeplan/uppfoljningar/{follow_up.pk}/").status_code == 404


def test_the_responsible_unit_without_consent_sees_neither_the_goal_nor_its_persons(
    joined, worker, kim_goal, support_group, child_unit, child_worker, client, login
):
    item = add(worker, joined, kim_goal, support_group, child_unit, follow_up_dates=[days(3)])
    login(child_worker)
    for url in (
        f"/familjeplan/insatser/{item.pk}/",
        f"/familjeplan/uppfoljningar/{item.follow_ups.get().pk}/",
    ):
        html = client.get(url).content.decode()
        assert kim_goal.perspective_label not in html, url
        assert kim_goal.text not in html, url
        assert "samtycke saknas" in html, url
