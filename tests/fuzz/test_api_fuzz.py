"""Fuzzing the API against its own schema (schemathesis): every operation, a bounded
number of generated requests each, sent with a case worker's token who has a case, a
family work and their records to find. No answer may be a server error, and every
answer must match what the schema promises (status code documented, body shaped as
described, content type). Runs in bin/test's PostgreSQL pass; the number of examples per
operation is ``KINSIGHT_FUZZ_EXAMPLES`` (default 4)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks

from tests import factories
from tests.family.conftest import *  # noqa: F403 - a worker with records to find

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EXAMPLES = int(os.environ.get("KINSIGHT_FUZZ_EXAMPLES", "4"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

# What an answer must do. (Authentication itself is tested in tests/api/test_access.py
# and tests/accounts; schemathesis's own probe of it replays requests with our token.)
CHECKS = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    from config.wsgi import application

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application
    return loaded


def _problems(operation, headers):
    """What went wrong in ``operation``'s examples, as text (empty: nothing)."""
    found = []

    @FUZZ
    @given(case=operation.as_strategy())
    def examples(case):
        # A savepoint per request: one failing statement must not end the test's
        # transaction for the requests after it.
        with transaction.atomic():
            response = case.call(headers=headers)
        try:
            if response.status_code >= 500:
                raise AssertionError(f"server error {response.status_code}")
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:
            found.append(f"{case.method} {case.formatted_path}: {str(failure)[:400]}")

    examples()
    return found


@pytest.fixture
def connection_kept():
    """The WSGI app closes the database connection after each request; the test's
    transaction lives on it. Django's own test client unhooks the same signals."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("connection_kept")
def test_no_operation_fails_or_breaks_its_schema(worker, work, settings):
    # Throttling answers 429 (documented); here it would hide every other answer.
    settings.API_RATE_USER = settings.API_RATE_TOKEN = "100000/min"
    headers = {"Authorization": f"Token {factories.api_token(worker)}"}
    problems = []
    operations = 0
    for result in _schema().get_all_operations():
        operations += 1
        problems += _problems(result.ok(), headers)
    assert operations > 150
    assert not problems, "\n".join(sorted(set(problems)))
