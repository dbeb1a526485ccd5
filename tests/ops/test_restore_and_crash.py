"""Backup and restore, and a crash, proven on PostgreSQL (issue 15).

- A populated database is dumped by the nightly script (contrib/bin/kinsight-backup)
  and restored into a fresh cluster as docs/operations.md "Restore" says; there
  ``audit_verify`` finds the chain intact and the worker's pages answer with the data.
- PostgreSQL (fsync on) is killed with SIGKILL while a process writes audited records in
  a loop; after the restart (crash recovery) every write that was acknowledged to the
  writer is there and the audit chain verifies.
"""

import os
import subprocess

import pytest
from django.db import connection

from kinsight.core.models import Role, UnitType
from kinsight.people.models import Person
from kinsight.people.services import persons
from tests import factories
from tests.ops.cluster import ROOT, Cluster, answers, kinsight, pg_bin
from tests.people import factories as pf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BACKUP = ROOT / "contrib" / "bin" / "kinsight-backup"


@pytest.fixture
def cluster():
    made = Cluster()
    made.start()
    yield made
    made.stop()


@pytest.fixture
def populated():
    """A municipality with a worker who registered persons (audited writes) and a case."""
    municipality = factories.municipality()
    unit = factories.org(municipality)["units"][UnitType.ADULTS_ADDICTION]
    worker = factories.staff(municipality, role=Role.CASE_WORKER, unit=unit, username="återställ")
    registered = [
        persons.person_register(
            actor=worker,
            unit=unit,
            identifier_kind="personnummer",
            identifier=pf.pnr(1970 + number, 4, 2),
            first_name=f"Återställd{number}",
            last_name="Provsson",
        )
        for number in range(5)
    ]
    case = pf.case(registered[0], unit, responsible=worker)
    return {"worker": worker, "unit": unit, "person": registered[0], "case": case}


def _backup(tmp_path):
    """The nightly script against the test database, with the cluster's own tools."""
    db = connection.settings_dict
    folder = tmp_path / "backups"
    done = subprocess.run(
        [str(BACKUP)],
        env={
            **os.environ,
            "PATH": f"{pg_bin()}:{os.environ['PATH']}",
            "BACKUP_DIR": str(folder),
            "BACKUP_DATABASE": db["NAME"],
            "PGHOST": db["HOST"] or "127.0.0.1",
            "PGPORT": str(db["PORT"]),
            "PGUSER": db["USER"] or "postgres",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return next(folder.glob("kinsight-*.dump")), next(folder.glob("roles-*.sql"))


def _restore(cluster, dump, roles):
    """docs/operations.md, "Restore" (the roles that exist already are reported and
    skipped; the test cluster's owner is postgres)."""
    cluster.tool("psql", "-q", "-d", "postgres", "-f", str(roles), check=False)
    cluster.tool("createdb", "--template=template0", "kinsight")
    cluster.tool("pg_restore", "--exit-on-error", "--dbname=kinsight", str(dump))
    return cluster.url("kinsight")


def _verify(url, checkpoints):
    done = kinsight(url, checkpoints, "manage.py", "audit_verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "chain intact" in done.stdout and "broken" not in done.stdout
    return done.stdout


def test_a_nightly_backup_restores_into_a_fresh_cluster_that_verifies_and_serves(
    populated, cluster, tmp_path, settings
):
    dump, roles = _backup(tmp_path)
    url = _restore(cluster, dump, roles)
    checkpoints = settings.KINSIGHT_AUDIT_CHECKPOINT_FILE

    assert populated["worker"].municipality.name in _verify(url, checkpoints)
    served = answers(
        kinsight(
            url,
            checkpoints,
            "tests/ops/site.py",
            "pages",
            populated["worker"].username,
            str(populated["person"].pk),
            str(populated["case"].pk),
        )
    )
    assert {name: status for name, (status, _) in served.items()} == {
        "start": 200,
        "person": 200,
        "case": 200,
    }
    assert "Återställd0" in served["person"][1]
    assert "Ansökan om stöd" in served["case"][1]
    _verify(url, checkpoints)  # the pages' audited reads extend the chain intact


def test_every_acknowledged_write_survives_a_kill_9_and_the_chain_verifies(
    populated, cluster, tmp_path, settings
):
    dump, roles = _backup(tmp_path)
    url = _restore(cluster, dump, roles)
    checkpoints = settings.KINSIGHT_AUDIT_CHECKPOINT_FILE
    writer = kinsight(
        url,
        checkpoints,
        "tests/ops/site.py",
        "writes",
        populated["worker"].username,
        str(populated["unit"].pk),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged = []
    try:
        while len(acknowledged) < 40:  # the writer is writing: kill the server mid-loop
            line = writer.stdout.readline()
            assert line, writer.stderr.read()[-3000:]
            acknowledged.append(int(line))
        cluster.kill()
        acknowledged += [int(line) for line in writer.stdout.read().split()]
    finally:
        writer.kill()
        writer.wait(timeout=60)
    assert writer.returncode != 0  # it stopped because the server died, not by finishing

    cluster.start()  # crash recovery from the WAL
    count = cluster.tool(
        "psql", "-At", "-d", "kinsight", "-c",
        f"SELECT count(*) FROM {Person._meta.db_table} "
        f"WHERE id IN ({','.join(map(str, acknowledged))})",
    ).stdout.strip()  # fmt: skip
    assert int(count) == len(acknowledged)
    _verify(url, checkpoints)
