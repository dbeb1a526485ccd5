"""The audit log: one row per read of personal data and per write.

Rows form a hash chain per municipality: ``seq`` runs 1, 2, 3 … without gaps and each
row's ``hash`` covers its content and the previous row's hash, so a changed, removed
or inserted row breaks the chain (``manage.py audit_verify`` finds it). On PostgreSQL a
trigger refuses UPDATE and DELETE on the table (migration 0002). The hash is keyed with
a key held outside the database, and signed checkpoints outside it say where the chain
stood, so even the database's owner cannot rewrite, cut or empty it unseen
(kinsight/audit/anchor.py).

``AuditSubject`` names the persons a row concerns (one row per entry and person, also
every person a list read showed), written in the same transaction as the entry and
covered by the entry's hash; it is append-only in the same way (migration 0003).
"""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import TenantQuerySet
from kinsight.audit import anchor

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    READ = "read", _("Läsning")
    CREATE = "create", _("Skapande")
    UPDATE = "update", _("Ändring")
    DELETE = "delete", _("Borttagning")
    LOGIN = "login", _("Inloggning")
    LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
    LOGOUT = "logout", _("Utloggning")
    LOGOUT_ALL = "logout_all", _("Utloggning överallt")
    EXPORT = "export", _("Export")


class AuditEntryQuerySet(TenantQuerySet):
    """Only log reviewers (loggranskare / dataskyddsombud) read the log."""

    def _allow_view(self, user):
        return self if user.is_log_reviewer else self.none()

    _allow_export = _allow_view


class AuditEntry(models.Model):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT)
    seq = models.PositiveBigIntegerField(_("löpnummer"))
    at = models.DateTimeField(_("tidpunkt"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vem"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("händelse"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("objekttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    changes = models.JSONField(_("ändrade fält"), default=dict, blank=True)
    request_id = models.CharField(_("anrops-id"), max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(_("klientadress"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("loggpost")
        verbose_name_plural = _("loggposter")
        ordering = ["municipality", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "seq"], name="audit_gap_free_seq"),
        ]
        indexes = [
            models.Index(fields=["municipality", "object_type", "object_id"]),
            models.Index(fields=["municipality", "actor", "at"]),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self, subjects=(), *, keyed_from):
        """The row's link hash: an HMAC of its content with the audit key from the
        chain's ``keyed_from`` on, SHA-256 before (kinsight/audit/anchor.py).
        ``subjects`` (the person ids of its AuditSubject rows) join the payload only
        when there are any, so rows written before subjects existed keep their hash."""
        payload = [
            self.municipality_id,
            self.seq,
            self.at.isoformat(),
            self.actor_id,
            self.action,
            self.object_type,
            self.object_id,
            self.changes,
            self.request_id,
            self.client_ip,
            self.prev_hash,
        ]
        if subjects:
            payload.append(sorted(subjects))
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return anchor.link_hash(canonical, keyed=self.seq >= keyed_from)


class AuditSubject(models.Model):
    """A person an audit row concerns: the person read or changed, the person a case,
    child record, report or family work belongs to, each person a list read showed.

    Written with the entry (same transaction), never changed; the entry's hash covers
    the set, so a removed or added subject breaks the chain. ``person_id`` is a plain
    number: the log is a lower layer than persons and outlives them."""

    # Indexed by the unique constraint (entry first); the person index serves the page.
    entry = models.ForeignKey(
        AuditEntry, on_delete=models.PROTECT, related_name="subjects", db_index=False
    )
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person_id = models.BigIntegerField(_("person"))
    # The entry's ``at``: on PostgreSQL both tables are partitioned by month on it, so
    # a subject lives in its entry's month and leaves with it (kinsight/audit/partitions.py).
    at = models.DateTimeField(_("tidpunkt"))

    class Meta:
        verbose_name = _("loggpostens person")
        verbose_name_plural = _("loggposternas personer")
        constraints = [
            models.UniqueConstraint(fields=["entry", "person_id"], name="audit_subject_once"),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "person_id", "entry"], name="audit_subject_person"
            ),
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.person_id}"


class AuditChainHead(models.Model):
    """The end of a municipality's chain. Writers lock this row, so concurrent
    transactions take turns and the chain never forks."""

    municipality = models.OneToOneField(
        "core.Municipality", on_delete=models.PROTECT, primary_key=True
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # The last row's time: a row's ``at`` is never earlier, so each month of the chain
    # (each partition) holds one unbroken run of ``seq``.
    last_at = models.DateTimeField(null=True, blank=True)
    # The first row whose hash is keyed (HMAC with the audit key): 1 for a chain begun
    # with the key; for a chain older than the key, the row after its last one when
    # migration 0005 ran. Signed checkpoints carry it, so moving it shows.
    keyed_from = models.PositiveBigIntegerField(default=1)

    def __str__(self):
        return f"{self.municipality_id}: {self.last_seq}"


class AuditCheckpoint(models.Model):
    """Where a municipality's chain stood at the end of a month whose rows were removed
    (``manage.py audit_partitions --drop-before``), written only after the month
    verified: the retained chain is verified from here instead of from the first row.
    Append-only like the log (migration 0004)."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("månad"))
    last_seq = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    entries = models.PositiveBigIntegerField(_("loggposter"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality", "month"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="audit_checkpoint_once"),
        ]

    def __str__(self):
        return f"{self.municipality_id} {self.month:%Y-%m}: {self.last_seq}"
