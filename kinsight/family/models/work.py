"""Family work, its members, the units taking part and the cases they link."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core import fields
from kinsight.core.models import TenantModel, Versioned
from kinsight.family.access import (
    FamilyMemberQuerySet,
    FamilyWorkQuerySet,
    LinkedCaseQuerySet,
    ParticipantQuerySet,
)


def family_work_field(related_name):
    """The foreign key from a part of a family work to it (deleted with it)."""
    return models.ForeignKey(
        "family.FamilyWork",
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class FamilyWorkStatus(models.TextChoices):
    ACTIVE = "active", _("Pågående")
    CLOSED = "closed", _("Avslutat")


class FamilyRole(models.TextChoices):
    PARENT_1 = "parent_1", _("Förälder 1")
    PARENT_2 = "parent_2", _("Förälder 2")
    CHILD = "child", _("Barn")
    OTHER = "other", _("Annan i familjen")


PARENT_ROLES = (FamilyRole.PARENT_1, FamilyRole.PARENT_2)


class PerspectiveKind(models.TextChoices):
    """The perspectives of a joint assessment (seed 000: "Ett familjeorienterat
    arbetssätt innebär att")."""

    CHILD = "child", _("Barnet")
    PARENT = "parent", _("Föräldern för egen del")
    PARENT_CHILD = "parent_child", _("Föräldern i relation till barnet")
    COUPLE = "couple", _("Parrelationen")
    FAMILY = "family", _("Familjen som helhet")


class Perspective:
    """One perspective of a family work. ``key`` is stable and storable, e.g.
    ``child:12``, ``parent:7``, ``parent_child:7:12``, ``couple``, ``family`` (the
    numbers are Person ids)."""

    __slots__ = ("kind", "persons", "label")

    def __init__(self, kind, persons, label):
        self.kind = kind
        self.persons = tuple(persons)
        self.label = label

    @property
    def key(self):
        return ":".join([self.kind, *(str(p.pk) for p in self.persons)])

    def __repr__(self):
        return f"<Perspective {self.key}>"

    def __eq__(self, other):
        return isinstance(other, Perspective) and other.key == self.key

    def __hash__(self):
        return hash(self.key)


class FamilyWork(TenantModel, Versioned):
    """Familjeärende: coordinated work of several units around one family.

    Who sees what is decided in kinsight/family/access.py: staff of a participating
    unit always see that the work exists, its title, status, dates and the
    participating units with their contact workers and the coordinator; everything
    about the family members needs their consent (Consent, purpose SHARING)."""

    title = models.CharField(
        _("benämning"),
        max_length=200,
        help_text=_("Visas för alla deltagande enheter, även utan samtycke. T.ex. Familjen A."),
    )
    status = fields.choice(_("status"), FamilyWorkStatus, default=FamilyWorkStatus.ACTIVE)
    started_on = models.DateField(_("startat"), default=timezone.localdate)
    ended_on = fields.optional_date(_("avslutat"))
    from_case = fields.reference(
        "cases.Case", _("startat från ärende"), optional=True, on_delete=models.SET_NULL
    )
    started_by = fields.staff(_("startat av"))
    created_at = fields.created_at()

    objects: ClassVar = FamilyWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("familjeärende")
        verbose_name_plural = _("familjeärenden")
        ordering = ["-started_on", "-pk"]
        constraints = [
            fields.not_before("ended_on", "started_on", name="familywork_ended_after_started"),
        ]
        indexes = [models.Index(fields=["municipality", "status"], name="familywork_status")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("family:detail", args=[self.pk])

    @property
    def is_closed(self):
        return self.status == FamilyWorkStatus.CLOSED

    def current_members(self):
        return [m for m in self.members.all() if m.ended_on is None]

    def perspectives(self, members=None):
        """The assessment perspectives this family has, from its current members'
        roles: each child; parent 1 and parent 2 for their own part; each parent in
        relation to each child; the couple relation only with two parents; the family
        as a whole. ``members``: FamilyMember rows (default: the current ones)."""
        members = self.current_members() if members is None else members
        by_role = {role: [] for role in FamilyRole}
        for member in sorted(members, key=lambda m: m.pk or 0):
            by_role[member.role].append(member.person)
        children = by_role[FamilyRole.CHILD]
        parents = by_role[FamilyRole.PARENT_1] + by_role[FamilyRole.PARENT_2]
        found = [
            Perspective(PerspectiveKind.CHILD, [c], _("Barnet %(name)s") % {"name": c})
            for c in children
        ]
        found += [
            Perspective(PerspectiveKind.PARENT, [p], _("%(name)s för egen del") % {"name": p})
            for p in parents
        ]
        found += [
            Perspective(
                PerspectiveKind.PARENT_CHILD,
                [p, c],
                _("%(parent)s i relation till %(child)s") % {"parent": p, "child": c},
            )
            for p in parents
            for c in children
        ]
        if len(parents) == 2:
            found.append(Perspective(PerspectiveKind.COUPLE, parents, _("Parrelationen")))
        found.append(Perspective(PerspectiveKind.FAMILY, [], _("Familjen som helhet")))
        return found

    def perspective_keys(self, members=None):
        return {p.key for p in self.perspectives(members)}


class FamilyMember(TenantModel):
    """A person of the family with their role in it. One row per person and family
    work; at most one current parent 1 and one current parent 2. A member who leaves
    keeps the row with ``ended_on``."""

    family_work = family_work_field("members")
    person = fields.person(_("person"), related_name="family_memberships")
    role = fields.choice(_("roll i familjen"), FamilyRole)
    ended_on = fields.optional_date(_("ingår inte längre från"))
    created_at = fields.created_at()

    objects: ClassVar = FamilyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("familjemedlem")
        verbose_name_plural = _("familjemedlemmar")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family_work", "person"], name="familymember_unique_person"
            ),
            models.UniqueConstraint(
                fields=["family_work", "role"],
                condition=Q(role__in=["parent_1", "parent_2"], ended_on__isnull=True),
                name="familymember_one_parent_per_role",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "person"], name="familymember_person")]

    def __str__(self):
        return f"{self.get_role_display()}: {self.person}"


class Participant(TenantModel, Versioned):
    """A unit taking part in the family work, with its contact worker. Exactly one
    current participant is the coordinator (samordnare). A unit that leaves keeps the
    row with ``left_on`` and loses access from that day."""

    family_work = family_work_field("participants")
    unit = fields.unit()
    worker = fields.staff(_("kontaktperson"), optional=True, related_name="family_participations")
    is_coordinator = models.BooleanField(_("samordnare"), default=False)
    joined_on = models.DateField(_("med från"), default=timezone.localdate)
    left_on = fields.optional_date(_("lämnade"))
    created_at = fields.created_at()

    objects: ClassVar = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("deltagande enhet")
        verbose_name_plural = _("deltagande enheter")
        ordering = ["-is_coordinator", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["family_work", "unit"], name="participant_unique_unit"),
            models.UniqueConstraint(
                fields=["family_work"],
                condition=Q(is_coordinator=True, left_on__isnull=True),
                name="participant_one_coordinator",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "unit"], name="participant_unit")]

    def __str__(self):
        return str(self.unit)

    @property
    def is_current(self):
        return self.left_on is None


class LinkedCase(TenantModel):
    """A case of a participating unit joined to the family work. Other units see its
    subject, status, unit and worker only with the case person's consent; its journal
    stays with its own unit."""

    family_work = family_work_field("linked_cases")
    participant = fields.reference(
        Participant, _("deltagande enhet"), on_delete=models.CASCADE, related_name="linked_cases"
    )
    case = fields.reference("cases.Case", _("ärende"), related_name="family_links")
    linked_by = fields.staff(_("kopplat av"))
    created_at = fields.created_at()

    objects: ClassVar = LinkedCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("kopplat ärende")
        verbose_name_plural = _("kopplade ärenden")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["family_work", "case"], name="linkedcase_unique"),
        ]
        indexes = [models.Index(fields=["municipality", "case"], name="linkedcase_case")]

    def __str__(self):
        return f"{self.family_work_id}: {self.case_id}"
