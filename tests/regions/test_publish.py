"""Publishing to the region (region/publicera/): only a closed period, by a head of
services of the whole municipality of a member; small counts hidden before the copy is
stored; the frozen copy withdrawn with a reason; audit rows; another municipality's
head of services gets 404."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.audit.models import AuditEntry
from kinsight.core.models import OrgUnit, Role
from kinsight.regions.models import Member, PublishedFigure
from tests import factories

URL = "/region/publicera/"
D = datetime.date
YEAR_2025 = {"definition": "concern_reports", "step": "year", "period_start": "2025-06-01"}


def figure(head, region, year, **fields):
    """A published row made directly (the service has its own tests)."""
    values = {
        "municipality": head.municipality,
        "region": region,
        "definition": "october",
        "title": "Oktoberkartläggningen",
        "definitions_version": "x",
        "step": "year",
        "period_start": D(year, 1, 1),
        "period_end": D(year, 12, 31),
        "period_label": str(year),
        "suppression_threshold": 5,
        "published_by": head,
    }
    return PublishedFigure.objects.create(**{**values, **fields})


def publish(client, region, **changes):
    return client.post(URL, {"region": region.pk, **YEAR_2025, **changes})


@pytest.fixture
def published(client, login, head, member, region, reports):
    login(head)
    response = publish(client, region)
    assert response.status_code == 302
    return PublishedFigure.objects.get()


def test_it_publishes_a_closed_year_with_the_small_counts_hidden_before_it_leaves(
    client, published, head
):
    table = next(t for t in published.tables if t["key"] == "pre_assessment")
    assert published.period_label == "2025" and published.step == "year"
    assert published.period_start == D(2025, 1, 1) and published.period_end == D(2025, 12, 31)
    assert published.suppression_threshold == 5 and len(published.definitions_version) == 12
    # Three of the thirteen were decided in time: below five, hidden with its share; the
    # hidden value is not in the stored copy at all.
    assert ["total", "pre_in_time"] in table["hidden"]
    assert table["total"]["values"]["pre_in_time"] is None
    assert table["total"]["values"]["received"] == 13
    page = client.get(f"/region/publicera/{published.pk}/").content.decode()
    assert "&lt;5" in page and "Återkalla" in page


def test_the_publication_is_audited_in_the_municipality(published, head):
    entry = AuditEntry.objects.get(object_type="regions.publishedfigure", action="create")
    assert entry.actor == head and entry.municipality_id == head.municipality_id
    assert entry.changes["definition"] == [None, "concern_reports"]


def test_a_period_not_yet_ended_is_refused_in_swedish(client, login, head, member, region):
    login(head)
    today = datetime.date.today()
    response = publish(client, region, step="month", period_start=today.isoformat())
    assert response.status_code == 400
    assert "är inte avslutad" in response.content.decode()
    assert not PublishedFigure.objects.exists()


def test_the_same_period_twice_is_refused_until_withdrawn(client, published, region):
    response = publish(client, region)
    assert response.status_code == 400
    assert "redan publicerat" in response.content.decode()


def test_a_municipality_that_is_not_a_member_cannot_publish(
    client, login, other_head, member, region
):
    login(other_head)
    page = client.get(URL).content.decode()
    assert "inte medlem i någon region" in page
    assert publish(client, region).status_code == 404
    assert not PublishedFigure.objects.exists()


def test_a_member_that_has_left_cannot_publish(client, login, head, member, region):
    Member.objects.filter(pk=member.pk).update(left_on=D(2024, 12, 31))
    login(head)
    assert publish(client, region).status_code == 404


def test_a_head_of_part_of_the_municipality_sees_but_cannot_publish(
    client, login, municipality, org, member, region, published
):
    part = factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["district"], username="delchef"
    )
    south = OrgUnit.objects.create(
        municipality=municipality, parent=org["administration"], kind="district", name="Syd"
    )
    OrgUnit.objects.create(
        municipality=municipality, parent=south, kind="unit", name="Syd enhet", unit_type="families"
    )
    login(part)
    page = client.get(URL).content.decode()
    assert "Bara en IFO-chef med ansvar för hela kommunen" in page
    assert client.get(f"/region/publicera/{published.pk}/").status_code == 200
    response = client.post(f"/region/publicera/{published.pk}/aterkalla/", {"reason": "x"})
    assert response.status_code == 403


def test_withdraw_keeps_the_figures_with_the_reason_and_audits_it(client, published, head):
    url = f"/region/publicera/{published.pk}/aterkalla/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Skäl" in response.content.decode()
    response = client.post(url, {"reason": "Fel enhet räknades med."})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.is_withdrawn and published.withdrawn_by == head
    assert published.withdrawn_reason == "Fel enhet räknades med."
    entry = AuditEntry.objects.get(object_type="regions.publishedfigure", action="update")
    assert entry.changes["withdrawn_reason"] == [None, "Fel enhet räknades med."]
    page = client.get(f"/region/publicera/{published.pk}/").content.decode()
    assert "Fel enhet räknades med." in page and 'name="reason"' not in page
    # Once withdrawn, the same period may be published again.
    assert publish(client, published.region).status_code == 302
    assert PublishedFigure.objects.current().count() == 1


def test_another_municipality_s_head_of_services_gets_404(client, login, published, other_head):
    login(other_head)
    assert client.get(f"/region/publicera/{published.pk}/").status_code == 404
    url = f"/region/publicera/{published.pk}/aterkalla/"
    assert client.post(url, {"reason": "Vill inte."}).status_code == 404
    assert "Fel" not in client.get(URL).content.decode()


def test_workers_and_the_network_leader_get_404(client, login, worker, leader, published):
    for user in (worker, leader):
        login(user)
        assert client.get(URL).status_code == 404
        assert client.get(f"/region/publicera/{published.pk}/").status_code == 404


def test_the_list_costs_the_same_for_one_and_for_many(client, login, head, member, region):
    login(head)
    client.get(URL)  # warm caches (content types, sessions)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    figure(head, region, 2020)
    one = cost()
    for year in (2021, 2022, 2023):
        figure(head, region, year)
    assert cost() == one
