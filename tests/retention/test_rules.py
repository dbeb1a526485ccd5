"""Each rule's edge, by asking on either side of it (the proposal takes its day)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kinsight.cases.models import Case
from kinsight.retention import services
from kinsight.retention.models import ArchiveMark, LegalHold, Proposal, RetentionRule, RuleKind
from tests.retention.conftest import DAY, due_ids, old_file, years_after

pytestmark = pytest.mark.usefixtures("rules")


def test_it_proposes_a_file_five_years_and_a_day_after_its_last_entry(municipality, adults):
    person = old_file(municipality, adults)
    assert due_ids(municipality, years_after(DAY, 5)) == set()
    assert due_ids(municipality, years_after(DAY, 5, 1)) == {person.pk}


def test_it_keeps_files_of_persons_born_on_the_5th_15th_and_25th(municipality, adults):
    kept = [old_file(municipality, adults, born=datetime.date(1980, 4, d)) for d in (5, 15, 25)]
    sixth = old_file(municipality, adults, born=datetime.date(1980, 4, 6))
    assert due_ids(municipality, years_after(DAY, 6)) == {sixth.pk}
    proposal = Proposal.objects.get()
    research = RetentionRule.objects.get(municipality=municipality, kind=RuleKind.RESEARCH)
    assert proposal.counts["kept"][str(research.pk)] == len(kept)


def test_it_keeps_child_protection_documentation_from_15_january_2026_until_30(
    municipality, children_unit
):
    born = datetime.date(2010, 6, 6)
    before = old_file(municipality, children_unit, born=born, day=datetime.date(2026, 1, 14))
    after = old_file(municipality, children_unit, born=born, day=datetime.date(2026, 1, 15))
    assert due_ids(municipality, datetime.date(2040, 6, 5)) == {before.pk}
    Proposal.objects.all().delete()
    assert due_ids(municipality, datetime.date(2040, 6, 6)) == {before.pk, after.pk}


def test_a_child_protection_case_in_an_adults_unit_is_not_kept_to_30(municipality, adults):
    person = old_file(municipality, adults, born=datetime.date(2010, 6, 6))
    assert due_ids(municipality, years_after(DAY, 6)) == {person.pk}


def test_it_keeps_a_file_with_an_open_case(municipality, adults):
    old_file(municipality, adults, open_case=True)
    assert due_ids(municipality, years_after(DAY, 20)) == set()


def test_it_keeps_a_file_under_legal_hold_until_the_hold_ends(municipality, adults, administrator):
    person = old_file(municipality, adults)
    today = years_after(DAY, 6)
    hold = LegalHold.objects.create(
        municipality=municipality,
        person=person,
        reason="Tvist",
        until=today,
        created_by=administrator,
    )
    assert due_ids(municipality, today) == set()
    assert due_ids(municipality, today + datetime.timedelta(days=1)) == {person.pk}
    assert hold.in_force(today)


def test_it_keeps_an_archive_worthy_file(municipality, adults, administrator):
    person = old_file(municipality, adults)
    services.archive_mark(actor=administrator, person_id=person.pk, reason="Arkivvärdig")
    assert ArchiveMark.objects.filter(person=person).exists()
    assert due_ids(municipality, years_after(DAY, 6)) == set()


def test_it_never_culls_parenthood_or_adoption(municipality, org):
    old_file(municipality, org["units"]["family_law"])
    assert due_ids(municipality, years_after(DAY, 50)) == set()


def test_a_new_entry_moves_the_day(municipality, adults):
    person = old_file(municipality, adults)
    Case.objects.filter(person=person).update(closed_on=datetime.date(2027, 1, 1))
    assert due_ids(municipality, years_after(DAY, 5, 1)) == set()


def test_nothing_is_proposed_when_the_person_file_rule_is_off(municipality, adults, administrator):
    old_file(municipality, adults)
    rule = RetentionRule.objects.get(municipality=municipality, kind=RuleKind.PERSON_FILE)
    services.rule_update(
        actor=administrator, rule=rule, expected_version=rule.version, active=False
    )
    assert due_ids(municipality, years_after(DAY, 6)) == set()


def test_a_rule_refuses_years_out_of_range(administrator, municipality):
    rule = RetentionRule.objects.get(municipality=municipality, kind=RuleKind.PERSON_FILE)
    with pytest.raises(ValidationError, match="från 1 till 100"):
        services.rule_update(actor=administrator, rule=rule, expected_version=1, years=0)


def test_one_proposal_at_a_time(municipality, adults):
    old_file(municipality, adults)
    assert services.proposal_create(municipality.pk, years_after(DAY, 6)) is not None
    assert services.proposal_create(municipality.pk, years_after(DAY, 6)) is None


def test_it_keeps_a_file_while_its_register_extract_is_handled(municipality, adults, log_reviewer):
    from kinsight.dpo.models import ExtractRequest

    person = old_file(municipality, adults)
    request = ExtractRequest.objects.create(
        municipality=municipality,
        person=person,
        received_on=DAY,
        due_on=DAY,
        received_by=log_reviewer,
    )
    assert due_ids(municipality, years_after(DAY, 6)) == set()
    ExtractRequest.objects.filter(pk=request.pk).update(status="released")
    Proposal.objects.all().delete()
    assert due_ids(municipality, years_after(DAY, 6)) == {person.pk}


def test_the_nightly_command_proposes_per_municipality(municipality, adults, capsys):
    from django.core.management import call_command

    old_file(municipality, adults, day=datetime.date(2015, 1, 1))
    call_command("retention_propose")
    call_command("retention_propose", municipality=municipality.code)
    out = capsys.readouterr().out
    assert f"{municipality.code}: 1 person file(s) proposed" in out
    assert f"{municipality.code}: nothing new to propose" in out
