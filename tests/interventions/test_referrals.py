import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinsight.audit.models import AuditEntry
from kinsight.interventions import services
from kinsight.interventions.models import Referral, ReferralStatus
from tests.interventions.conftest import days, give_consent, withdraw


def send(actor, work, person, **fields):
    return services.referral_send(
        actor=actor,
        family_work=work,
        person=person,
        reason=fields.pop("reason", "Behöver stödgrupp."),
        **fields,
    )


def test_it_refuses_a_referral_without_consent_with_a_clear_message(
    joined, household, worker, child_unit
):
    with pytest.raises(ValidationError) as error:
        send(worker, joined, household["kim"], to_unit=child_unit)
    message = " ".join(error.value.messages)
    assert "samtycke till remiss" in message and "Kim Åberg" in message
    assert not Referral.objects.exists()


def test_it_refuses_a_referral_with_only_a_sharing_consent(
    joined, household, worker, adult_unit, child_unit
):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit)
    with pytest.raises(ValidationError):
        send(worker, joined, household["kim"], to_unit=child_unit)


def test_it_sends_a_referral_with_a_consent_naming_the_receiving_unit(
    joined, household, worker, adult_unit, other_unit, support_group
):
    consent = give_consent(
        joined,
        household["kim"],
        by=worker,
        unit=adult_unit,
        purpose="referral",
        all_units=False,
        units=[other_unit],
    )
    referral = send(
        worker, joined, household["kim"], to_unit=other_unit, intervention=support_group
    )
    assert referral.status == ReferralStatus.SENT
    assert referral.consent == consent and referral.from_unit == adult_unit
    assert [s.status for s in referral.steps.all()] == ["sent"]
    entry = AuditEntry.objects.get(object_type="interventions.referral", action="create")
    assert entry.actor == worker and "reason" not in entry.changes


def test_it_sends_with_an_all_units_consent_only_to_participating_units(
    joined, household, worker, adult_unit, child_unit, other_unit
):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    assert send(worker, joined, household["kim"], to_unit=child_unit).pk
    with pytest.raises(ValidationError):
        send(worker, joined, household["kim"], to_unit=other_unit)


def test_it_refuses_a_referral_after_the_consent_is_withdrawn(
    joined, household, worker, adult_unit, child_unit
):
    consent = give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    send(worker, joined, household["kim"], to_unit=child_unit)
    withdraw(consent)
    with pytest.raises(ValidationError) as error:
        send(worker, joined, household["kim"], to_unit=child_unit)
    assert "samtycke" in " ".join(error.value.messages)


def test_it_refuses_a_referral_after_the_consent_expired(
    joined, household, worker, adult_unit, child_unit
):
    give_consent(
        joined,
        household["kim"],
        by=worker,
        unit=adult_unit,
        purpose="referral",
        valid_to=days(-1),
    )
    with pytest.raises(ValidationError):
        send(worker, joined, household["kim"], to_unit=child_unit)


def test_it_sends_to_an_external_provider_only_with_an_all_units_referral_consent(
    joined, household, worker, adult_unit, child_unit, catalogue
):
    coach = catalogue["Coachprogram (Maskrosbarn)"]
    give_consent(
        joined,
        household["kim"],
        by=worker,
        unit=adult_unit,
        purpose="referral",
        all_units=False,
        units=[child_unit],
    )
    with pytest.raises(ValidationError) as error:
        send(worker, joined, household["kim"], intervention=coach)
    assert "extern utförare" in " ".join(error.value.messages)
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    referral = send(worker, joined, household["kim"], intervention=coach)
    assert referral.external_provider == "Organisationen Maskrosbarn"
    assert referral.is_external


def test_it_refuses_a_person_outside_the_family_and_a_bystander(
    joined, household, worker, bystander, adult_unit, child_unit, family
):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    with pytest.raises(ValidationError):
        send(worker, joined, family["hidden"], to_unit=child_unit)
    with pytest.raises(PermissionDenied):
        send(bystander, joined, household["kim"], to_unit=child_unit)


@pytest.fixture
def referral(joined, household, worker, adult_unit, child_unit):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    return send(worker, joined, household["kim"], to_unit=child_unit)


def step(actor, referral, status, **fields):
    referral.refresh_from_db()
    return services.referral_step(
        actor=actor, referral=referral, status=status, expected_version=referral.version, **fields
    )


def test_it_lets_the_receiving_unit_take_each_step_dated_and_by_whom(
    referral, worker, child_worker
):
    for status in ("received", "accepted", "started", "ended"):
        step(child_worker, referral, status)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ENDED
    steps = list(referral.steps.all())
    assert [s.status for s in steps] == ["sent", "received", "accepted", "started", "ended"]
    assert all(s.on == days(0) for s in steps)
    assert [s.by for s in steps[1:]] == [child_worker] * 4
    # The sender sees every step.
    assert Referral.objects.visible_to(worker, "view").filter(pk=referral.pk).exists()


def test_it_refuses_steps_out_of_order_and_by_the_sender(referral, worker, child_worker):
    with pytest.raises(ValidationError):
        step(child_worker, referral, "started")
    with pytest.raises(PermissionDenied):
        step(worker, referral, "received")


def test_it_asks_why_a_referral_is_declined(referral, child_worker):
    step(child_worker, referral, "received")
    with pytest.raises(ValidationError) as error:
        step(child_worker, referral, "declined")
    assert "avböjs" in " ".join(error.value.messages)
    step(child_worker, referral, "declined", note="Ingen plats i gruppen i år.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.next_statuses() == []


def test_it_lets_the_sender_record_an_external_providers_answers(
    joined, household, worker, adult_unit
):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    referral = send(
        worker, joined, household["kim"], external_provider="BRIS", external_contact="bris.se"
    )
    step(worker, referral, "received")
    referral.refresh_from_db()
    assert referral.status == "received"


def test_it_hides_a_referral_from_the_receiver_after_withdrawal(
    joined, household, worker, adult_unit, child_unit, child_worker
):
    consent = give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    referral = send(worker, joined, household["kim"], to_unit=child_unit)
    assert Referral.objects.visible_to(child_worker, "view").filter(pk=referral.pk).exists()
    withdraw(consent)
    assert not Referral.objects.visible_to(child_worker, "view").filter(pk=referral.pk).exists()
    assert Referral.objects.visible_to(worker, "view").filter(pk=referral.pk).exists()
