"""The consent matrix for assessment parts: (viewer, consent state of Anna, perspective)
→ visible or not (404). The adult unit (worker) holds a part for every perspective;
Per and Kim have valid consents for all units, so every perspective that involves Anna
depends on her consent alone."""

import pytest

from kinsight.assessment import services
from kinsight.assessment.models import AssessmentPart, InstrumentResult
from tests.assessment.conftest import consent

STATES = ["none", "valid_all", "valid_named", "expired", "withdrawn", "other_unit", "future"]
SHARED = {"valid_all", "valid_named"}


@pytest.fixture
def parts(work, worker, adult_unit, household):
    anna, per, kim = household["anna"], household["per"], household["kim"]
    keys = {
        "anna": f"parent:{anna.pk}",
        "kim": f"child:{kim.pk}",
        "anna_kim": f"parent_child:{anna.pk}:{kim.pk}",
        "per": f"parent:{per.pk}",
        "couple": f"couple:{anna.pk}:{per.pk}",
        "family": "family",
    }
    return {
        name: services.part_save(
            actor=worker,
            family_work=work,
            perspective_key=key,
            unit=adult_unit,
            data={"needs": f"Behov {name}"},
            expected_version=0,
        )
        for name, key in keys.items()
    }


@pytest.fixture
def anna_consent(work, worker, adult_unit, child_unit, econ_unit, household):
    consent(work, household["per"], recorded_by=worker, unit=adult_unit)
    consent(work, household["kim"], recorded_by=worker, unit=adult_unit)

    def give(state):
        anna = household["anna"]
        if state == "none":
            return None
        if state == "valid_all":
            return consent(work, anna, recorded_by=worker, unit=adult_unit)
        if state == "valid_named":
            return consent(work, anna, recorded_by=worker, unit=adult_unit, units=[child_unit])
        if state == "other_unit":
            return consent(work, anna, recorded_by=worker, unit=adult_unit, units=[econ_unit])
        return consent(work, anna, recorded_by=worker, unit=adult_unit, state=state)

    return give


def _seen(user, part, action="view"):
    return AssessmentPart.objects.visible_to(user, action).filter(pk=part.pk).exists()


@pytest.mark.parametrize("state", STATES)
def test_it_shares_another_units_parts_only_under_consent_of_every_person_involved(
    state, parts, anna_consent, child_worker, client, login
):
    anna_consent(state)
    expected = {
        "anna": state in SHARED,
        "kim": True,
        "anna_kim": state in SHARED,
        "per": True,
        "couple": state in SHARED,
        "family": state in SHARED,
    }
    login(child_worker)
    for name, part in parts.items():
        assert _seen(child_worker, part) is expected[name], (state, name)
        assert _seen(child_worker, part, "change") is False, (state, name)
        response = client.get(f"/api/v1/assessment-parts/{part.pk}/")
        assert response.status_code == (200 if expected[name] else 404), (state, name)


@pytest.mark.parametrize("state", ["none", "withdrawn"])
def test_it_always_shows_and_lets_the_own_unit_change_its_parts(
    state, parts, anna_consent, worker, colleague
):
    anna_consent(state)
    for user in (worker, colleague):
        for name, part in parts.items():
            assert _seen(user, part), (user, name)
            assert _seen(user, part, "change"), (user, name)


def test_it_hides_every_part_from_units_not_taking_part_and_other_municipalities(
    parts, anna_consent, bystander, outsider, client, login
):
    anna_consent("valid_all")
    for user in (bystander, outsider):
        login(user)
        for part in parts.values():
            assert not _seen(user, part)
            assert client.get(f"/api/v1/assessment-parts/{part.pk}/").status_code == 404


def test_it_takes_effect_at_once_when_consent_is_withdrawn(
    parts, anna_consent, child_worker, client, login
):
    given = anna_consent("valid_all")
    login(child_worker)
    url = f"/api/v1/assessment-parts/{parts['anna'].pk}/"
    assert client.get(url).status_code == 200
    given.withdrawn_on = given.valid_from
    given.save()
    assert client.get(url).status_code == 404


def test_it_hides_a_unit_that_has_left_the_work(parts, anna_consent, work, child_worker):
    anna_consent("valid_all")
    work.participants.filter(worker=child_worker).update(left_on=work.started_on)
    assert not any(_seen(child_worker, p) for p in parts.values())


def test_it_follows_the_part_for_instrument_results(parts, anna_consent, worker, child_worker):
    from kinsight.assessment.models import Instrument

    audit = Instrument.objects.get(code="audit", municipality=None)
    result = services.instrument_result_record(
        actor=worker,
        part=parts["anna"],
        instrument=audit,
        answers={str(n): 0 for n in range(1, 11)},
        sex="female",
    )
    anna_consent("none")
    assert not InstrumentResult.objects.visible_to(child_worker, "view").filter(pk=result.pk)
    assert InstrumentResult.objects.visible_to(worker, "change").filter(pk=result.pk)
