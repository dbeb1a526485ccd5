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

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import RoleQuerySet
from kinsight.audit import anchor
from kinsight.core import fields

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


class AuditEntryQuerySet(RoleQuerySet):
    """Only log reviewers (loggranskare / dataskyddsombud) read the log."""

    role, actions = "is_log_reviewer", ("view", "export")


class AuditEntry(models.Model):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT)
    seq = models.PositiveBigIntegerField(_("löpnummer"))
    at = models.DateTimeField(_("tidpunkt"))
    actor = fields.staff(_("vem"), null=True)
    action = fields.choice(_("händelse"), AuditAction)
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
            # The log review's period: the patterns and the monthly sample read a window.
            models.Index(fields=["municipality", "at"], name="audit_entry_time"),
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
    entry = fields.reference(AuditEntry, related_name="subjects", db_index=False)
    municipality = fields.reference("core.Municipality", db_index=False)
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

    municipality = fields.reference("core.Municipality")
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


# Log review (loggranskning): the monthly sample and the reviews ------------------------


class ReviewOutcome(models.TextChoices):
    IN_ORDER = "in_order", _("I sin ordning")
    NOT_IN_ORDER = "not_in_order", _("Inte i sin ordning")
    FOLLOW_UP = "follow_up", _("Behöver följas upp")


class LogReviewerOnly(RoleQuerySet):
    """Rows read and written by log reviewers (loggranskare / dataskyddsombud) only:
    the log review's samples and reviews, and the register of extract requests."""

    role, actions = "is_log_reviewer", ("view", "change", "create", "export")


class LogSample(models.Model):
    """The month's random sample of one unit's reads for the routine check, drawn once
    (seeded by month and unit, so drawing again gives the same rows) and kept: the
    entries by id, as no table has a foreign key into the partitioned log."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT)
    unit = fields.unit()
    month = models.DateField(_("månad"))
    population = models.PositiveIntegerField(_("läsningar under månaden"))
    entry_ids = models.JSONField(_("loggposter"), default=list)
    drawn_by = fields.staff()
    drawn_at = models.DateTimeField(_("draget"))

    objects = LogReviewerOnly.as_manager()

    class Meta:
        verbose_name = _("stickprov")
        verbose_name_plural = _("stickprov")
        ordering = ["-month", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "unit", "month"], name="audit_sample_once"
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"


class LogReview(models.Model):
    """A log reviewer's review of a pattern hit or of a monthly sample: the outcome,
    a comment, who and when. Kept with what was reviewed (the hit's pattern, user,
    person and window, and the entries' ids), so it reads the same later."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT)
    pattern = models.CharField(_("mönster"), max_length=30, blank=True)
    sample = fields.reference(LogSample, _("stickprov"), optional=True, related_name="reviews")
    hit_key = models.CharField(max_length=120, blank=True)
    actor = fields.staff(_("granskad användare"), optional=True)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True)
    window_start = models.DateTimeField(_("från"))
    window_end = models.DateTimeField(_("till"))
    entry_ids = models.JSONField(_("loggposter"), default=list)
    outcome = fields.choice(_("bedömning"), ReviewOutcome)
    comment = models.TextField(_("kommentar"), blank=True)
    reviewer = fields.staff(_("granskare"))
    reviewed_at = models.DateTimeField(_("granskad"))

    objects = LogReviewerOnly.as_manager()

    class Meta:
        verbose_name = _("loggranskning")
        verbose_name_plural = _("loggranskningar")
        ordering = ["-reviewed_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "hit_key"], name="audit_review_hit"),
            models.Index(fields=["municipality", "reviewed_at"], name="audit_review_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(sample__isnull=True) & ~models.Q(pattern=""))
                | (models.Q(sample__isnull=False) & models.Q(pattern="")),
                name="audit_review_hit_or_sample",
            ),
        ]

    def __str__(self):
        return f"{self.pattern or 'sample'} {self.outcome}"
