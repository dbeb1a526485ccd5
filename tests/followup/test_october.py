"""The October survey's figures (kinsight.followup.october) on a known world
(tests/followup/october_world.py) and on random data recomputed by hand."""

import datetime
import random

import pytest

from kinsight.core.models import UnitType
from kinsight.followup.figures import REGISTRY, Period, Scope
from kinsight.followup.figures.october import census_of
from kinsight.followup.october import last_october
from kinsight.followup.october_tables import october_compare, october_survey
from tests.followup import factories as ff
from tests.followup import october_world
from tests.followup.october_world import CENSUS, EARLIER
from tests.people import factories as pf

ANSWERS = ("adults", "yes", "no", "unknown", "not_asked", "expecting")


@pytest.fixture
def world(municipality, org, worker):
    return october_world.build(municipality, org, worker)


def survey(actor, census=CENSUS, **kwargs):
    tables = october_survey(scope=Scope.for_actor(actor), census=census, **kwargs)
    return {table.key: table for table in tables}


def counts(row, keys=ANSWERS):
    return tuple(row.values[key] for key in keys)


def test_it_counts_the_questions_per_unit_and_each_person_once_in_the_total(head, world):
    table = survey(head)["october_unit"]
    rows = {row.label: row for row in table.rows}
    a, b = world["a"], world["b"]
    assert list(rows) == sorted([a.name, b.name])
    # Anna yes (expecting), Bo unknown, Cecilia and Eva (answered after) not asked, Dan no.
    assert counts(rows[a.name]) == (5, 1, 1, 1, 2, 1)
    # Dan yes, Ida yes: Dan is in both units.
    assert counts(rows[b.name]) == (2, 2, 0, 0, 0, 0)
    # The total counts persons: Dan once, with his most telling answer (yes).
    assert counts(table.total) == (6, 3, 0, 1, 2, 1)
    assert table.total.values["share_unknown"] == pytest.approx(1 / 6)
    assert table.total.values["share_not_asked"] == pytest.approx(2 / 6)


def test_it_breaks_the_persons_down_by_sex_and_age_band(head, world):
    tables = survey(head)
    by_sex = {row.key: counts(row) for row in tables["october_sex"].rows}
    assert by_sex["female"] == (4, 2, 0, 0, 2, 1)
    assert by_sex["male"] == (2, 1, 0, 1, 0, 0)
    assert by_sex["other"] == by_sex["none"] == (0, 0, 0, 0, 0, 0)
    by_band = {row.key: row.values["adults"] for row in tables["october_age"].rows}
    assert by_band == {"20-24": 0, "25-34": 1, "35-44": 2, "45-54": 2, "55-64": 1, "65+": 0}
    assert tables["october_age"].total.values["adults"] == 6


def test_it_tells_whom_the_children_live_with(head, world):
    table = survey(head)["october_living"]
    keys = ("yes", "full", "part", "not_living")
    rows = {row.label: counts(row, keys) for row in table.rows}
    assert rows[world["a"].name] == (1, 1, 0, 0)  # Anna: Kim full time
    assert rows[world["b"].name] == (2, 0, 1, 1)  # Dan: alternating; Ida: elsewhere
    assert counts(table.total, keys) == (3, 1, 1, 1)


def test_it_counts_as_of_an_earlier_census_date(head, world):
    table = survey(head, EARLIER)["october_unit"]
    # Anna yes, Dan no, Bo (24 then) not asked yet; nobody in B yet.
    assert counts(table.total) == (3, 1, 1, 0, 1, 1)
    assert table.rows[1].values["adults"] == 0 or table.rows[0].values["adults"] == 0


def test_the_unit_types_are_configurable(head, world):
    table = survey(head, unit_types=[UnitType.CHILDREN_YOUTH])["october_unit"]
    assert counts(table.total) == (1, 0, 0, 1, 0, 0)  # Hugo
    both = survey(head, unit_types=[UnitType.CHILDREN_YOUTH, UnitType.ADULTS_ADDICTION])
    assert both["october_unit"].total.values["adults"] == 7


def test_a_unit_manager_gets_the_figures_of_their_unit_only(manager, world):
    table = survey(manager)["october_unit"]
    assert [row.label for row in table.rows] == [world["a"].name]
    assert counts(table.total) == (5, 1, 1, 1, 2, 1)


def test_it_compares_two_rounds_with_the_change_in_the_share(head, world):
    table = october_compare(scope=Scope.for_actor(head), first=EARLIER, second=CENSUS)
    rows = {row.key: row.values for row in table.rows}
    assert (table.total.values["first"], table.total.values["second"]) == (3, 6)
    assert (rows["unknown"]["first"], rows["unknown"]["second"]) == (0, 1)
    assert rows["unknown"]["change"] == pytest.approx(16.7)
    assert rows["not_asked"]["change"] == pytest.approx(0.0)
    assert rows["yes"]["change"] == pytest.approx(50 - 33.3, abs=0.1)


def test_the_published_tables_hide_small_counts(head, world):
    published = survey(head)["october_unit"].published()
    assert published.total.values["adults"] is None or published.total.values["adults"] >= 5
    assert all(
        value is None or value == 0 or value >= 5
        for row in published.all_rows()
        for column in published.columns
        if column.is_count and (value := row.values[column.key]) is not None
    )


def test_it_is_a_figure_counted_on_the_last_31_october_of_the_period(head, world):
    definition = REGISTRY["october"]
    scope = Scope.for_actor(head)
    tables = definition.compute(scope, Period.year(2026, "year"), "sex")
    assert [table.key for table in tables] == ["october_sex"]
    assert tables[0].total.values["adults"] == 6  # 2026-10-31
    earlier = definition.compute(
        scope, Period(datetime.date(2025, 1, 1), datetime.date(2025, 9, 1)), "unit"
    )
    assert [table.key for table in earlier] == ["october_unit", "october_living"]
    assert earlier[0].total.values["adults"] == 3  # 2024-10-31
    assert census_of(Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 1))) == CENSUS


def test_the_default_census_is_the_last_31_october():
    assert last_october(datetime.date(2026, 12, 2)) == datetime.date(2026, 10, 31)
    assert last_october(datetime.date(2026, 10, 30)) == datetime.date(2025, 10, 31)


@pytest.mark.parametrize("extra", [0, 12])
def test_a_kept_round_costs_two_statements_whatever_the_number_of_cases(
    head, world, municipality, worker, django_assert_num_queries, extra
):
    for n in range(extra):
        person = pf.person(municipality, f"Extra{n}", "Testsson", sex="male")
        case = pf.case(person, world["a"], opened_on=datetime.date(2025, 1, 1))
        ff.question(case, "no", by=worker, on=datetime.date(2025, 2, 1))
    scope = Scope.for_actor(head)
    october_compare(scope=scope, first=EARLIER, second=CENSUS)  # the rounds counted, kept
    with django_assert_num_queries(2):
        october_survey(scope=scope, census=CENSUS)
    with django_assert_num_queries(2):
        october_compare(scope=scope, first=EARLIER, second=CENSUS)


def test_it_agrees_with_a_count_by_hand_on_random_data(head, org, municipality, worker):
    """Random cases, answers and dates; the totals recomputed in Python from the rows."""
    rng = random.Random(13)
    units = [org["units"][UnitType.ADULTS_ADDICTION], org["units"][UnitType.VIOLENCE]]
    rank = {"": 0, "unknown": 1, "no": 2, "yes": 3}
    cases = []
    people = [
        pf.person(
            municipality, f"P{n}", "Slump", birth_date=datetime.date(rng.randint(1950, 2010), 6, 1)
        )
        for n in range(15)
    ]
    for _n in range(30):
        person = rng.choice(people)
        opened = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 400))
        closed = (
            opened + datetime.timedelta(days=rng.randint(1, 300)) if rng.random() < 0.3 else None
        )
        case = pf.case(
            person,
            rng.choice(units),
            opened_on=opened,
            closed_on=closed,
            status="avslutad" if closed else "utredning",
        )
        answer = rng.choice(["", "yes", "no", "unknown"])
        on = opened + datetime.timedelta(days=rng.randint(0, 200))
        ff.question(case, answer, by=worker, on=on)
        cases.append((case, person, answer, on, closed))
    best: dict[int, int] = {}
    for case, person, answer, on, closed in cases:
        if case.opened_on > CENSUS or (closed and closed <= CENSUS):
            continue
        if (CENSUS.year - person.birth_date.year) - ((CENSUS.month, CENSUS.day) < (6, 1)) < 20:
            continue
        known = rank[answer] if answer and on <= CENSUS else 0
        best[person.pk] = max(best.get(person.pk, 0), known)
    table = october_survey(
        scope=Scope.for_actor(head),
        census=CENSUS,
        unit_types=[UnitType.ADULTS_ADDICTION, UnitType.VIOLENCE],
    )[0]
    expected = {
        key: sum(1 for r in best.values() if r == rank[answer])
        for key, answer in (("yes", "yes"), ("no", "no"), ("unknown", "unknown"), ("not_asked", ""))
    }
    assert counts(table.total, ("adults", "yes", "no", "unknown", "not_asked")) == (
        len(best),
        expected["yes"],
        expected["no"],
        expected["unknown"],
        expected["not_asked"],
    )


def test_a_past_round_is_kept_and_the_nightly_run_counts_late_entries(
    head, world, municipality, worker
):
    from kinsight.audit.models import AuditEntry
    from kinsight.followup.models import OctoberRound
    from kinsight.followup.october_rounds import ROUND_TYPE, recount_rounds

    assert survey(head)["october_unit"].total.values["adults"] == 6
    kept = OctoberRound.objects.get(municipality=municipality, census=CENSUS)
    assert AuditEntry.objects.filter(object_type=ROUND_TYPE, object_id=str(kept.pk)).exists()
    # A case registered late, opened before the census date: the kept round stands ...
    late = pf.person(municipality, "Sen", "Testsson", birth_date=datetime.date(1980, 1, 1))
    pf.case(late, world["a"], opened_on=datetime.date(2026, 1, 1))
    assert survey(head)["october_unit"].total.values["adults"] == 6
    # ... until the nightly run counts the kept rounds again (and keeps the defaults).
    assert recount_rounds(municipality=municipality) >= 1
    assert survey(head)["october_unit"].total.values["adults"] == 7
    assert survey(head)["october_unit"].total.values["not_asked"] == 3


def test_a_census_date_of_today_is_counted_and_not_kept(head, world, municipality):
    from django.utils import timezone

    from kinsight.followup.models import OctoberRound

    today = timezone.localdate()
    assert survey(head, today)["october_unit"].total.values["adults"] >= 0
    assert not OctoberRound.objects.filter(municipality=municipality, census=today).exists()


def test_the_unknown_sex_and_age_have_the_same_words_in_every_figure():
    from kinsight.followup.figures.equality import UNKNOWN_LABELS, other_label
    from kinsight.followup.october import SEXES

    assert other_label("age_band") == "Okänd ålder" == str(UNKNOWN_LABELS["age"])
    assert str(SEXES[-1][1]) == "Kön ej angivet" == str(UNKNOWN_LABELS["sex"])


def test_the_nightly_run_drops_a_round_of_another_day_than_31_october(head, world, municipality):
    from kinsight.followup.models import OctoberRound
    from kinsight.followup.october_rounds import recount_rounds

    other_day = datetime.date(2026, 6, 30)
    survey(head, other_day)
    survey(head, CENSUS)
    assert OctoberRound.objects.filter(municipality=municipality, census=other_day).exists()
    recount_rounds(municipality=municipality)
    kept = set(
        OctoberRound.objects.filter(municipality=municipality).values_list("census", flat=True)
    )
    assert other_day not in kept and {CENSUS, EARLIER} <= kept
    assert survey(head, other_day)["october_unit"].total.values["adults"] >= 0  # counted again
