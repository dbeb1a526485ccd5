"""Retention (gallring): the rules as data, the exceptions an administrator sets (legal
hold, archive-worthy), the nightly proposal with its two approvals, and the culling
record that remains after the records are gone.

Only administrators (systemförvaltare) see or change any of it; everyone else gets an
empty queryset, so the pages and the API answer 404 (docs/permissions.md, "Retention").
A proposal's items name a person by a plain number (the person leaves; the number
means nothing after). The culling record keeps what kind, how many, which rule, when and
who approved, never the culled content.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import RoleQuerySet
from kinsight.core import fields
from kinsight.core.models import BackgroundJob, TenantModel, Versioned


class AdministratorsQuerySet(RoleQuerySet):
    """The municipality's administrators see and change retention; nobody else."""

    actions = ("view", "change", "create")


class RuleKind(models.TextChoices):
    """What a rule is about. One cull rule (the person's file) and the exceptions the
    law sets, each with its own legal reference."""

    PERSON_FILE = "person_file", _("Personakt")
    CHILD_PROTECTION = "child_protection", _("Barnavårdsutredning")
    RESEARCH = "research", _("Forskningsurval (födelsedag)")
    NEVER = "never", _("Föräldraskap, adoption och placering")


class Trigger(models.TextChoices):
    LAST_ENTRY = "last_entry", _("År efter sista anteckningen")
    AGE = "age", _("Sparas tills personen fyllt")
    BIRTH_DAY = "birth_day", _("Sparas för personer födda dessa dagar")
    NEVER = "never", _("Gallras aldrig")


# Which trigger each kind has (fixed: the kind says what the rule is).
TRIGGERS = {
    RuleKind.PERSON_FILE: Trigger.LAST_ENTRY,
    RuleKind.CHILD_PROTECTION: Trigger.AGE,
    RuleKind.RESEARCH: Trigger.BIRTH_DAY,
    RuleKind.NEVER: Trigger.NEVER,
}


class RetentionRule(TenantModel, Versioned):
    """One rule of the municipality. ``years``: after the last entry (person file) or
    the age kept to (child protection); ``birth_days``: the days of the month kept for
    research ("5,15,25"); ``applies_from``: documentation from this day on is covered
    (child protection: 15 January 2026)."""

    kind = fields.choice(_("regel"), RuleKind, max_length=30, editable=False)
    trigger = fields.choice(_("villkor"), Trigger, editable=False)
    years = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    birth_days = models.CharField(_("födelsedagar"), max_length=40, blank=True)
    applies_from = fields.optional_date(_("gäller handlingar från"))
    legal_reference = models.TextField(_("lagrum"))
    active = models.BooleanField(_("aktiv"), default=True)

    objects: ClassVar = AdministratorsQuerySet.as_manager()

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")
        ordering = ["municipality", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="retention_rule_once")
        ]

    def __str__(self):
        return str(self.get_kind_display())

    def days(self) -> list[int]:
        return [int(day) for day in self.birth_days.replace(" ", "").split(",") if day]


class LegalHold(TenantModel):
    """A person's records held from culling (a dispute, a request, an inquiry) until a
    day or until ended; who set it and why."""

    person = fields.person(_("person"), related_name="retention_holds")
    reason = models.TextField(_("skäl"))
    until = fields.optional_date(_("till och med"))
    created_by = fields.staff(_("satt av"))
    created_at = fields.created_at()
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    ended_by = fields.staff(_("avslutad av"), null=True, blank=True)

    objects: ClassVar = AdministratorsQuerySet.as_manager()

    class Meta:
        verbose_name = _("spärr mot gallring")
        verbose_name_plural = _("spärrar mot gallring")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "person"], name="retention_hold_person")]

    def __str__(self):
        return f"{self.person_id}: {self.reason[:40]}"

    def in_force(self, day: datetime.date) -> bool:
        return self.ended_at is None and (self.until is None or self.until >= day)


class ArchiveMark(TenantModel):
    """A person's file the administrator has marked worth archiving: never culled."""

    person = fields.person(_("person"), related_name="retention_archive_marks")
    reason = models.TextField(_("skäl"))
    created_by = fields.staff(_("markerad av"))
    created_at = fields.created_at()

    objects: ClassVar = AdministratorsQuerySet.as_manager()

    class Meta:
        verbose_name = _("arkivvärdig personakt")
        verbose_name_plural = _("arkivvärdiga personakter")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "person"], name="retention_archive_once"
            )
        ]

    def __str__(self):
        return str(self.person_id)


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Väntar på godkännande")
    APPROVED_ONCE = "approved_once", _("Godkänd av en, väntar på en till")
    REJECTED = "rejected", _("Avslagen")
    QUEUED = "queued", _("Godkänd, gallring i kö")
    RUNNING = "running", _("Gallras")
    DONE = "done", _("Gallrad")
    FAILED = "failed", _("Misslyckades")


OPEN = (ProposalStatus.PROPOSED, ProposalStatus.APPROVED_ONCE)


class Proposal(TenantModel, Versioned, BackgroundJob):
    """What is due on ``as_of``: counts per rule and kind (``counts``), the due persons
    as items. Two different administrators approve; either may reject with a reason."""

    as_of = models.DateField(_("per dag"))
    created_at = fields.created_at()
    status = fields.choice(_("status"), ProposalStatus, default=ProposalStatus.PROPOSED)
    counts = models.JSONField(_("antal"), default=dict)
    due = models.PositiveIntegerField(_("personakter att gallra"), default=0)
    first_approved_by = fields.staff(_("godkänd först av"), optional=True)
    first_approved_at = models.DateTimeField(null=True, blank=True)
    second_approved_by = fields.staff(_("godkänd sedan av"), optional=True)
    second_approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = fields.staff(_("avslagen av"), optional=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(_("skäl för avslag"), blank=True)
    culled = models.PositiveIntegerField(_("gallrade personakter"), default=0)
    skipped = models.PositiveIntegerField(_("inte längre gallringsbara"), default=0)

    objects: ClassVar = AdministratorsQuerySet.as_manager()
    # A culling still queued or running this long after the second approval is taken
    # as lost (the worker stopped) and may be started again.
    RUNNING, STUCK_AFTER = (
        (ProposalStatus.QUEUED, ProposalStatus.RUNNING),
        datetime.timedelta(hours=6),
    )

    class Meta:
        verbose_name = _("gallringsförslag")
        verbose_name_plural = _("gallringsförslag")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.as_of} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def running_since(self) -> datetime.datetime | None:
        return self.second_approved_at

    @property
    def may_restart(self) -> bool:
        """Failed, or approved and not finished long after (the worker stopped with it);
        a restart continues with the items still due."""
        return self.status == ProposalStatus.FAILED or self.is_stuck


class ProposalItem(TenantModel):
    """A person's file due under ``rule``, and why; ``state`` after the culling ran:
    culled, or skipped because it was no longer due (a new entry, a hold). What the
    batches removed is counted on the proposal (``counts["culled"]``, by model)."""

    class State(models.TextChoices):
        DUE = "due", _("Att gallra")
        CULLED = "culled", _("Gallrad")
        SKIPPED = "skipped", _("Inte längre gallringsbar")

    proposal = fields.reference(Proposal, on_delete=models.CASCADE, related_name="items")
    person_id = models.BigIntegerField(_("person"))
    rule = fields.reference(RetentionRule, _("regel"))
    why = models.TextField(_("skäl"))
    state = fields.choice(_("läge"), State, default=State.DUE)

    class Meta:
        ordering = ["proposal", "id"]
        indexes = [models.Index(fields=["proposal", "state", "id"], name="retention_item_state")]

    objects: ClassVar = AdministratorsQuerySet.as_manager()

    def __str__(self):
        return f"{self.proposal_id}: {self.person_id}"


class CullingRecord(TenantModel):
    """What was culled: the kind, how many, the rule, when, proposed when and
    approved by whom. Never the content, never who the persons were."""

    proposal = fields.reference(Proposal, _("förslag"), related_name="records")
    rule = fields.reference(RetentionRule, _("regel"))
    legal_reference = models.TextField(_("lagrum"))
    kind = models.CharField(_("slag"), max_length=100)
    count = models.PositiveIntegerField(_("antal"))
    culled_at = models.DateTimeField(_("gallrat"), default=timezone.now)
    proposed_at = models.DateTimeField(_("föreslaget"))
    first_approved_by = fields.staff(_("godkänt först av"))
    second_approved_by = fields.staff(_("godkänt sedan av"))

    objects: ClassVar = AdministratorsQuerySet.as_manager()

    class Meta:
        verbose_name = _("gallringsprotokoll")
        verbose_name_plural = _("gallringsprotokoll")
        ordering = ["-culled_at", "kind"]

    def __str__(self):
        return f"{self.culled_at:%Y-%m-%d} {self.kind}: {self.count}"
