"""The audit chain anchored outside the database, against its owner.

Whoever owns the database (or is its superuser) can rewrite the audit table at will.
Two things they cannot reach keep a rewrite from passing unseen:

- **The key** (``KINSIGHT_AUDIT_KEY_FILE``, a file the application reads and the
  database role does not): each row's link hash is an HMAC-SHA256 with it, so a forged
  row cannot be given a hash that verifies, nor can every later hash be recomputed.
  Rows written before the key existed (before migration ``audit/0005``) keep their
  plain SHA-256: the chain head's ``keyed_from`` is the first keyed ``seq``.
- **Signed checkpoints** (``KINSIGHT_AUDIT_CHECKPOINT_FILE``, an append-only file; and
  syslog when ``KINSIGHT_AUDIT_SYSLOG`` is set): now and then where each chain stands
  (``seq``, link hash, ``keyed_from``, time), with an HMAC of those. A chain cut back or
  emptied, or a boundary moved, no longer matches them (kinsight/audit/verify.py).

Every hash of the audit chain is computed here: ``link_hash`` for rows, ``_mac`` for
checkpoints.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import logging.handlers
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

logger = logging.getLogger(__name__)

KEY_CHARACTERS = 32


def _generate(path: Path) -> None:
    """A new random key at ``path`` (demo and tests only), readable by its owner only;
    linked into place so that two processes starting at once keep the same key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as draft:
        draft.write(secrets.token_hex(32) + "\n")
    try:
        os.link(draft.name, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft.name)


@functools.cache
def _key_at(path: str, demo: bool) -> bytes:
    file = Path(path)
    if demo and not file.exists():
        _generate(file)
    try:
        raw = file.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"KINSIGHT_AUDIT_KEY_FILE: cannot read the audit key {path} ({error.strerror})"
        ) from None
    if len(raw) < KEY_CHARACTERS:
        raise ImproperlyConfigured(
            f"KINSIGHT_AUDIT_KEY_FILE: the audit key must be at least {KEY_CHARACTERS} "
            "random characters (python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    return raw.encode("utf-8")


def key() -> bytes:
    path = settings.KINSIGHT_AUDIT_KEY_FILE
    if not path:
        raise ImproperlyConfigured("KINSIGHT_AUDIT_KEY_FILE must name the audit key's file")
    return _key_at(str(path), bool(settings.DEMO))


def _mac(text: str) -> str:
    return hmac.new(key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def link_hash(canonical: str, keyed: bool) -> str:
    """A row's hash from its canonical content: keyed (HMAC) from the chain's
    ``keyed_from`` on, plain SHA-256 before it."""
    if keyed:
        return _mac(canonical)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """Where a municipality's chain stood: its last ``seq`` and link hash, its first
    keyed ``seq``, when. ``kind``: "head" (written by audit_checkpoint and every
    KINSIGHT_AUDIT_CHECKPOINT_ROWS rows) or "removed" (the end of a month whose rows
    audit_partitions removed: rows up to ``seq`` may be missing)."""

    municipality_id: int
    seq: int
    hash: str
    keyed_from: int
    at: str
    kind: str = "head"

    def _body(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def line(self) -> str:
        return json.dumps({**asdict(self), "mac": _mac(self._body())}, sort_keys=True)


def _syslog() -> logging.Logger | None:
    address = settings.KINSIGHT_AUDIT_SYSLOG
    if not address:
        return None
    return _syslog_at(address)


@functools.cache
def _syslog_at(address: str) -> logging.Logger:
    """``/dev/log`` (a local socket) or ``host:port`` (UDP)."""
    host, _sep, port = address.rpartition(":")
    target: str | tuple[str, int] = (host, int(port)) if host and port.isdigit() else address
    handler = logging.handlers.SysLogHandler(address=target)
    handler.setFormatter(logging.Formatter("kinsight-audit: %(message)s"))
    channel = logging.getLogger("kinsight.audit.checkpoints")
    channel.propagate = False
    channel.addHandler(handler)
    channel.setLevel(logging.INFO)
    return channel


def write(municipality_id: int, seq: int, link: str, keyed_from: int, kind: str = "head") -> str:
    """Append a signed checkpoint to the checkpoint file (and syslog); returns its line."""
    now = timezone.now().isoformat()
    line = Checkpoint(municipality_id, seq, link, keyed_from, now, kind).line()
    path = Path(checkpoint_file())
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    channel = _syslog()
    if channel is not None:
        channel.info(line)
    return line


def write_after_commit(municipality_id: int, seq: int, link: str, keyed_from: int) -> None:
    """A checkpoint of rows just appended: logged, not raised, if the file cannot be
    written (the rows are committed; the next audit_checkpoint run covers them)."""
    try:
        write(municipality_id, seq, link, keyed_from)
    except (OSError, ImproperlyConfigured):
        logger.exception("audit checkpoint not written (municipality %s)", municipality_id)


def checkpoint_file() -> str:
    path = settings.KINSIGHT_AUDIT_CHECKPOINT_FILE
    if not path:
        raise ImproperlyConfigured(
            "KINSIGHT_AUDIT_CHECKPOINT_FILE must name the audit checkpoints' file"
        )
    return str(path)


@dataclass
class Checkpoints:
    """A municipality's checkpoints from the file, oldest first, and the numbers of
    the file's lines whose signature does not match (altered, or another key)."""

    found: list[Checkpoint]
    bad_lines: list[int]


def read(municipality_id: int) -> Checkpoints:
    result = Checkpoints([], [])
    path = Path(checkpoint_file())
    if not path.exists():
        return result
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            checkpoint = _parsed(text)
            if checkpoint is None:
                result.bad_lines.append(number)
            elif checkpoint.municipality_id == municipality_id:
                result.found.append(checkpoint)
    return result


def _parsed(text: str) -> Checkpoint | None:
    """The checkpoint a line holds, or None if it is not one signed with our key."""
    try:
        fields = json.loads(text)
        mac = fields.pop("mac")
        checkpoint = Checkpoint(**fields)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return checkpoint if hmac.compare_digest(mac, _mac(checkpoint._body())) else None
