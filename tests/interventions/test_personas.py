"""Every page and endpoint of interventions, run as the three personas
(tests/personas.py), in the family work of Anna, Per and Kim where the whole family has
given sharing consent (so every participating unit sees the plan, the referral and the
placement) and Kim a referral consent:

- the family plan and its goals: the coordinator (worker) may, the children's unit
  (child_worker) sees it (403), the violence unit (bystander, not taking part) gets 404;
- a plan intervention of the children's unit with a follow-up, a placement of Kim by the
  children's unit with a contact plan, a referral to the children's unit: the
  children's unit may, another participant sees it (403: the economic-assistance unit,
  or for the referral its sender), the bystander gets 404;
- the catalogue: administrators keep it; through the API every member of staff reads
  it (writes 403) and another municipality gets 404; its pages for administrators
  answer 404 to the others."""

import pytest

from kinsight.interventions import services
from tests.interventions.conftest import days, give_consent, plan_version
from tests.personas import Request, cases, check_cast

pytestmark = pytest.mark.django_db


def _today():
    return days(0).isoformat()


def _at(pattern, key):
    return lambda w: pattern.format(pk=w[key].pk)


def _version(key, **more):
    return lambda w: {"version": w[key].version, **more}


PLAN = [
    Request("plan page", "get", _at("/familjearenden/{pk}/plan/", "work"), read=True),
    Request("plan history", "get", _at("/familjearenden/{pk}/plan/historik/", "work"), read=True),
    Request("new goal", "get", _at("/familjearenden/{pk}/plan/mal/nytt/", "work")),
    Request("new plan intervention", "get", _at("/familjearenden/{pk}/plan/insatser/ny/", "work")),
    Request("goal edit", "get", _at("/familjeplan/mal/{pk}/", "goal")),
    Request("API plan", "get", _at("/api/v1/plans/{pk}/", "plan"), read=True),
]

RESPONSIBLE = [
    Request("plan intervention page", "get", _at("/familjeplan/insatser/{pk}/", "item")),
    Request(
        "new follow-up",
        "post",
        _at("/familjeplan/insatser/{pk}/uppfoljningar/", "item"),
        lambda w: {"due_on": days(10).isoformat()},
    ),
    Request("follow-up outcome", "get", _at("/familjeplan/uppfoljningar/{pk}/", "follow_up")),
    Request(
        "API plan intervention", "get", _at("/api/v1/plan-interventions/{pk}/", "item"), read=True
    ),
    Request("placement page", "get", _at("/placeringar/{pk}/", "placement"), read=True),
    Request(
        "end placement",
        "post",
        _at("/placeringar/{pk}/avsluta/", "placement"),
        _version("placement", end_on=_today()),
    ),
    Request(
        "new contact plan",
        "post",
        _at("/placeringar/{pk}/umgange/", "placement"),
        lambda w: {"parent": w["per"].pk, "frequency": "En gång i månaden"},
    ),
    Request(
        "contact event",
        "post",
        _at("/umgange/{pk}/tillfallen/", "contact_plan"),
        lambda w: {
            f"c{w['contact_plan'].pk}-on": _today(),
            f"c{w['contact_plan'].pk}-status": "happened",
        },
    ),
    Request("API placement", "get", _at("/api/v1/placements/{pk}/", "placement"), read=True),
]

REFERRAL = [
    Request("referral page", "get", _at("/remisser/{pk}/", "referral"), read=True),
    Request(
        "referral step",
        "post",
        _at("/remisser/{pk}/steg/", "referral"),
        _version("referral", status="received", on=_today()),
    ),
    Request("API referral", "get", _at("/api/v1/referrals/{pk}/", "referral"), read=True),
    Request(
        "API referral step",
        "post",
        _at("/api/v1/referrals/{pk}/step/", "referral"),
        _version("referral", status="received"),
    ),
]

CATALOGUE_API = [
    Request(
        "API intervention", "get", _at("/api/v1/interventions/{pk}/", "intervention"), read=True
    ),
    Request(
        "API intervention update",
        "patch",
        _at("/api/v1/interventions/{pk}/", "intervention"),
        _version("intervention", name="Stödgrupp för barn"),
    ),
]

CATALOGUE_PAGES = [
    Request("new intervention", "get", lambda w: "/insatser/ny/"),
    Request("intervention edit", "get", _at("/insatser/{pk}/andra/", "intervention")),
    Request("seed examples", "post", lambda w: "/insatser/exempel/"),
]

CASTS = {
    "plan": (PLAN, {"sees": "child_worker", "outsider": "bystander", "may": "worker"}),
    "responsible": (
        RESPONSIBLE,
        {"sees": "econ_worker", "outsider": "bystander", "may": "child_worker"},
    ),
    "referral": (REFERRAL, {"sees": "worker", "outsider": "bystander", "may": "child_worker"}),
    "catalogue API": (
        CATALOGUE_API,
        {"sees": "worker", "outsider": "outsider", "may": "administrator"},
    ),
    "catalogue pages": (CATALOGUE_PAGES, {"outsider": "worker", "may": "administrator"}),
}

CASES = cases(CASTS)


@pytest.fixture
def world(shared, household, worker, adult_unit, child_unit, child_worker, support_group):
    kim = household["kim"]
    give_consent(shared, kim, by=worker, unit=adult_unit, purpose="referral")
    goal = services.goal_add(
        actor=worker,
        family_work=shared,
        perspective_key=f"child:{kim.pk}",
        text="Kim får träffa andra barn i samma situation.",
        expected_version=plan_version(shared),
    )
    item = services.plan_intervention_add(
        actor=worker,
        family_work=shared,
        goal=goal,
        intervention=support_group,
        responsible_unit=child_unit,
        start_on=days(0),
        expected_version=plan_version(shared),
        follow_up_dates=[days(3)],
    )
    placement = services.placement_create(
        actor=child_worker,
        family_work=shared,
        child=kim,
        kind="family_home",
        responsible_unit=child_unit,
        start_on=days(-20),
    )
    contact_plan = services.contact_plan_add(
        actor=child_worker, placement=placement, parent=household["anna"], frequency="Varannan helg"
    )
    referral = services.referral_send(
        actor=worker, family_work=shared, person=kim, reason="Stödgrupp", to_unit=child_unit
    )
    return {
        "work": shared,
        "plan": goal.plan,
        "goal": goal,
        "item": item,
        "follow_up": item.follow_ups.get(),
        "placement": placement,
        "contact_plan": contact_plan,
        "per": household["per"],
        "referral": referral,
        "intervention": support_group,
    }


@pytest.mark.parametrize(("cast", "request_"), CASES, ids=lambda v: str(v))
def test_each_persona_gets_the_answer_its_relationship_gives(
    client, login, world, request, cast, request_
):
    check_cast(request, client, login, request_, world, CASTS[cast][1])
