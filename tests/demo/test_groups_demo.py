"""The demo's support groups (kinsight.demo.generate.groups): a visible, plausible
effect, the demo leader's cycles and nothing of the NGO leader's, and a cycle running
now that gives the leader something to do today."""

import pytest

from kinsight.assessment.models import Instrument
from kinsight.core.models import Role, User
from kinsight.core.validation import today
from kinsight.demo.generate import generate_all
from kinsight.groups import queries
from kinsight.groups.models import Cycle, GroupApplication, GroupParticipant, Programme, Provider
from kinsight.groups.queries_applications import applications_new_count
from kinsight.groups.queries_referrals import open_referral_count
from kinsight.interventions.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    result, stages = generate_all(name="Gruppkommun", code="8402", persons=400, seed=3)
    return result.municipality, {label: made for label, made, _s in stages}


def _user(name):
    return User.objects.get(username=name)


def test_the_effect_is_visible_and_plausible(demo):
    municipality, _made = demo
    head = User.objects.filter(
        municipality=municipality, memberships__role=Role.HEAD_OF_SERVICES
    ).first()
    who5 = Instrument.objects.get(code="who5", municipality=None)
    for programme in Programme.objects.filter(municipality=municipality):
        report = queries.effect_report(actor=head, instrument=who5, programme_id=programme.pk)
        assert report.pairs >= 5, programme
        assert report.effect.change.estimate > 0, programme
        assert report.effect.change.low > 0 or programme.target_group == "parents"
    whole = queries.effect_report(actor=head, instrument=who5)
    assert whole.attrition > 0 and 0 < whole.anonymous_pairs < whole.pairs
    assert queries.reach(actor=head, year=today().year - 1)


def test_the_leaders_see_their_own_cycles(demo, client, login):
    municipality, made = demo
    assert made["groups"]["cycles"] == Cycle.objects.filter(municipality=municipality).count()
    assert (
        Provider.objects.filter(municipality=municipality, kind="external").get().grants.count()
        == 2
    )
    leader, ngo = _user("gruppledare"), _user("ngoledare")
    assert set(ngo.memberships.values_list("role", flat=True)) == {Role.GROUP_LEADER}
    login(leader)
    own = client.get("/api/v1/group-cycles/?page_size=100").json()["results"]
    assert len(own) >= 5
    assert {c["id"] for c in own} == set(
        Cycle.objects.filter(leaders=leader).values_list("pk", flat=True)
    )
    login(ngo)
    theirs = client.get("/api/v1/group-cycles/").json()["results"]
    assert theirs and not {c["id"] for c in theirs} & {c["id"] for c in own}
    assert client.get(f"/api/v1/group-cycles/{own[0]['id']}/").status_code == 404


def test_a_cycle_runs_now_with_something_to_do_today(demo):
    municipality, _made = demo
    running = Cycle.objects.get(
        municipality=municipality, start_on__lte=today(), end_on__gte=today()
    )
    assert running.leaders.get().username == "gruppledare"
    session = running.sessions.get(held_on=today())
    assert not session.attendance.exists()
    assert running.sessions.filter(held_on__lt=today(), attendance__isnull=True).count() == 0
    statuses = list(running.participants.values_list("status", flat=True))
    assert statuses.count("waiting") == 2 and statuses.count("active") == 6
    everyone = GroupParticipant.objects.filter(municipality=municipality)
    dropped = everyone.get(status="dropped")
    assert dropped.dropped_reason and not dropped.measurements.filter(point="after").exists()
    assert everyone.filter(person__isnull=False).exists()
    assert everyone.filter(person__isnull=True).exists()


def test_the_open_list_and_a_referral_lead_into_the_groups(demo, client):
    municipality, made = demo
    assert made["groups"]["referrals"] == 1
    public = client.get(f"/grupper/{municipality.code}/")
    assert public.status_code == 200
    offered = Cycle.objects.filter(municipality=municipality, is_public=True)
    assert offered.count() == 2
    for cycle in offered:
        assert cycle.programme.name in public.content.decode()
    leader = _user("gruppledare")
    applied = GroupApplication.objects.filter(municipality=municipality, status="new")
    assert applied.count() == 2 and {a.cycle.leaders.get() for a in applied} == {leader}
    referral = Referral.objects.get(municipality=municipality)
    assert referral.status == "sent" and referral.consent.purpose == "referral"
    assert (
        referral.to_unit_id
        == Programme.objects.get(municipality=municipality, name="Vågen").provider.unit_id
    )
    assert open_referral_count(actor=leader, day=today()) == 1
    assert applications_new_count(actor=leader) == 2
    assert open_referral_count(actor=_user("ngoledare"), day=today()) == 0
