"""visible_to(user, action): deny by default, tenant first, per-role rules.

The permission matrix: each role × each action on each foundation model."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kinsight.audit.models import AuditEntry
from kinsight.audit.services import audit_read
from kinsight.core.models import Membership, OrgUnit, Role, UnitType, User
from tests import factories

pytestmark = pytest.mark.django_db

# role → {model: set of actions the role may take on its municipality's rows}
EXPECTED = {
    Role.CASE_WORKER: {"orgunit": {"view"}, "user": {"view"}, "membership": {"view"}},
    Role.UNIT_MANAGER: {"orgunit": {"view"}, "user": {"view"}, "membership": {"view"}},
    Role.HEAD_OF_SERVICES: {"orgunit": {"view"}, "user": {"view"}, "membership": {"view"}},
    Role.GROUP_LEADER: {"orgunit": {"view"}, "user": {"view"}, "membership": {"view"}},
    Role.NETWORK_LEADER: {"orgunit": {"view"}, "user": {"view"}, "membership": {"view"}},
    Role.ADMINISTRATOR: {
        "orgunit": {"view", "change"},
        "user": {"view", "change"},
        "membership": {"view", "change"},
    },
    Role.LOG_REVIEWER: {
        "orgunit": {"view"},
        "user": {"view"},
        "membership": {"view"},
        "auditentry": {"view", "export"},
    },
}
MODELS = {"orgunit": OrgUnit, "user": User, "membership": Membership, "auditentry": AuditEntry}
ACTIONS = ["view", "change", "create", "delete", "export"]


@pytest.fixture
def world(municipality, org, other_municipality, other_org):
    """Rows of every model in two municipalities."""
    ours = factories.staff(
        municipality, role=Role.CASE_WORKER, unit=org["units"][UnitType.VIOLENCE]
    )
    theirs = factories.staff(
        other_municipality, role=Role.CASE_WORKER, unit=other_org["units"][UnitType.VIOLENCE]
    )
    from django.db import transaction

    with transaction.atomic():
        audit_read(actor=ours, obj=ours)
        audit_read(actor=theirs, obj=theirs)
    return {"ours": ours, "theirs": theirs}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("model_name", list(MODELS))
def test_it_follows_the_permission_matrix(world, municipality, org, role, action, model_name):
    unit = org["units"][UnitType.ADULTS_ADDICTION]
    actor = factories.staff(municipality, role=role, unit=unit)
    model = MODELS[model_name]
    visible = model.objects.visible_to(actor, action)
    allowed = action in EXPECTED[role].get(model_name, set())
    ours = model.objects.filter(municipality=municipality)
    if allowed:
        assert set(visible) == set(ours) and visible.exists()
    else:
        assert not visible.exists()
    # Never a row of another municipality, whatever the role or action.
    assert not visible.exclude(municipality=municipality).exists()


def test_it_shows_nothing_to_an_anonymous_user(world):
    assert not OrgUnit.objects.visible_to(AnonymousUser(), "view").exists()


def test_it_shows_nothing_to_a_deactivated_user(world, administrator):
    administrator.is_active = False
    assert not OrgUnit.objects.visible_to(administrator, "view").exists()


def test_it_shows_nothing_to_staff_without_municipality(world, org):
    technical = User.objects.create(username="ops")
    assert not OrgUnit.objects.visible_to(technical, "view").exists()


def test_it_refuses_an_unknown_action(world, administrator):
    with pytest.raises(ValueError):
        OrgUnit.objects.visible_to(administrator, "peek")


def test_it_scopes_a_unit_role_to_its_subtree(municipality, org):
    head = factories.staff(municipality, role=Role.HEAD_OF_SERVICES, unit=org["district"])
    scoped = head.units_with_role(Role.HEAD_OF_SERVICES)
    assert org["district"].pk in scoped
    assert all(unit.pk in scoped for unit in org["units"].values())
    assert org["board"].pk not in scoped


def test_it_ignores_ended_memberships(municipality, org):
    import datetime

    user = factories.staff(municipality)
    Membership.objects.create(
        municipality=municipality,
        user=user,
        unit=org["board"],
        role=Role.ADMINISTRATOR,
        valid_to=datetime.date(2020, 1, 1),
    )
    assert not user.is_administrator
