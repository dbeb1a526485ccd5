"""A PostgreSQL cluster of a test's own (initdb in a temporary folder, its own port,
fsync on as in production), and running Kinsight's code against a database in it in a
separate process, as the server would after a restore or a crash."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL server not installed (apt-get install postgresql)")
    return found[-1]


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its server tools as ``postgres``."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    """Not yet reaped and not a zombie (a zombie holds no port or memory)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (FileNotFoundError, IndexError):
        return False


class Cluster:
    def __init__(self) -> None:
        self.bin = pg_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="kinsight-cluster-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            _as_owner([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                       "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=on"
        started = subprocess.run(
            _as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                       str(self.folder / "server.log"), "-w", "-o", options, "start"]),
            capture_output=True, text=True,
        )  # fmt: skip
        log = self.folder / "server.log"
        assert started.returncode == 0, started.stderr + (
            log.read_text()[-3000:] if log.exists() else ""
        )

    def kill(self) -> None:
        """kill -9 of the server and every process of it: no shutdown, no checkpoint."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True
        ).stdout.split()
        killed = [postmaster, *map(int, children)]
        for pid in killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        # Gone before the restart may take the port (a loaded machine reaps slowly).
        for _ in range(2400):  # at most two minutes; SIGKILL cannot be ignored
            if not any(_alive(pid) for pid in killed):
                break
            time.sleep(0.05)
        # A killed server whose parent has gone may stay a zombie no one reaps (as in
        # a container without an init): its PID would still answer PostgreSQL's check of
        # the lock file. Dead is dead, as after a power cut: the lock files go.
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        for stale in self.folder.glob(".s.PGSQL.*"):
            stale.unlink(missing_ok=True)

    def stop(self) -> None:
        subprocess.run(
            _as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """libpq's variables for the tools (psql, pg_restore) to reach this cluster."""
        return {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGUSER": "postgres"}

    def tool(self, name: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin / name), *arguments],
            env=self.env(),
            capture_output=True,
            text=True,
            check=check,
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


def kinsight(database_url: str, checkpoints: str, *arguments: str, **popen):
    """Kinsight's code in a process of its own against ``database_url``: ``manage.py``
    commands, or this folder's ``site.py`` (pages and writes)."""
    env = {
        **os.environ,
        "KINSIGHT_DEMO": "true",
        "DATABASE_URL": database_url,
        "KINSIGHT_AUDIT_CHECKPOINT_FILE": checkpoints,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, *arguments]
    if popen:
        return subprocess.Popen(command, env=env, cwd=ROOT, **popen)
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def answers(done: subprocess.CompletedProcess) -> dict:
    """The JSON ``site.py`` printed last."""
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
