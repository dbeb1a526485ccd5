"""Import at scale: the generated municipality's persons, relationships and cases
exported in the import format (kinsight/imports/export.py) and imported into a new,
empty municipality with the same organisation, each kind uploaded, dry-run and run as
the background worker does it (in process), timed. The round trip test
(tests/imports/test_round_trip.py) runs the same at a small size and compares."""

import time
from typing import Any

from django.db import connection
from django.test import override_settings

from kinsight.core.models import Municipality, NodeKind, OrgUnit, User
from kinsight.demo.generate.organisation import generate_municipality
from kinsight.imports import services
from kinsight.imports.export import export_csv
from kinsight.imports.models import ImportKind

KINDS = (ImportKind.PERSONS, ImportKind.RELATIONSHIPS, ImportKind.CASES)
# The tasks run in this process, as the worker runs them, whatever the backend set.
IN_PROCESS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def empty_copy(source: Municipality, *, code: str) -> User:
    """A new municipality with the source's organisation (the same district and unit
    names) and its demo staff; returns its administrator."""
    districts = OrgUnit.objects.filter(municipality=source, kind=NodeKind.DISTRICT).count()
    made = generate_municipality(
        name=f"{source.name} (import)", code=code, staff_per_unit=1, seed=1, districts=districts
    )
    return User.objects.get(municipality=made.municipality, username=f"{code}-admin")


def import_all(source: Municipality, admin: User) -> list[dict[str, Any]]:
    """Each kind exported from ``source`` and imported by ``admin``: its rows, the
    seconds of the export, the dry run and the run, and the counts."""
    rows = []
    with override_settings(TASKS=IN_PROCESS):
        for kind in KINDS:
            rows.append(_import_kind(source, admin, kind))
    return rows


def _import_kind(source: Municipality, admin: User, kind: str) -> dict[str, Any]:
    started = time.perf_counter()
    data = export_csv(source.pk, kind)
    exported = time.perf_counter() - started
    started = time.perf_counter()
    run = services.import_upload(actor=admin, kind=kind, name=f"{kind}.csv", data=data)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    run = services.import_start(actor=admin, run=run)
    ran = time.perf_counter() - started
    run.refresh_from_db()
    return {
        "kind": kind,
        "rows": sum(run.counts.values()),
        "export_s": round(exported, 1),
        "dry_run_s": round(checked, 1),
        "run_s": round(ran, 1),
        "state": run.state,
        "counts": run.counts,
        "message": run.message,
    }


def import_figures(source: Municipality, *, code: str = "9990") -> dict[str, Any]:
    """{database, kinds: [per kind], total_s}: the whole import, dry runs included."""
    admin = empty_copy(source, code=code)
    started = time.perf_counter()
    kinds = import_all(source, admin)
    return {
        "database": connection.vendor,
        "kinds": kinds,
        "total_s": round(time.perf_counter() - started, 1),
    }
