"""The consent matrix (issue 6): (unit, consent state, object) → visible or 404.

The viewer is a participating unit other than the one that holds the data: Kim's
worker in the children-and-youth unit looks at Anna's parts (the adult unit's). Per and
Kim have valid consents for all units, so the minutes depend on Anna's consent alone.
"""

import datetime

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.family import access, services
from kinsight.family.models import (
    Consent,
    FamilyMeeting,
    FamilyMember,
    FamilyWork,
    LinkedCase,
    MeetingNote,
)
from tests.family.conftest import give_consent

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)

STATES = ["none", "valid_all", "valid_named", "expired", "withdrawn", "other_unit", "future"]
SHARED = {"valid_all", "valid_named"}
OBJECTS = ["summary", "member", "linked_case", "minutes"]


@pytest.fixture
def setting(joined, worker, household, child_unit, econ_unit, open_case):
    """The family work with Per's and Kim's consents and a signed meeting of the adult
    unit. Returns a function that gives Anna's consent in a state."""
    give_consent(worker, joined, household["per"])
    give_consent(worker, joined, household["kim"], given_by=household["anna"])
    meeting = services.meeting_create(
        actor=worker, family_work=joined, held_on=TODAY, agenda="Läget", members=[household["anna"]]
    )
    note = services.minutes_create(actor=worker, meeting=meeting)
    services.minutes_sign(actor=worker, note=note, text="Vi kom överens.", expected_version=1)

    def anna(state):
        anna = household["anna"]
        if state == "none":
            return None
        if state == "valid_all":
            return give_consent(worker, joined, anna)
        if state == "valid_named":
            return give_consent(worker, joined, anna, all_units=False, units=[child_unit])
        if state == "expired":
            return give_consent(
                worker,
                joined,
                anna,
                given_on=TODAY - 40 * DAY,
                valid_from=TODAY - 40 * DAY,
                valid_to=TODAY - DAY,
            )
        if state == "withdrawn":
            consent = give_consent(worker, joined, anna)
            services.consent_withdraw(actor=worker, consent=consent, reason="Vill inte längre.")
            return consent
        if state == "other_unit":
            return give_consent(worker, joined, anna, all_units=False, units=[econ_unit])
        if state == "future":
            return give_consent(worker, joined, anna, given_on=TODAY, valid_from=TODAY + 5 * DAY)
        raise AssertionError(state)

    return {"work": joined, "meeting": meeting, "note": note, "case": open_case, "anna": anna}


def _objects(setting, household):
    work = setting["work"]
    return {
        "summary": (FamilyWork, work.pk),
        "member": (
            FamilyMember,
            FamilyMember.objects.get(family_work=work, person=household["anna"]).pk,
        ),
        "linked_case": (
            LinkedCase,
            LinkedCase.objects.get(family_work=work, case=setting["case"]).pk,
        ),
        "minutes": (MeetingNote, setting["note"].pk),
    }


def _api_url(obj, pk, work):
    return {
        "summary": f"/api/v1/family-work/{pk}/",
        "member": f"/api/v1/family-members/{pk}/",
        "linked_case": f"/api/v1/family-linked-cases/{pk}/",
        "minutes": f"/api/v1/family-meeting-notes/{pk}/",
    }[obj]


@pytest.mark.parametrize("state", STATES)
def test_it_shares_with_another_participating_unit_only_under_valid_consent(
    state, setting, household, child_worker, client, login
):
    setting["anna"](state)
    expected = {obj: obj == "summary" or state in SHARED for obj in OBJECTS}
    login(child_worker)
    for obj, (model, pk) in _objects(setting, household).items():
        seen = model.objects.visible_to(child_worker, "view").filter(pk=pk).exists()
        assert seen is expected[obj], (state, obj)
        response = client.get(_api_url(obj, pk, setting["work"]))
        assert response.status_code == (200 if expected[obj] else 404), (state, obj)
    assert access.shares_with(child_worker, household["anna"]) is (state in SHARED)
    meeting_page = client.get(f"/familjearenden/moten/{setting['meeting'].pk}/")
    assert meeting_page.status_code == (200 if state in SHARED else 404)


@pytest.mark.parametrize("state", STATES)
def test_it_always_shows_the_holding_unit_its_own_parts(
    state, setting, household, worker, colleague
):
    setting["anna"](state)
    for user in (worker, colleague):
        for obj, (model, pk) in _objects(setting, household).items():
            assert model.objects.visible_to(user, "view").filter(pk=pk).exists(), (state, obj)


@pytest.mark.parametrize("state", ["none", "valid_all"])
def test_it_hides_everything_from_a_unit_not_taking_part(
    state, setting, household, bystander, outsider, client, login
):
    setting["anna"](state)
    for user in (bystander, outsider):
        login(user)
        for obj, (model, pk) in _objects(setting, household).items():
            assert not model.objects.visible_to(user, "view").filter(pk=pk).exists()
            assert client.get(_api_url(obj, pk, setting["work"])).status_code == 404
        assert client.get(f"/familjearenden/{setting['work'].pk}/").status_code == 404
        assert access.shares_with(user, household["anna"]) is False


def test_it_names_the_unit_a_consent_covers(
    setting, household, child_worker, econ_worker, child_unit
):
    setting["anna"]("valid_named")  # the children's unit only
    assert access.shares_with(child_worker, household["anna"]) is True
    assert access.shares_with(econ_worker, household["anna"]) is False
    member = FamilyMember.objects.get(family_work=setting["work"], person=household["anna"])
    assert not FamilyMember.objects.visible_to(econ_worker, "view").filter(pk=member.pk).exists()
    assert access.consent_covers_unit(
        family_work=setting["work"], person=household["anna"], unit=child_unit, purpose="sharing"
    )


def test_it_stops_sharing_on_the_next_request_after_withdrawal(
    setting, household, worker, child_worker, client, login
):
    consent = setting["anna"]("valid_all")
    member = FamilyMember.objects.get(family_work=setting["work"], person=household["anna"])
    login(child_worker)
    assert client.get(f"/api/v1/family-members/{member.pk}/").status_code == 200
    services.consent_withdraw(actor=worker, consent=consent, reason="Ångrat sig.")
    assert client.get(f"/api/v1/family-members/{member.pk}/").status_code == 404
    assert client.get(f"/familjearenden/moten/{setting['meeting'].pk}/").status_code == 404
    row = AuditEntry.objects.filter(object_type="family.consent", object_id=str(consent.pk))
    assert row.filter(action="update", changes__withdrawal_reason=["", "Ångrat sig."]).exists()


def test_it_stops_sharing_when_a_unit_leaves(setting, household, worker, child_worker):
    setting["anna"]("valid_all")
    participant = setting["work"].participants.get(unit__name__startswith="Barn")
    services.participant_leave(actor=worker, participant=participant)
    assert not FamilyWork.objects.visible_to(child_worker, "view").exists()
    assert access.shares_with(child_worker, household["anna"]) is False


def test_it_needs_every_members_consent_for_minutes(setting, household, worker, child_worker):
    setting["anna"]("valid_all")
    meeting = setting["meeting"]
    assert FamilyMeeting.objects.visible_to(child_worker, "view").filter(pk=meeting.pk).exists()
    per_consent = Consent.objects.get(person=household["per"])
    services.consent_withdraw(actor=worker, consent=per_consent, reason="Nej.")
    assert not FamilyMeeting.objects.visible_to(child_worker, "view").filter(pk=meeting.pk).exists()


# Paths that hand a family member's data to another unit (issue 9 §5) ------------------

HANDOVER_PATHS = ["plan_intervention", "placement", "task", "referral"]


def _hand_over(path, *, work, actor, unit, household):
    """Give ``unit`` a piece of the family's work along ``path``."""
    from kinsight.interventions import services as plan_services
    from kinsight.interventions.models import Intervention

    kim = household["kim"]
    if path == "plan_intervention":
        plan_services.examples_add(actor=None, municipality=work.municipality)
        goal = plan_services.goal_add(
            actor=actor,
            family_work=work,
            perspective_key=f"child:{kim.pk}",
            text="Kim får stöd.",
            expected_version=0,
        )
        return plan_services.plan_intervention_add(
            actor=actor,
            family_work=work,
            goal=goal,
            intervention=Intervention.objects.filter(municipality=work.municipality).first(),
            responsible_unit=unit,
            start_on=TODAY,
            expected_version=goal.plan.version,
        )
    if path == "placement":
        return plan_services.placement_create(
            actor=actor,
            family_work=work,
            child=kim,
            kind="hvb",
            responsible_unit=unit,
            start_on=TODAY,
        )
    if path == "task":
        return services.task_create(
            actor=actor, family_work=work, title="Ring Kim", due_on=TODAY, responsible_unit=unit
        )
    return plan_services.referral_send(
        actor=actor, family_work=work, person=kim, to_unit=unit, reason="Stöd för Kim."
    )


@pytest.mark.parametrize("path", HANDOVER_PATHS)
def test_it_hands_nothing_to_a_unit_outside_the_work_without_consent(
    path, joined, worker, household, other_unit, bystander, client, login
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _hand_over(path, work=joined, actor=worker, unit=other_unit, household=household)
    login(bystander)
    for url in (
        "/api/v1/plan-interventions/",
        "/api/v1/placements/",
        "/api/v1/follow-up-tasks/",
        "/api/v1/referrals/",
    ):
        assert client.get(url).json()["count"] == 0, (path, url)
    assert client.get(f"/familjearenden/{joined.pk}/").status_code == 404
