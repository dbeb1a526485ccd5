"""An import: an uploaded file of one kind, its dry run's outcome per row, its run in
the background, and what it wrote (``ImportedRecord``), kept for idempotency and undo.

The file is kept as bytes in the database (``BinaryField``), as the annual report's
files are: there is no private file storage, and a file in the database is backed up,
restored and access-checked with the rest.
"""

import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import RoleQuerySet
from kinsight.core import fields
from kinsight.core.models import BackgroundJob, TenantModel


class ImportKind(models.TextChoices):
    PERSONS = "persons", _("Personer")
    RELATIONSHIPS = "relationships", _("Relationer")
    CASES = "cases", _("Ärenden")
    NOTES = "notes", _("Journalanteckningar")
    CHILDREN = "children", _("Barn som anhöriga")


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Provkörs")
    CHECKED = "checked", _("Provkörd")
    RUNNING = "running", _("Importeras")
    DONE = "done", _("Importerad")
    FAILED = "failed", _("Misslyckades")
    UNDONE = "undone", _("Ångrad")


RUNNING_STATES = (ImportState.CHECKING, ImportState.RUNNING)


class Outcome(models.TextChoices):
    CREATED = "created", _("Skapas")
    UPDATED = "updated", _("Uppdateras")
    UNCHANGED = "unchanged", _("Oförändrad")
    REFUSED = "refused", _("Avvisas")


class ImportQuerySet(RoleQuerySet):
    """Administrators only (docs/permissions.md, "Import")."""

    actions = ("view", "change", "create", "export")


class Import(TenantModel, BackgroundJob):
    kind = fields.choice(_("typ"), ImportKind, max_length=20)
    file_name = models.CharField(_("fil"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4)
    data = models.BinaryField(_("filens innehåll"), editable=False)
    uploaded_by = fields.staff(_("uppladdad av"))
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)
    state = fields.choice(_("status"), ImportState, default=ImportState.CHECKING)
    # {outcome: count} of the dry run, then of the run.
    counts = models.JSONField(_("antal"), default=dict)
    # The dry run's rows: [line, outcome, key, reason], in the file's order.
    report = models.JSONField(_("provkörning"), default=list)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)

    objects: ClassVar = ImportQuerySet.as_manager()
    # A check or run still queued or running this long after it started is taken as lost.
    STATUS, RUNNING, STUCK_AFTER = "state", RUNNING_STATES, datetime.timedelta(hours=2)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.file_name} ({self.state})"

    def running_since(self) -> datetime.datetime:
        return self.started_at or self.uploaded_at

    @property
    def may_run(self) -> bool:
        return self.state in (ImportState.CHECKED, ImportState.FAILED) or self.is_stuck

    @property
    def outcome_counts(self) -> list[tuple[str, int]]:
        return [(str(label), self.counts.get(value, 0)) for value, label in Outcome.choices]

    @property
    def may_undo(self) -> bool:
        return self.state == ImportState.DONE


class ImportedRecord(TenantModel):
    """A row an import created or updated: the external key it came under (what makes a
    second run of the same file change nothing), the record, the version it had after
    the import (undo refuses when it has moved) and, for an update, the values before."""

    run = fields.reference(Import, _("import"), on_delete=models.CASCADE, related_name="records")
    kind = fields.choice(_("typ"), ImportKind, max_length=20)
    key = models.CharField(_("nyckel"), max_length=200)
    model = models.CharField(_("posttyp"), max_length=60)
    object_id = models.BigIntegerField(_("post"))
    created = models.BooleanField(_("skapad"))
    version = models.PositiveIntegerField(_("version efter importen"))
    before = models.JSONField(_("före"), null=True, blank=True)

    class Meta:
        verbose_name = _("importerad post")
        verbose_name_plural = _("importerade poster")
        indexes = [
            models.Index(fields=["municipality", "kind", "key"], name="imported_key"),
            models.Index(fields=["run", "model"], name="imported_run"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.model} {self.object_id}"
