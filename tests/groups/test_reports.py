"""The effect report and the reach as the head of services and a leader read them:
aggregates only, the minimum n, the norms' source, and who may read them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from kinsight.groups import queries, services
from kinsight.groups.effect import IMPROVED, paired_effect
from kinsight.groups.models import Point
from tests.groups.conftest import add_anonymous, answers

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 2, 1)
BEFORE = [8, 10, 11, 9, 12, 7, 13]
AFTER = [14, 15, 11, 16, 18, 9, 20]


def measured_group(leader, cycle, who5, before=BEFORE, after=AFTER):
    for b, a in zip(before, after, strict=False):
        member = add_anonymous(leader, cycle)
        services.participant_start(actor=leader, participant=member, expected_version=1, on=DAY)
        for point, total in ((Point.BEFORE, b), (Point.AFTER, a)):
            if total is None:
                continue
            services.measurement_record(
                actor=leader,
                participant=member,
                instrument=who5,
                point=point,
                answers=answers(total),
                answered_on=DAY,
            )


def test_the_effect_agrees_with_the_statistics_and_says_where_the_norms_come_from(
    head, leader, cycle, who5
):
    measured_group(leader, cycle, who5)
    report = queries.effect_report(actor=head, instrument=who5, programme_id=cycle.programme_id)
    assert (report.measured_before, report.pairs, report.attrition) == (7, 7, 0)
    assert report.anonymous_pairs == 7
    expected = paired_effect(BEFORE, AFTER)
    assert report.effect.change.estimate == pytest.approx(expected.change.estimate)
    assert report.effect.g.low == pytest.approx(expected.g.low)
    # WHO-5 ships without published norms: the sample's own, said in the report.
    assert "Cronbachs alfa" in report.norms_source
    assert report.reliable.count(IMPROVED) >= 1
    # Higher is better and the cut-off is 12.5: 8 -> 14 is a recovery when reliable.
    assert report.reliable.recovered_count is not None


def test_below_the_minimum_n_only_counts_are_shown(head, leader, cycle, who5, settings):
    settings.KINSIGHT_GROUPS_MIN_N = 5
    measured_group(leader, cycle, who5, before=[8, 9, 10, 11], after=[12, 13, None, None])
    report = queries.effect_report(actor=head, instrument=who5)
    assert (report.measured_before, report.pairs, report.attrition) == (4, 2, 2)
    assert report.effect is None and report.reliable is None and report.before == []
    assert "bara antal" in report.notes[0]


def test_no_measurements_give_a_note_not_an_error(head, cycle, who5):
    report = queries.effect_report(actor=head, instrument=who5, year=2026)
    assert (report.pairs, report.effect) == (0, None)
    assert report.notes


def test_zero_variance_is_a_note_not_nan(head, leader, cycle, who5, settings):
    settings.KINSIGHT_GROUPS_MIN_N = 2
    measured_group(leader, cycle, who5, before=[8, 10, 12], after=[11, 13, 15])
    report = queries.effect_report(actor=head, instrument=who5, cycle=cycle)
    assert report.effect is None
    assert any("spridningen är noll" in note for note in report.notes)


def test_a_leader_reads_their_own_cycle_only(leader, other_leader, cycle, who5, worker):
    measured_group(leader, cycle, who5)
    assert queries.effect_report(actor=leader, instrument=who5, cycle=cycle).pairs == 7
    for actor in (other_leader, worker):
        with pytest.raises(PermissionDenied):
            queries.effect_report(actor=actor, instrument=who5, cycle=cycle)
    with pytest.raises(PermissionDenied):
        queries.effect_report(actor=leader, instrument=who5, year=2026)


def test_reach_counts_participants_per_provider_district_and_target_group(
    head, leader, cycle, who5
):
    measured_group(leader, cycle, who5, before=[8, 9], after=[None, None])
    add_anonymous(leader, cycle)  # still waiting: not reached
    rows = queries.reach(actor=head, year=2026)
    assert rows == [
        {
            "cycle__programme__provider__name": "Familjeenheten Norr",
            "cycle__district__name": "Norr",
            "cycle__programme__target_group": "children",
            "total": 2,
            "anonymous": 2,
        }
    ]
    assert queries.reach(actor=head, year=2025) == []
    with pytest.raises(PermissionDenied):
        queries.reach(actor=leader, year=2026)
