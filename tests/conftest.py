import time

import pytest
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY

from kinsight.accounts.middleware import REFRESHED_KEY
from kinsight.core.models import Role, UnitType
from tests import factories


@pytest.fixture(autouse=True, scope="session")
def static_files_without_collectstatic():
    """The demo and production serve collected, hashed files (collectstatic); tests read
    them from the apps, so that a test run needs no collectstatic first."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, WHITENOISE_USE_FINDERS=True):
        yield


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
    client.force_login(user, backend="kinsight.accounts.backends.StaffBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[REFRESHED_KEY] = int(time.time())  # as the sign-in's own answer writes it
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return verified_login(client, user)

    return _login


@pytest.fixture(autouse=True)
def audit_checkpoint_file(settings, tmp_path):
    """Each test's own file of signed audit checkpoints: its database (rolled back after
    it) is its own, so a checkpoint of another test's chain must not be checked here."""
    settings.KINSIGHT_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts kept in the cache (API throttles, address limits) start at zero in every
    test: ids and addresses repeat from test to test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are about hashing put it back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Reference data that data migrations seed: a transactional test empties every table
# when it ends, so the next one would find no legal references, deadline rules or
# instruments (AUDIT, DUDIT, WHO-5). Seed them again (the migrations' own functions)
# when they are missing.
REFERENCE_SEEDS = [
    ("cases", "0002_seed_legal_references", "cases.LegalReference", {}),
    ("detection", "0002_seed_deadline_rules", "detection.DeadlineRule", {}),
    ("assessment", "0002_seed_catalogue", "assessment.Instrument", {"code": "audit"}),
    ("groups", "0002_seed_who5", "assessment.Instrument", {"code": "who5"}),
]


@pytest.fixture(autouse=True)
def reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for app, migration, model, lookup in REFERENCE_SEEDS:
        if not apps.get_model(model).objects.filter(**lookup).exists():
            importlib.import_module(f"kinsight.{app}.migrations.{migration}").seed(apps, None)
