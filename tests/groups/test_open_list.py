"""The open group list /grupper/<code>/ (no sign-in): shown only when the municipality
has turned it on; lists public cycles of active programmes with free places, never a
count or a name of applicants; an application lands with the cycle's leaders, guarded
by a honeypot, a signed stamp and a count per client address (no CAPTCHA)."""

import datetime
import re

import pytest
from django.core.cache import cache

from kinsight.audit.models import AuditEntry
from kinsight.groups import services
from kinsight.groups.models import GroupApplication
from kinsight.groups.services.settings import settings_set
from kinsight.groups.views.open_list import APPLICATIONS
from tests.groups.conftest import add_anonymous
from tests.groups.open_list_helpers import (
    APPLICATION,
    TODAY,
    apply,
    apply_url,
    list_on,
    public_cycle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_counted_applications():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_cycle(head, leader, programme, org):
    return public_cycle(head, [leader], programme, org["district"])


def list_url(municipality):
    return f"/grupper/{municipality.code}/"


def test_it_is_not_there_until_the_municipality_turns_it_on(client, head, municipality, open_cycle):
    assert client.get(list_url(municipality)).status_code == 404
    assert client.get(apply_url(open_cycle)).status_code == 404

    settings_set(actor=head, public_list=False, own_consent_age=15)
    assert client.get(list_url(municipality)).status_code == 404
    assert client.get("/grupper/9999999/").status_code == 404


def test_it_lists_open_public_cycles_without_sign_in(client, head, municipality, open_cycle):
    list_on(head)
    response = client.get(list_url(municipality))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Stödgrupper i Testkommun" in html
    assert "Vågen" in html and "Förälders missbruk eller beroende" in html
    assert "Barn, 7–12 år" in html and open_cycle.district.name in html
    assert apply_url(open_cycle) in html
    assert "Logga ut" not in html  # no account


def test_it_leaves_out_hidden_full_and_ended_cycles(
    client, head, leader, programme, org, municipality, open_cycle
):
    list_on(head)
    district = org["district"]
    hidden = public_cycle(head, [leader], programme, district, name="Dold", is_public=False)
    ended = public_cycle(
        head,
        [leader],
        programme,
        district,
        name="Slut",
        start_on=TODAY - datetime.timedelta(days=90),
        end_on=TODAY - datetime.timedelta(days=1),
    )
    full = public_cycle(head, [leader], programme, district, name="Full", places=1)
    add_anonymous(leader, full)
    dropped = add_anonymous(leader, open_cycle)
    services.participant_drop(
        actor=leader, participant=dropped, expected_version=1, on=TODAY, reason="Flyttat"
    )
    html = client.get(list_url(municipality)).content.decode()
    assert apply_url(open_cycle) in html  # a dropped participant frees the place
    for cycle in (hidden, ended, full):
        assert apply_url(cycle) not in html
        assert client.get(apply_url(cycle)).status_code == 404


@pytest.mark.parametrize("cycles", [1, 4])
def test_the_list_costs_the_same_for_one_cycle_and_many(
    client, head, leader, programme, org, municipality, cycles, django_assert_num_queries
):
    list_on(head)
    for n in range(cycles):
        public_cycle(head, [leader], programme, org["district"], name=f"Omgång {n}")
    # the municipality, its settings, the cycles with their places taken
    with django_assert_num_queries(3):
        html = client.get(list_url(municipality)).content.decode()
    assert html.count("Anmäl intresse<") == cycles


def test_an_application_lands_with_the_leaders_and_shows_nothing_of_others(
    client, head, municipality, open_cycle
):
    list_on(head)
    form = client.get(apply_url(open_cycle))
    assert form.status_code == 200
    assert 'class="field hp-field"' in form.content.decode()
    assert "Vi sparar uppgifterna bara för att kontakta dig om gruppen" in form.content.decode()
    response = apply(client, open_cycle)
    assert response.status_code == 302
    assert response["Location"] == f"/grupper/{municipality.code}/tack/"
    thanks = client.get(response["Location"]).content.decode()
    assert "Din anmälan är skickad." in thanks and "Kim" not in thanks
    application = GroupApplication.objects.get()
    assert (application.cycle, application.name, application.status) == (
        open_cycle,
        "Kim Andersson",
        "new",
    )
    assert application.municipality == municipality
    created = AuditEntry.objects.get(object_type="groups.groupapplication", action="create")
    assert created.actor is None
    assert "Kim" not in str(created.changes) and "070" not in str(created.changes)
    listing = client.get(list_url(municipality)).content.decode()
    assert "Kim" not in listing and "ansök" not in listing.lower().replace("anmäl", "")


def test_a_filled_honeypot_is_refused_without_saving(client, head, open_cycle):
    list_on(head)
    response = apply(client, open_cycle, website="http://spam.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Anmälan kunde inte skickas." in html
    assert 'value="Kim Andersson"' in html  # the input is kept
    assert not GroupApplication.objects.exists()


@pytest.mark.parametrize(
    ("seconds_ago", "message"),
    [
        (0, "Formuläret skickades för snabbt."),
        (2 * 60 * 60 + 5, "Formuläret har varit öppet för länge."),
    ],
)
def test_a_stamp_too_new_or_too_old_is_refused(client, head, open_cycle, seconds_ago, message):
    list_on(head)
    response = apply(client, open_cycle, seconds_ago=seconds_ago)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Kim Andersson"' in response.content.decode()
    assert not GroupApplication.objects.exists()


@pytest.mark.parametrize("stamp", ["", "application:1abc:forged", "other:1abc:x"])
def test_a_missing_or_changed_stamp_is_refused(client, head, open_cycle, stamp):
    list_on(head)
    response = apply(client, open_cycle, stamp=stamp)
    assert response.status_code == 400
    assert "Ladda om sidan och försök igen." in response.content.decode()
    assert not GroupApplication.objects.exists()


def test_a_fresh_form_carries_a_new_stamp_after_a_refusal(client, head, open_cycle):
    list_on(head)
    html = apply(client, open_cycle, seconds_ago=0).content.decode()
    stamp = re.search(r'name="stamp" value="([^"]+)"', html).group(1)
    assert stamp.startswith("application:")


def test_too_many_applications_from_one_address_are_refused(client, head, open_cycle, settings):
    list_on(head)
    for _n in range(APPLICATIONS.allowed):
        assert apply(client, open_cycle).status_code == 302
    response = apply(client, open_cycle)
    assert response.status_code == 429
    assert "Försök igen om en timme." in response.content.decode()
    assert 'value="Kim Andersson"' in response.content.decode()
    assert GroupApplication.objects.count() == APPLICATIONS.allowed
    # behind a trusted proxy the count is per client, not per proxy
    settings.TRUSTED_PROXIES = {"127.0.0.1"}
    behind = apply(client, open_cycle, meta={"HTTP_X_FORWARDED_FOR": "203.0.113.7"})
    assert behind.status_code == 302


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact": "ring mig"}, "Skriv ett telefonnummer (t.ex. 070-123 45 67) eller en e-post"),
        ({"contact": "kim@"}, "Skriv ett telefonnummer"),
        ({"consent": ""}, "Kryssa i rutan för att skicka anmälan."),
        ({"name": ""}, "Det här fältet är obligatoriskt."),
        ({"age_band": "99"}, "Välj ett giltigt alternativ."),
    ],
)
def test_bad_input_is_refused_with_what_to_fix(client, head, open_cycle, changes, message):
    list_on(head)
    response = apply(client, open_cycle, **changes)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'id="error-summary"' in html
    assert not GroupApplication.objects.exists()


def test_an_e_mail_address_is_a_contact(client, head, open_cycle):
    list_on(head)
    assert apply(client, open_cycle, contact="kim@example.se").status_code == 302
    assert GroupApplication.objects.get().contact == "kim@example.se"


def test_a_cycle_that_fills_while_the_form_is_open_refuses(client, head, leader, open_cycle):
    list_on(head)
    form = client.get(apply_url(open_cycle))
    assert form.status_code == 200
    for _n in range(open_cycle.places):
        add_anonymous(leader, open_cycle)
    assert apply(client, open_cycle).status_code == 404
    assert not GroupApplication.objects.exists()


def test_another_municipality_code_does_not_reach_the_cycle(
    client, head, open_cycle, other_municipality
):
    list_on(head)
    url = f"/grupper/{other_municipality.code}/{open_cycle.pk}/anmalan/"
    assert client.get(url).status_code == 404
    assert client.post(url, APPLICATION).status_code == 404
