"""The API base's tests run against every app's endpoints with the family-work
personas (tests/family/conftest.py): ``worker`` coordinates the family work of Anna,
Per and Kim; ``bystander`` works in a unit that takes no part in it."""

import datetime

import pytest

from kinsight.assessment import services as assessment_services
from kinsight.core.models import Membership, Role
from kinsight.family import services as family_services
from kinsight.groups import services as group_services
from kinsight.interventions import services as intervention_services
from kinsight.sso.models import SsoConfig
from tests import factories
from tests.family.conftest import *  # noqa: F403 - the same personas
from tests.people import factories as pf

JSON = "application/json"


def _meeting(worker, work):
    return family_services.meeting_create(
        actor=worker, family_work=work, held_on=datetime.date.today(), place="Rum 1"
    )


def _retention_rule(administrator):
    from kinsight.retention.models import RetentionRule
    from kinsight.retention.services import rules_ensure

    rules_ensure(administrator.municipality_id)
    return RetentionRule.objects.get(municipality=administrator.municipality, kind="person_file")


def _provider(administrator):
    return group_services.provider_create(
        actor=administrator, name="Föreningen", kind="external", contact="Först"
    )


def _led_cycle(f):
    """A cycle led by ``worker``, made a group leader for the purpose."""
    worker, admin, org = f["worker"], f["administrator"], f["org"]
    Membership.objects.create(
        municipality=worker.municipality,
        user=worker,
        unit=org["district"],
        role=Role.GROUP_LEADER,
    )
    programme = group_services.programme_create(
        actor=admin,
        name="Vågen",
        problem_area="addiction",
        target_group="children",
        group_sessions=10,
        provider=_provider(admin),
    )
    cycle = group_services.cycle_create(
        actor=admin,
        programme=programme,
        name="Vågen våren",
        district=org["district"],
        start_on=datetime.date.today(),
        leaders=[worker],
    )
    return cycle


def _cycle_note(f):
    """A draft note by ``worker`` on a cycle they lead."""
    return group_services.cycle_note_create(actor=f["worker"], cycle=_led_cycle(f), text="Utkast")


# Every endpoint that takes PUT or PATCH: (router prefix, who edits, the record, a change).
UPDATES = {
    "org-units": ("administrator", lambda f: f["org"]["district"], {"name": "Ny"}),
    "staff": ("administrator", lambda f: f["worker"], {"first_name": "Ny"}),
    "persons": ("worker", lambda f: f["open_case"].person, {"first_name": "Ny"}),
    "cases": ("worker", lambda f: f["open_case"], {"subject": "Ny"}),
    "notes": (
        "worker",
        lambda f: pf.note(f["open_case"], f["worker"], "Utkast", signed=False),
        {"text": "Ny"},
    ),
    "family-work": ("worker", lambda f: f["work"], {"title": "Ny"}),
    "family-meetings": ("worker", lambda f: _meeting(f["worker"], f["work"]), {"place": "Ny"}),
    "family-meeting-notes": (
        "worker",
        lambda f: family_services.minutes_create(
            actor=f["worker"], meeting=_meeting(f["worker"], f["work"]), text="Utkast"
        ),
        {"text": "Ny"},
    ),
    "assessment-parts": (
        "worker",
        lambda f: assessment_services.part_save(
            actor=f["worker"],
            family_work=f["work"],
            perspective_key="family",
            unit=f["adult_unit"],
            data={"needs": "Först"},
            expected_version=0,
        ),
        {"needs": "Ny"},
    ),
    "interventions": (
        "administrator",
        lambda f: intervention_services.intervention_create(
            actor=f["administrator"],
            name="Stödsamtal",
            target="child",
            provider_kind="external",
            provider_name="Föreningen",
            format="group",
        ),
        {"name": "Ny"},
    ),
    "group-cycle-notes": ("worker", _cycle_note, {"text": "Ny"}),
    "group-cycles": ("worker", _led_cycle, {"venue": "Ny"}),
    "group-providers": (
        "administrator",
        lambda f: _provider(f["administrator"]),
        {"contact": "Ny"},
    ),
    "group-programmes": (
        "administrator",
        lambda f: group_services.programme_create(
            actor=f["administrator"],
            name="Vågen",
            problem_area="addiction",
            target_group="children",
            group_sessions=10,
            provider=_provider(f["administrator"]),
        ),
        {"description": "Ny"},
    ),
    "sso-config": (
        "administrator",
        lambda f: SsoConfig.objects.create(municipality=f["administrator"].municipality),
        {"provider_name": "Ny"},
    ),
    "retention-rules": (
        "administrator",
        lambda f: _retention_rule(f["administrator"]),
        {"years": 6},
    ),
}


@pytest.fixture
def head_of_services(municipality, org):
    return factories.staff(
        municipality, role=Role.HEAD_OF_SERVICES, unit=org["administration"], username="head1"
    )


@pytest.fixture
def fixtures(request, db):
    """Fixtures by name, built on first use (only what a case needs)."""

    class Lazy(dict):
        def __missing__(self, name):
            self[name] = request.getfixturevalue(name)
            return self[name]

    return Lazy()
