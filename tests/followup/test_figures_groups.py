"""The support groups' figures: reach (anonymous participants counted, the waiting list
not), effect where both measurements exist (counts only below the minimum n), empty
tables with a note when there are no groups, the districts a scope covers, and a fixed
number of statements."""

import datetime

import pytest

from kinsight.assessment.models import Instrument
from kinsight.audit.models import AuditEntry
from kinsight.core.models import NodeKind, OrgUnit, Role, UnitType
from kinsight.followup.figures import REGISTRY, Period, Scope
from kinsight.groups import services
from kinsight.groups.effect import paired_effect
from kinsight.groups.models import Point
from kinsight.interventions.models import ProviderKind
from tests import factories
from tests.groups.conftest import add_anonymous, answers

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = Period.year(2026)
BEFORE = [8, 10, 11, 9, 12, 7, 13]
AFTER = [14, 15, 11, 16, 18, 9, 20]


def compute(actor, by="period", period=YEAR, **scope):
    return REGISTRY["support_groups"].compute(Scope.for_actor(actor, **scope), period, by)


def rows(table, column):
    return {row.key: row.values[column] for row in table.all_rows()}


@pytest.fixture
def south(municipality, org):
    district = OrgUnit.objects.create(
        municipality=municipality,
        parent=org["administration"],
        kind=NodeKind.DISTRICT,
        name="Söder",
    )
    unit = OrgUnit.objects.create(
        municipality=municipality,
        parent=district,
        kind=NodeKind.UNIT,
        unit_type=UnitType.ADULTS_ADDICTION,
        name="Vuxna Söder",
    )
    manager = factories.staff(municipality, role=Role.UNIT_MANAGER, unit=unit, username="south1")
    return {"district": district, "unit": unit, "manager": manager}


@pytest.fixture
def groups(head, org, south, municipality):
    who5 = Instrument.objects.get(code="who5", municipality=None)
    leader = factories.staff(
        municipality, role=Role.GROUP_LEADER, unit=org["district"], username="leader1"
    )
    provider = services.provider_create(
        actor=head,
        name="Familjeenheten Norr",
        kind=ProviderKind.OWN_UNIT,
        unit=org["units"][UnitType.FAMILIES],
    )
    programme = services.programme_create(
        actor=head,
        name="Vågen",
        problem_area="addiction",
        target_group="children",
        min_age=7,
        max_age=12,
        group_sessions=10,
        individual_talks=0,
        provider=provider,
    )
    for point in (Point.BEFORE, Point.AFTER):
        services.programme_measure_add(
            actor=head, programme=programme, instrument=who5, point=point
        )

    def cycle(name, district, start):
        return services.cycle_create(
            actor=head,
            programme=programme,
            name=name,
            district=district,
            start_on=start,
            end_on=start + datetime.timedelta(days=90),
            leaders=[leader],
        )

    def started(made, **extra):
        member = add_anonymous(leader, made, **extra)
        services.participant_start(actor=leader, participant=member, expected_version=1, on=start)
        return member

    start = D(2026, 1, 15)
    measured = cycle("Vågen våren", org["district"], start)
    for before, after in zip(BEFORE, AFTER, strict=True):
        member = started(measured, sex="female")
        for point, total in ((Point.BEFORE, before), (Point.AFTER, after)):
            services.measurement_record(
                actor=leader,
                participant=member,
                instrument=who5,
                point=point,
                answers=answers(total),
                answered_on=start,
            )
    start = D(2026, 3, 2)
    unmeasured = cycle("Vågen mars", org["district"], start)
    started(unmeasured, age_band="13-16")
    started(unmeasured)
    add_anonymous(leader, unmeasured)  # the waiting list: not reached
    start = D(2026, 2, 2)
    started(cycle("Vågen Söder", south["district"], start))
    return {"who5": who5}


def test_reach_by_hand(groups, head):
    reach, providers, _effect = compute(head)
    participants = rows(reach, "participants")
    assert (participants["2026-01-01"], participants["2026-02-01"]) == (7, 1)
    assert (participants["2026-03-01"], participants["total"]) == (2, 10)
    assert rows(reach, "anonymous")["total"] == 10
    assert [row.label for row in providers.rows] == [
        "Familjeenheten Norr – Norr – Barn",
        "Familjeenheten Norr – Söder – Barn",
    ]
    assert rows(providers, "participants")["total"] == 10


def test_reach_by_age_band_and_sex(groups, head):
    (by_age, *_rest) = compute(head, by="age_band")
    assert (rows(by_age, "participants")["7-12"], rows(by_age, "participants")["13-16"]) == (9, 1)
    (by_sex, *_rest) = compute(head, by="sex")
    assert rows(by_sex, "participants")["female"] == 7
    assert rows(by_sex, "participants")["unknown"] == 3


def test_effect_where_both_measurements_exist(groups, head):
    (effect,) = compute(head)[2:]
    (row,) = effect.rows
    assert row.label == str(groups["who5"])
    assert (row.values["measured_before"], row.values["pairs"]) == (7, 7)
    assert row.values["anonymous_pairs"] == 7
    expected = paired_effect(BEFORE, AFTER)
    assert row.values["change"] == pytest.approx(expected.change.estimate)
    assert row.values["change_low"] == pytest.approx(expected.change.low)
    assert 0 < row.values["improved"] <= 1


def test_below_the_minimum_n_only_counts(groups, head, settings):
    settings.KINSIGHT_GROUPS_MIN_N = 8
    (row,) = compute(head)[2].rows
    assert row.values["pairs"] == 7
    assert "change" not in row.values and "improved" not in row.values


def test_no_groups_give_empty_tables_with_a_note(groups, head):
    reach, providers, effect = compute(head, period=Period.year(2025))
    assert reach.total.values["participants"] == 0
    assert providers.rows == [] and effect.rows == []
    assert "inga stödgrupper" in reach.definition
    assert "inga mätningar" in effect.definition
    # Published, the empty tables are still tables (nothing to hide, no error).
    assert effect.published().as_dict()["rows"] == []


def test_a_scope_covers_the_districts_of_its_units(groups, manager, south):
    norr = compute(manager)[0]
    assert norr.total.values["participants"] == 9
    söder = compute(south["manager"])[0]
    assert söder.total.values["participants"] == 1
    # The south manager asking for a unit of Norr: not theirs, nothing.
    asked = compute(south["manager"], unit=manager.memberships.get().unit)[0]
    assert asked.total.values["participants"] == 0


def test_a_fixed_number_of_statements(groups, head, django_assert_num_queries):
    scope = Scope.for_actor(head)
    for by in REGISTRY["support_groups"].breakdowns:
        with django_assert_num_queries(4):
            REGISTRY["support_groups"].compute(scope, YEAR, by)


def test_the_figures_page_shows_each_breakdown_and_publishes_the_csv(client, login, groups, head):
    login(head)
    for key in ("support_groups", "young_carers_interpreting", "family_work", "interventions"):
        for by in REGISTRY[key].breakdowns:
            url = f"/uppfoljning/nyckeltal/?definition={key}&by={by}&start=2026-01&end=2026-12"
            assert client.get(url).status_code == 200, (key, by)
    url = "/uppfoljning/nyckeltal/?definition=support_groups&by=age_band&start=2026-01&end=2026-12"
    page = client.get(url).content.decode()
    assert "Stödgrupper: deltagare" in page and "Stödgrupper: effekt före–efter" in page
    csv = client.get(f"{url}&format=csv&table=support_groups_reach").content.decode()
    # 9 of 7-12 and 1 of 13-16: the one hidden, and the nine with it (complementary).
    assert "13–16 år;<5;<5;0;0" in csv
    assert "7–12 år;<5;<5;0;0" in csv  # else 10 - 9 gives the one back
    assert "Totalt;10;10;0;0" in csv


def test_the_api_publishes_the_groups_with_the_effect_and_audits_the_export(
    client, login, groups, head, worker
):
    login(head)
    url = "/api/v1/followup/figures/support_groups/"
    data = client.get(url, {"by": "age_band", "from": "2026-01", "to": "2026-12"}).json()
    tables = {table["key"]: table for table in data["tables"]}
    reach = {row["key"]: row for row in tables["support_groups_reach"]["rows"]}
    assert (reach["7-12"]["participants"], reach["13-16"]["participants"]) == ("<5", "<5")
    (effect,) = tables["support_groups_effect"]["rows"]
    assert (effect["pairs"], effect["anonymous_pairs"]) == (7, 7)
    assert effect["change"] == pytest.approx(paired_effect(BEFORE, AFTER).change.estimate)
    entry = AuditEntry.objects.filter(action="export", object_type="followup.figure").get()
    assert (entry.actor, entry.object_id) == (head, "support_groups")
    login(worker)
    assert client.get(url).status_code == 404
