import datetime

from kinsight.audit.models import AuditEntry
from kinsight.interventions import services
from kinsight.interventions.models import Referral
from tests.interventions.conftest import give_consent


def test_it_refuses_a_referral_without_consent_on_the_page_keeping_the_input(
    client, login, worker, joined, household, child_unit
):
    login(worker)
    response = client.post(
        f"/familjearenden/{joined.pk}/remisser/ny/",
        {"person": household["kim"].pk, "to_unit": child_unit.pk, "reason": "Stödgrupp i höst"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "har inget gällande samtycke till remiss" in html
    assert "Stödgrupp i höst" in html
    assert not Referral.objects.exists()


def test_it_sends_with_consent_and_the_receiver_acts_while_the_sender_sees_each_step(
    client, login, worker, child_worker, joined, household, adult_unit, child_unit, support_group
):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")
    login(worker)
    response = client.post(
        f"/familjearenden/{joined.pk}/remisser/ny/",
        {
            "person": household["kim"].pk,
            "to_unit": child_unit.pk,
            "intervention": support_group.pk,
            "reason": "Stödgrupp i höst",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/remisser/{referral.pk}/"

    login(child_worker)
    received = client.get("/remisser/").content.decode()
    assert "Kim Åberg" in received and "Skickad" in received
    missing_date = client.post(
        f"/remisser/{referral.pk}/steg/", {"status": "received", "version": referral.version}
    )
    assert missing_date.status_code == 400
    for status in ("received", "accepted", "started"):
        referral.refresh_from_db()
        response = client.post(
            f"/remisser/{referral.pk}/steg/",
            {
                "status": status,
                "on": datetime.date.today().isoformat(),
                "version": referral.version,
            },
        )
        assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "started"

    login(worker)
    html = client.get(f"/remisser/{referral.pk}/").content.decode()
    for label in ("Skickad", "Mottagen", "Accepterad", "Påbörjad"):
        assert label in html
    child_worker.first_name, child_worker.last_name = "Cecilia", "Barnsekreterare"
    child_worker.save()
    html = client.get(f"/remisser/{referral.pk}/").content.decode()
    assert "Cecilia Barnsekreterare" in html  # who took each step
    assert "Spara steget" not in html  # the sender does not act on an internal referral
    assert AuditEntry.objects.filter(
        object_type="interventions.referral", object_id=str(referral.pk), action="read"
    ).exists()


def test_it_answers_404_to_a_bystander_an_outsider_and_a_unit_without_consent(
    client, login, worker, bystander, outsider, econ_worker, joined, household, adult_unit
):
    give_consent(
        joined,
        household["kim"],
        by=worker,
        unit=adult_unit,
        purpose="referral",
        all_units=False,
        units=[joined.participants.get(is_coordinator=False, unit__name__startswith="Barn").unit],
    )
    referral = services.referral_send(
        actor=worker,
        family_work=joined,
        person=household["kim"],
        to_unit=joined.participants.get(unit__name__startswith="Barn").unit,
        reason="Stöd",
    )
    for user in (bystander, outsider, econ_worker):
        login(user)
        assert client.get(f"/remisser/{referral.pk}/").status_code == 404
        assert (
            client.post(f"/remisser/{referral.pk}/steg/", {"status": "received"}).status_code == 404
        )
    login(bystander)
    assert client.get(f"/familjearenden/{joined.pk}/remisser/ny/").status_code == 404


def test_it_lists_referrals_in_a_fixed_number_of_queries(
    client,
    login,
    worker,
    joined,
    household,
    adult_unit,
    child_unit,
    django_assert_max_num_queries,
):
    give_consent(joined, household["kim"], by=worker, unit=adult_unit, purpose="referral")

    def send():
        services.referral_send(
            actor=worker,
            family_work=joined,
            person=household["kim"],
            to_unit=child_unit,
            reason="x",
        )

    send()
    login(worker)
    client.get("/remisser/")
    with django_assert_max_num_queries(10) as one:
        client.get("/remisser/")
    baseline = len(one.captured_queries)  # now: the next request resets the log
    for _ in range(4):
        send()
    with django_assert_max_num_queries(baseline):
        html = client.get("/remisser/").content.decode()
    assert html.count("Kim Åberg") == 5
