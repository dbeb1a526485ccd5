"""Loaded with ``-p tests.environment`` before Django's settings are read.

The settings are safe by default (production: they refuse to start without a secret,
a PostgreSQL DATABASE_URL and host names). The tests ask for the demo's settings
explicitly, as bin/demo does; the tests of the production refusals start their own
processes with an environment of their own.
"""

import os
import tempfile

os.environ.setdefault("KINSIGHT_DEMO", "true")
# Background tasks run at once, inside the test (the demo and production use a worker).
os.environ.setdefault("KINSIGHT_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# The audit chain's key outside the database: generated at first use in a directory of
# the run's own (tests/audit/conftest.py gives each audit test its own checkpoint file).
_AUDIT_DIR = os.environ.setdefault(
    "KINSIGHT_TEST_AUDIT_DIR", tempfile.mkdtemp(prefix="kinsight-audit-")
)
os.environ.setdefault("KINSIGHT_AUDIT_KEY_FILE", os.path.join(_AUDIT_DIR, "audit.key"))
os.environ.setdefault(
    "KINSIGHT_AUDIT_CHECKPOINT_FILE", os.path.join(_AUDIT_DIR, "audit-checkpoints.jsonl")
)
