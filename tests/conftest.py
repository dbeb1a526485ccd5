import pytest
from django_otp import DEVICE_ID_SESSION_KEY

from kinsight.core.models import Role, UnitType
from tests import factories


@pytest.fixture
def municipality(db):
    return factories.municipality("Testkommun")


@pytest.fixture
def org(municipality):
    return factories.org(municipality)


@pytest.fixture
def other_municipality(db):
    return factories.municipality("Annan kommun")


@pytest.fixture
def other_org(other_municipality):
    return factories.org(other_municipality)


@pytest.fixture
def administrator(municipality, org):
    return factories.staff(
        municipality, role=Role.ADMINISTRATOR, unit=org["board"], username="admin1"
    )


@pytest.fixture
def worker(municipality, org):
    return factories.staff(
        municipality,
        role=Role.CASE_WORKER,
        unit=org["units"][UnitType.ADULTS_ADDICTION],
        username="worker1",
    )


@pytest.fixture
def log_reviewer(municipality, org):
    return factories.staff(
        municipality, role=Role.LOG_REVIEWER, unit=org["board"], username="reviewer1"
    )


@pytest.fixture
def outsider(other_municipality, other_org):
    """An administrator of another municipality: sees nothing of ours."""
    return factories.staff(
        other_municipality, role=Role.ADMINISTRATOR, unit=other_org["board"], username="outsider"
    )


def verified_login(client, user):
    """Log in as after password and TOTP: the session carries the OTP device."""
    device = factories.totp_device(user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return verified_login(client, user)

    return _login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are about hashing put it back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
