"""contrib/bin/kinsight-backup, the nightly backup's script, with stand-ins for the
PostgreSQL tools: it writes the dump and the roles, checks the dump reads back, keeps
KEEP_DAYS days, and fails loudly (no dump left looking finished) when a tool fails."""

import datetime
import os
import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "contrib" / "bin" / "kinsight-backup"

TOOLS = {
    # pg_dump --format=custom --file=PATH DB: writes PATH (or fails when told to).
    "pg_dump": '[ -n "${FAIL_DUMP:-}" ] && exit 1\n'
    'for a in "$@"; do case "$a" in --file=*) echo dump > "${a#--file=}";; esac; done',
    "pg_dumpall": 'echo "CREATE ROLE kinsight_app;"',
    "pg_restore": '[ "$1" = --list ] && [ -s "$2" ]',
}


@pytest.fixture
def tools(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    for name, body in TOOLS.items():
        tool = folder / name
        tool.write_text(f"#!/bin/sh\n{body}\n")
        tool.chmod(0o755)
    return folder


def backup(tools: Path, target: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT)],
        env={
            **os.environ,
            "PATH": f"{tools}:{os.environ['PATH']}",
            "BACKUP_DIR": str(target),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_night_writes_the_dump_and_roles_and_drops_old_ones(tools, tmp_path):
    target = tmp_path / "backups"
    target.mkdir()
    old = target / "kinsight-2020-01-01.dump"
    old.write_text("old")
    month_ago = time.time() - 30 * 86400
    os.utime(old, (month_ago, month_ago))
    recent = target / "kinsight-2099-01-01.dump"
    recent.write_text("recent")

    done = backup(tools, target)

    assert done.returncode == 0, done.stderr
    today = datetime.date.today().isoformat()
    dump = target / f"kinsight-{today}.dump"
    assert dump.read_text() == "dump\n"
    assert (target / f"roles-{today}.sql").read_text() == "CREATE ROLE kinsight_app;\n"
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    assert not old.exists() and recent.exists()
    assert f"backup {dump}" in done.stdout


def test_a_failed_dump_fails_the_job_and_leaves_no_finished_dump(tools, tmp_path):
    target = tmp_path / "backups"
    done = backup(tools, target, FAIL_DUMP="1")
    assert done.returncode != 0
    assert not list(target.glob("kinsight-*.dump"))
