import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.audit.models import AuditEntry
from kinsight.core.services import StaleEdit
from kinsight.family.models import FamilyRole
from kinsight.interventions import services
from kinsight.interventions.models import (
    FamilyPlan,
    PlanFollowUp,
    PlanGoal,
    PlanIntervention,
    PlanRevision,
)
from tests.interventions.conftest import days, give_consent, make_work, plan_version


def goal(actor, work, key, text="Kim får träffa andra barn i samma situation."):
    return services.goal_add(
        actor=actor,
        family_work=work,
        perspective_key=key,
        text=text,
        expected_version=plan_version(work),
    )


def add(actor, work, goal, intervention, unit, **fields):
    return services.plan_intervention_add(
        actor=actor,
        family_work=work,
        goal=goal,
        intervention=intervention,
        responsible_unit=unit,
        start_on=fields.pop("start_on", days(0)),
        expected_version=fields.pop("expected_version", plan_version(work)),
        **fields,
    )


def test_it_sets_goals_per_perspective_and_keeps_every_version(
    joined, worker, household, catalogue, child_unit
):
    kim = household["kim"]
    first = goal(worker, joined, f"child:{kim.pk}")
    couple = next(p.key for p in joined.perspectives() if p.kind == "couple")
    second = goal(worker, joined, couple, "Föräldrarna pratar med varandra om Kim.")
    add(
        worker,
        joined,
        first,
        catalogue["Stödgrupp för barn som anhöriga"],
        child_unit,
        follow_up_dates=[days(5), days(60)],
    )
    plan = FamilyPlan.objects.get(family_work=joined)
    assert plan.version == 3
    assert first.perspective_label == "Barnet Kim Åberg"
    assert second.perspective_label == "Parrelationen"
    revisions = list(PlanRevision.objects.filter(plan=plan).order_by("version"))
    assert [r.version for r in revisions] == [1, 2, 3]
    assert len(revisions[0].snapshot["goals"]) == 1
    last = revisions[2].snapshot["goals"][0]["interventions"][0]
    assert last["intervention"] == "Stödgrupp för barn som anhöriga"
    assert [f["due_on"] for f in last["follow_ups"]] == [days(5).isoformat(), days(60).isoformat()]


def test_it_refuses_a_couple_goal_for_a_single_parent(
    worker, adult_unit, household, open_case, municipality
):
    single = make_work(
        worker=worker,
        unit=adult_unit,
        members=[(household["anna"], FamilyRole.PARENT_1), (household["kim"], FamilyRole.CHILD)],
        title="Anna och Kim",
    )
    couple = f"couple:{household['anna'].pk}:{household['per'].pk}"
    with pytest.raises(ValidationError) as error:
        goal(worker, single, couple)
    message = " ".join(error.value.messages)
    assert "parrelation" in message
    assert not PlanGoal.objects.exists() and not FamilyPlan.objects.exists()


def test_it_refuses_a_perspective_of_someone_outside_the_family(joined, worker, family, household):
    with pytest.raises(ValidationError) as error:
        goal(worker, joined, f"child:{family['hidden'].pk}")
    assert "Välj ett av familjens perspektiv" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        goal(worker, joined, f"parent_child:{household['kim'].pk}:{household['anna'].pk}")


def test_it_lets_only_the_coordinator_change_the_plan(joined, child_worker, household):
    with pytest.raises(PermissionDenied):
        goal(child_worker, joined, "family")


def test_it_refuses_an_end_before_the_start_and_follow_ups_before_the_start(
    joined, worker, catalogue, child_unit
):
    family_goal = goal(worker, joined, "family")
    with pytest.raises(ValidationError) as error:
        add(
            worker,
            joined,
            family_goal,
            catalogue["Familjeterapi"],
            child_unit,
            end_on=days(-1),
        )
    assert "Slutdatum kan inte vara före startdatum." in error.value.messages
    with pytest.raises(ValidationError):
        add(
            worker,
            joined,
            family_goal,
            catalogue["Familjeterapi"],
            child_unit,
            follow_up_dates=[days(-3)],
        )
    assert not PlanIntervention.objects.exists()


def test_it_refuses_a_stale_plan_edit(joined, worker):
    goal(worker, joined, "family")
    with pytest.raises(StaleEdit):
        services.goal_add(
            actor=worker,
            family_work=joined,
            perspective_key="family",
            text="Ett mål till",
            expected_version=0,
        )


@pytest.fixture
def item(joined, worker, household, catalogue, child_unit):
    kim_goal = goal(worker, joined, f"child:{household['kim'].pk}")
    return add(
        worker,
        joined,
        kim_goal,
        catalogue["Stödgrupp för barn som anhöriga"],
        child_unit,
        follow_up_dates=[days(3)],
    )


def test_it_lets_the_responsible_unit_record_the_follow_up_outcome(item, child_worker, worker):
    follow_up = item.follow_ups.get()
    services.follow_up_record(
        actor=child_worker,
        follow_up=follow_up,
        expected_version=follow_up.version,
        outcome="partly",
        note="Kim har gått på fyra av tio träffar.",
    )
    follow_up.refresh_from_db()
    assert follow_up.outcome == "partly" and follow_up.outcome_on == days(0)
    assert follow_up.recorded_by == child_worker
    plan = item.plan
    plan.refresh_from_db()
    latest = plan.revisions.order_by("-version").first()
    assert latest.saved_by == child_worker
    snap = latest.snapshot["goals"][0]["interventions"][0]["follow_ups"][0]
    assert snap["outcome"] == "Målet är delvis uppnått"
    assert AuditEntry.objects.filter(
        object_type="interventions.planfollowup", action="update", actor=child_worker
    ).exists()


def test_it_puts_open_follow_ups_in_the_responsible_units_work_queue(
    client, login, item, child_worker
):
    login(child_worker)
    response = client.get("/att-gora/", {"group": "plan_follow_ups"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Familjen Åberg" in html and "Följ upp insatsen" in html
    follow_up = item.follow_ups.get()
    assert f"/familjeplan/uppfoljningar/{follow_up.pk}/" in html
    PlanFollowUp.objects.filter(pk=follow_up.pk).update(
        outcome="met", outcome_on=datetime.date.today()
    )
    html = client.get("/att-gora/", {"group": "plan_follow_ups"}).content.decode()
    assert "Familjen Åberg" not in html


def test_it_shows_the_plan_to_another_unit_only_when_the_whole_family_shares(
    client, login, item, worker, econ_worker, household, adult_unit
):
    work = item.plan.family_work
    login(econ_worker)
    html = client.get(f"/familjearenden/{work.pk}/plan/").content.decode()
    assert "Kim får träffa andra barn" not in html
    assert "när alla i familjen har samtyckt" in html
    assert client.get(f"/familjearenden/{work.pk}/plan/historik/").status_code == 404
    for person in (household["anna"], household["per"]):
        give_consent(work, person, by=worker, unit=adult_unit)
    html = client.get(f"/familjearenden/{work.pk}/plan/").content.decode()
    assert "Kim får träffa andra barn" not in html  # Kim has not consented yet
    give_consent(work, household["kim"], by=worker, unit=adult_unit)
    html = client.get(f"/familjearenden/{work.pk}/plan/").content.decode()
    assert "Kim får träffa andra barn" in html
    assert "Nytt mål" not in html  # seen, not changed
    assert client.get(f"/familjearenden/{work.pk}/plan/mal/nytt/").status_code == 403


def test_it_answers_404_to_a_bystander_and_an_outsider(client, login, item, bystander, outsider):
    work = item.plan.family_work
    follow_up = item.follow_ups.get()
    for user in (bystander, outsider):
        login(user)
        for url in (
            f"/familjearenden/{work.pk}/plan/",
            f"/familjearenden/{work.pk}/plan/historik/",
            f"/familjeplan/insatser/{item.pk}/",
            f"/familjeplan/uppfoljningar/{follow_up.pk}/",
        ):
            assert client.get(url).status_code == 404, url


def test_it_makes_a_plan_through_the_pages_and_shows_the_history(
    client, login, worker, joined, household, catalogue, child_unit
):
    login(worker)
    url = f"/familjearenden/{joined.pk}/plan/"
    assert "Det finns ingen familjeplan ännu." in client.get(url).content.decode()
    response = client.post(
        f"{url}mal/nytt/", {"plan_version": 0, "perspective_key": "family", "text": "Lugnare hemma"}
    )
    assert response.status_code == 302
    refused = client.post(
        f"{url}mal/nytt/", {"plan_version": 1, "perspective_key": "nobody", "text": "X"}
    )
    assert refused.status_code == 400
    assert "Perspektivet finns inte i familjen" in refused.content.decode()
    family_goal = PlanGoal.objects.get()
    response = client.post(
        f"{url}insatser/ny/",
        {
            "plan_version": 1,
            "goal": family_goal.pk,
            "intervention": catalogue["Familjeterapi"].pk,
            "responsible_unit": child_unit.pk,
            "start_on": days(0).isoformat(),
            "end_on": days(-2).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    response = client.post(
        f"{url}insatser/ny/",
        {
            "plan_version": 1,
            "goal": family_goal.pk,
            "intervention": catalogue["Familjeterapi"].pk,
            "responsible_unit": child_unit.pk,
            "start_on": days(0).isoformat(),
            "follow_up_dates": f"{days(30).isoformat()}, {days(90).isoformat()}",
        },
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Lugnare hemma" in html and "Familjeterapi" in html and "Version 2" in html
    history = client.get(f"{url}historik/").content.decode()
    assert "Version 1" in history and "Version 2" in history and "Insats tillagd" in history
    assert AuditEntry.objects.filter(object_type="interventions.familyplan", action="read").exists()


def test_it_shows_the_plan_in_a_fixed_number_of_queries(
    client, login, worker, joined, household, catalogue, child_unit, django_assert_max_num_queries
):
    family_goal = goal(worker, joined, "family")
    add(
        worker,
        joined,
        family_goal,
        catalogue["Familjeterapi"],
        child_unit,
        follow_up_dates=[days(9)],
    )
    login(worker)
    url = f"/familjearenden/{joined.pk}/plan/"
    client.get(url)
    with django_assert_max_num_queries(21) as one:
        client.get(url)
    baseline = len(one.captured_queries)  # now: the next request resets the log
    for name in ("Kontaktperson", "Föräldraskapsstöd", "Stöd i parrelationen"):
        add(worker, joined, family_goal, catalogue[name], child_unit, follow_up_dates=[days(9)])
    with django_assert_max_num_queries(baseline):
        html = client.get(url).content.decode()
    assert "Stöd i parrelationen" in html


def test_it_shows_the_intervention_page_and_records_an_outcome_through_the_pages(
    client, login, item, child_worker
):
    login(child_worker)
    html = client.get(f"/familjeplan/insatser/{item.pk}/").content.decode()
    assert "Stödgrupp för barn som anhöriga" in html and "Registrera resultat" in html
    follow_up = item.follow_ups.get()
    response = client.post(
        f"/familjeplan/uppfoljningar/{follow_up.pk}/",
        {
            f"f{follow_up.pk}-version": follow_up.version,
            f"f{follow_up.pk}-outcome": "met",
            f"f{follow_up.pk}-outcome_on": days(0).isoformat(),
        },
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.outcome == "met"


def test_a_refused_follow_up_date_shows_the_intervention_page_again(
    client, login, item, child_worker
):
    login(child_worker)
    url = f"/familjeplan/insatser/{item.pk}/uppfoljningar/"
    response = client.post(url, {"due_on": ""})
    assert response.status_code == 400  # the page again with the error, nothing saved
    assert "Stödgrupp för barn som anhöriga" in response.content.decode()
    assert "errorlist" in response.content.decode()
    assert item.follow_ups.count() == 1
    response = client.post(url, {"due_on": days(10).isoformat()})
    assert response.status_code == 302 and item.follow_ups.count() == 2


def test_it_seeds_a_generated_municipality(municipality):
    from kinsight.demo.generate.interventions import generate_interventions

    assert generate_interventions(municipality=municipality)["interventions"] > 5


def test_the_responsible_unit_does_not_read_the_goal_without_the_familys_consent(
    client, login, item, child_worker
):
    login(child_worker)
    html = client.get(f"/familjeplan/insatser/{item.pk}/").content.decode()
    assert "Stödgrupp för barn som anhöriga" in html  # its own intervention
    assert "Kim får träffa andra barn" not in html  # the plan's goal is whole-family content
    assert "Delas inte – samtycke saknas" in html
    assert AuditEntry.objects.filter(
        actor=child_worker, action="read", object_type="interventions.planintervention"
    ).exists()
