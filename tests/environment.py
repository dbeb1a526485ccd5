"""Loaded with ``-p tests.environment`` before Django's settings are read.

The settings are safe by default (production: they refuse to start without a secret,
a PostgreSQL DATABASE_URL and host names). The tests ask for the demo's settings
explicitly, as bin/demo does; the tests of the production refusals start their own
processes with an environment of their own.
"""

import os

os.environ.setdefault("KINSIGHT_DEMO", "true")
# Background tasks run at once, inside the test (the demo and production use a worker).
os.environ.setdefault("KINSIGHT_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
