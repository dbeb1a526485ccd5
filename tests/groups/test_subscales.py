"""Subscales: an instrument's items carry a subscale (instruments as data), shown in the
API; the effect report on one subscale is the sum of its items from the stored answers
(reversed items reversed, as the total), with the sample's own SD and Cronbach's alpha
of the subscale's items; checked against scipy. A measurement of the total only cannot
give a subscale (a note, never a 500 or NaN); a subscale the instrument lacks is 400."""

import datetime
import random

import numpy as np
import pytest
from scipy import stats

from kinsight.assessment.models import AnswerOption, Instrument, InstrumentItem
from kinsight.groups import queries, services
from kinsight.groups.effect import cronbach_alpha
from kinsight.groups.models import Measurement, Point
from tests.groups.conftest import add_anonymous

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 2, 1)
# number: (subscale, reversed); options score 0-3
ITEMS = {1: ("Oro", False), 2: ("Oro", True), 3: ("Oro", False), 4: ("Ilska", False)}
ITEMS |= {5: ("Ilska", True), 6: ("", False)}


@pytest.fixture
def duo(municipality, head, programme):
    """A generated instrument with two subscales (Oro, Ilska), a reversed item in each
    and an item in neither, measured before and after by the programme."""
    instrument = Instrument.objects.create(
        municipality=municipality, code="duo", name="Duo", for_children=True
    )
    for number, (subscale, reversed_) in ITEMS.items():
        item = InstrumentItem.objects.create(
            instrument=instrument,
            number=number,
            label=f"Fråga {number}",
            min_score=0,
            max_score=3,
            is_reversed=reversed_,
            subscale=subscale,
        )
        for score in range(4):
            AnswerOption.objects.create(item=item, order=score, label=str(score), score=score)
    for point in (Point.BEFORE, Point.AFTER):
        services.programme_measure_add(
            actor=head, programme=programme, instrument=instrument, point=point
        )
    return instrument


def subscale_sum(answers, subscale):
    return sum(
        3 - answers[str(n)] if reversed_ else answers[str(n)]
        for n, (name, reversed_) in ITEMS.items()
        if name == subscale
    )


@pytest.fixture
def measured(leader, cycle, duo):
    """Eight participants measured before and after with seeded answers; their
    answers by point."""
    rng = random.Random(12)
    given = {Point.BEFORE: [], Point.AFTER: []}
    for _ in range(8):
        member = add_anonymous(leader, cycle)
        services.participant_start(actor=leader, participant=member, expected_version=1, on=DAY)
        for point in (Point.BEFORE, Point.AFTER):
            answers = {str(n): rng.randint(0, 3) for n in ITEMS}
            services.measurement_record(
                actor=leader,
                participant=member,
                instrument=duo,
                point=point,
                answers=answers,
                answered_on=DAY,
            )
            given[point].append(answers)
    return given


def test_the_subscale_effect_agrees_with_scipy(head, duo, measured, settings):
    settings.KINSIGHT_GROUPS_MIN_N = 5
    report = queries.effect_report(actor=head, instrument=duo, subscale="Oro")
    before = [subscale_sum(a, "Oro") for a in measured[Point.BEFORE]]
    after = [subscale_sum(a, "Oro") for a in measured[Point.AFTER]]
    assert report.subscale == "Oro" and report.pairs == 8
    assert report.before == before and report.after == after
    expected = stats.ttest_rel(after, before)
    assert report.effect.t == pytest.approx(expected.statistic)
    assert report.effect.p == pytest.approx(expected.pvalue)
    changes = np.subtract(after, before)
    assert report.effect.d_z.estimate == pytest.approx(changes.mean() / changes.std(ddof=1))
    rows = [[a["1"], 3 - a["2"], a["3"]] for a in measured[Point.BEFORE]]
    alpha = cronbach_alpha(rows)
    sem = np.std(before, ddof=1) * np.sqrt(1 - max(alpha, 0.0))
    assert report.reliable.s_diff == pytest.approx(np.sqrt(2) * sem)
    assert report.reliable.recovered_count is None  # the cut-off is the total's
    assert report.norms_source.startswith("delskalan Oro: urvalets egen spridning")
    other = queries.effect_report(actor=head, instrument=duo, subscale="Ilska")
    assert other.before == [subscale_sum(a, "Ilska") for a in measured[Point.BEFORE]]
    total = queries.effect_report(actor=head, instrument=duo)
    assert total.subscale == "" and total.before != report.before


def test_a_measurement_of_the_total_only_gives_no_subscale(
    head, leader, cycle, duo, measured, settings
):
    settings.KINSIGHT_GROUPS_MIN_N = 5
    member = add_anonymous(leader, cycle)
    Measurement.objects.create(
        municipality=member.municipality,
        participant=member,
        instrument=duo,
        point=Point.BEFORE,
        answered_on=DAY,
        answers={},
        total_score=9,
    )
    report = queries.effect_report(actor=head, instrument=duo, subscale="Oro")
    assert report.measured_before == 8 and report.pairs == 8
    assert report.notes[0].startswith("1 mätningar har bara summan, inga svar per fråga")
    total = queries.effect_report(actor=head, instrument=duo)
    assert total.measured_before == 9 and not total.notes  # the total has its sum


def test_the_report_page_and_the_api_take_a_subscale(client, login, head, duo, measured, settings):
    settings.KINSIGHT_GROUPS_MIN_N = 5
    login(head)
    page = client.get("/stodgrupper/effekt/", {"instrument": duo.pk, "delskala": "Oro"})
    assert page.status_code == 200
    assert "Resultat för Duo, delskalan Oro" in page.content.decode()
    wrong = client.get("/stodgrupper/effekt/", {"instrument": duo.pk, "delskala": "Nej"})
    assert wrong.status_code == 400
    api = client.get("/api/v1/group-effect/", {"instrument": duo.pk, "subscale": "Ilska"})
    assert api.status_code == 200
    body = api.json()
    assert body["subscale"] == "Ilska" and body["pairs"] == 8
    assert body["before"] == [subscale_sum(a, "Ilska") for a in measured[Point.BEFORE]]
    refused = client.get("/api/v1/group-effect/", {"instrument": duo.pk, "subscale": "Nej"})
    assert refused.status_code == 400
    assert refused.json() == {"subscale": ["Duo har ingen delskala Nej."]}


def test_the_instrument_shows_its_items_subscales(client, login, head, duo):
    login(head)
    items = client.get(f"/api/v1/instruments/{duo.pk}/").json()["items"]
    assert [item["subscale"] for item in items] == ["Oro", "Oro", "Oro", "Ilska", "Ilska", ""]
