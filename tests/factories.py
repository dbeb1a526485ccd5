"""Test data built through the same models the services use. Synthetic only."""

import itertools

from django_otp.plugins.otp_totp.models import TOTPDevice

from kinsight.core.models import Membership, NodeKind, OrgUnit, Role, UnitType, User
from kinsight.core.services import municipality_create

PASSWORD = "test-password-kinsight-1"  # noqa: S105
_codes = itertools.count(1000)
_names = itertools.count(1)


def municipality(name=None):
    number = next(_codes)
    return municipality_create(name=name or f"Testkommun {number}", code=str(number))


def org(municipality):
    """board → administration → district → one unit of every unit type.
    Returns a dict with the nodes; units by unit type under "units"."""
    board = OrgUnit.objects.create(
        municipality=municipality, kind=NodeKind.BOARD, name="Socialnämnden"
    )
    admin = OrgUnit.objects.create(
        municipality=municipality,
        parent=board,
        kind=NodeKind.ADMINISTRATION,
        name="Socialförvaltningen",
    )
    district = OrgUnit.objects.create(
        municipality=municipality, parent=admin, kind=NodeKind.DISTRICT, name="Norr"
    )
    units = {
        unit_type: OrgUnit.objects.create(
            municipality=municipality,
            parent=district,
            kind=NodeKind.UNIT,
            unit_type=unit_type,
            name=f"{label} Norr",
        )
        for unit_type, label in UnitType.choices
    }
    return {"board": board, "administration": admin, "district": district, "units": units}


def staff(municipality, *, role=None, unit=None, username=None, **fields):
    user = User(
        municipality=municipality,
        username=username or f"user{next(_names)}",
        first_name=fields.pop("first_name", "Test"),
        last_name=fields.pop("last_name", "Person"),
        **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    if role is not None:
        Membership.objects.create(municipality=municipality, user=user, unit=unit, role=role)
    return user


def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


ROLES = list(Role)


def api_token(user, *, name="Test", days=None):
    """The one way tests get an API token: a knox token issued through the service,
    as Mitt konto does after two-factor. Returns the token text."""
    from kinsight.accounts.services import api_token_create

    return api_token_create(user=user, name=name, days=days, two_factor_verified=True)[1]


def token_client(user, **token):
    """An APIClient that sends ``user``'s new API token (``api_token``)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user, **token)}")
    return client
