"""Coordinated family-oriented work (PRODUCT.md §3, issue 6): the frame that later
assessments by perspective, family plans, referrals and placements hang in.

- FamilyWork (familjeärende): one coordinated piece of work around a family.
- FamilyMember: a person of the family with a role in it (parent 1, parent 2, child,
  other). The roles decide which assessment perspectives exist: see
  ``FamilyWork.perspectives()``.
- Participant: a unit taking part (with its contact worker); exactly one current
  participant is the coordinator. LinkedCase: a case of a participating unit joined to
  the family work.
- Consent (samtycke): per person (for a child given by a guardian, with the child's own
  view from settings.KINSIGHT_CHILD_VIEW_AGE), per purpose, for named participating
  units (ConsentUnit) or all participating units, with validity and withdrawal. Consent
  for ConsentPurpose.SHARING decides what a participating unit sees beyond the fact
  that the work exists and who coordinates it (kinsight/family/access.py).
- FamilyMeeting (familjemöte) with MeetingParticipant rows (family members, staff of
  units, external people as text), an agenda and minutes as MeetingNote rows (draft →
  signed; a signed note never changes, a correction is a new note).
- FollowUpTask: a decision or follow-up with a due date and a responsible unit (and
  worker); becomes an item in the work queues.

Every row carries its municipality; rows that are edited carry a version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinsight.core.models import TenantModel, Versioned
from kinsight.core.notes import SignedNote
from kinsight.family.access import (
    ConsentQuerySet,
    FamilyMeetingQuerySet,
    FamilyMemberQuerySet,
    FamilyWorkQuerySet,
    FollowUpTaskQuerySet,
    LinkedCaseQuerySet,
    MeetingNoteQuerySet,
    MeetingParticipantQuerySet,
    ParticipantQuerySet,
)

# Family work --------------------------------------------------------------------------


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
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FamilyWorkStatus.choices,
        default=FamilyWorkStatus.ACTIVE,
    )
    started_on = models.DateField(_("startat"), default=timezone.localdate)
    ended_on = models.DateField(_("avslutat"), null=True, blank=True)
    from_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("startat från ärende"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FamilyWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("familjeärende")
        verbose_name_plural = _("familjeärenden")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="familywork_ended_after_started",
            ),
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

    family_work = models.ForeignKey(
        FamilyWork,
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="family_memberships",
    )
    role = models.CharField(_("roll i familjen"), max_length=20, choices=FamilyRole.choices)
    ended_on = models.DateField(_("ingår inte längre från"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FamilyMemberQuerySet.as_manager()

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

    family_work = models.ForeignKey(
        FamilyWork,
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_participations",
    )
    is_coordinator = models.BooleanField(_("samordnare"), default=False)
    joined_on = models.DateField(_("med från"), default=timezone.localdate)
    left_on = models.DateField(_("lämnade"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ParticipantQuerySet.as_manager()

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

    family_work = models.ForeignKey(
        FamilyWork,
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="linked_cases",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("deltagande enhet"),
        on_delete=models.CASCADE,
        related_name="linked_cases",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("ärende"),
        on_delete=models.PROTECT,
        related_name="family_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kopplat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = LinkedCaseQuerySet.as_manager()

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


# Consent ------------------------------------------------------------------------------


class ConsentPurpose(models.TextChoices):
    SHARING = "sharing", _("Informationsutbyte inom familjeärendet")
    REFERRAL = "referral", _("Remiss till annan enhet eller utförare")
    SCHOOL = "school", _("Kontakt med skolan")
    HEALTH_CARE = "health_care", _("Kontakt med hälso- och sjukvården")


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("Skriftligt")
    ORAL = "oral", _("Muntligt")


class ChildView(models.TextChoices):
    AGREES = "agrees", _("Barnet instämmer")
    OBJECTS = "objects", _("Barnet invänder")
    UNDECIDED = "undecided", _("Barnet har ingen bestämd uppfattning")


class Consent(TenantModel, Versioned):
    """Samtycke from (or for) one person, for one purpose, allowing sharing with the
    named participating units (``units``) or all of them (``all_units``).

    In force on a day when ``valid_from <= day``, ``valid_to`` is empty or on/after the
    day, and it is not withdrawn (``withdrawn_on`` empty): a recorded withdrawal ends it
    at once, whatever its date. For a child ``given_by`` is the guardian who gave it and
    ``child_view`` the child's own view (recorded from settings.KINSIGHT_CHILD_VIEW_AGE);
    for an adult ``given_by`` is empty (the person gave it)."""

    family_work = models.ForeignKey(
        FamilyWork,
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("gäller person"),
        on_delete=models.PROTECT,
        related_name="family_consents",
    )
    given_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("lämnat av vårdnadshavare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("För ett barn: vårdnadshavaren som lämnade samtycket."),
    )
    purpose = models.CharField(_("ändamål"), max_length=20, choices=ConsentPurpose.choices)
    all_units = models.BooleanField(
        _("alla deltagande enheter"),
        default=False,
        help_text=_("Gäller även enheter som ansluter senare."),
    )
    units = models.ManyToManyField(
        "core.OrgUnit",
        verbose_name=_("enheter"),
        through="ConsentUnit",
        related_name="+",
        blank=True,
    )
    form = models.CharField(_("form"), max_length=10, choices=ConsentForm.choices)
    given_on = models.DateField(_("lämnat"), default=timezone.localdate)
    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    child_view = models.CharField(
        _("barnets egen uppfattning"), max_length=20, choices=ChildView.choices, blank=True
    )
    child_view_text = models.TextField(_("barnets egna ord"), blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    withdrawn_on = models.DateField(_("återkallat"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("skäl för återkallelse"), max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("återkallelse registrerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("registrerat av enhet"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="consent_period_ordered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "family_work", "person", "purpose"],
                name="consent_lookup",
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.person}"

    def is_in_force(self, on=None):
        on = on or timezone.localdate()
        return (
            self.withdrawn_on is None
            and self.valid_from <= on
            and (self.valid_to is None or self.valid_to >= on)
        )

    @property
    def state(self):
        """ "valid", "withdrawn", "expired" or "future" (today)."""
        today = timezone.localdate()
        if self.withdrawn_on is not None:
            return "withdrawn"
        if self.valid_to is not None and self.valid_to < today:
            return "expired"
        if self.valid_from > today:
            return "future"
        return "valid"


class ConsentUnit(TenantModel):
    """A unit a consent allows sharing with (when not ``all_units``)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="consent_units")
    unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("enhet i samtycke")
        verbose_name_plural = _("enheter i samtycken")
        constraints = [
            models.UniqueConstraint(fields=["consent", "unit"], name="consentunit_unique"),
        ]


# Meetings -----------------------------------------------------------------------------


class FamilyMeeting(TenantModel, Versioned):
    """Familjemöte: held by a participating unit (``unit``) on a day, with an agenda.
    Minutes are MeetingNote rows; decisions and follow-ups are FollowUpTask rows."""

    family_work = models.ForeignKey(
        FamilyWork,
        verbose_name=_("familjeärende"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("ansvarig enhet"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("datum"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    agenda = models.TextField(_("dagordning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FamilyMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("familjemöte")
        verbose_name_plural = _("familjemöten")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "family_work", "held_on"])]

    def __str__(self):
        return f"{self.family_work}: {self.held_on}"


class MeetingParticipantKind(models.TextChoices):
    MEMBER = "member", _("Familjemedlem")
    STAFF = "staff", _("Personal")
    EXTERNAL = "external", _("Extern")


class MeetingParticipant(TenantModel):
    """Who took part in a meeting: a family member (``person``), staff (``unit`` and
    optionally ``user``) or someone external described as text (``external``, e.g.
    "Skolkurator, Norrskolan")."""

    meeting = models.ForeignKey(
        FamilyMeeting,
        verbose_name=_("möte"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    kind = models.CharField(_("typ"), max_length=10, choices=MeetingParticipantKind.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external = models.CharField(_("extern deltagare"), max_length=200, blank=True)

    objects = MeetingParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("mötesdeltagare")
        verbose_name_plural = _("mötesdeltagare")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="member") & Q(person__isnull=False))
                | (Q(kind="staff") & Q(unit__isnull=False))
                | (Q(kind="external") & ~Q(external="")),
                name="meetingparticipant_kind_fields",
            ),
        ]

    def __str__(self):
        return str(self.person or self.user or self.unit or self.external)


class MeetingNote(SignedNote):
    """Minutes (protokoll) of a meeting: a signed note (kinsight.core.notes), as
    cases.JournalNote."""

    parent = "meeting"

    meeting = models.ForeignKey(
        FamilyMeeting, verbose_name=_("möte"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("protokoll"), blank=True)

    objects = MeetingNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("mötesprotokoll")
        verbose_name_plural = _("mötesprotokoll")
        ordering = ["created_at", "pk"]


# Follow-up tasks ----------------------------------------------------------------------


class FollowUpTask(TenantModel, Versioned):
    """A decision or follow-up of the family work (usually from a meeting) with a due
    date and a responsible unit (and worker). Open while ``done_on`` is empty; the work
    queues list open tasks by ``due_on``."""

    family_work = models.ForeignKey(
        FamilyWork, verbose_name=_("familjeärende"), on_delete=models.CASCADE, related_name="tasks"
    )
    meeting = models.ForeignKey(
        FamilyMeeting,
        verbose_name=_("möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.CharField(_("uppgift"), max_length=200)
    decision = models.TextField(_("beslut"), blank=True)
    due_on = models.DateField(_("klart senast"))
    responsible_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("ansvarig enhet"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_tasks",
    )
    done_on = models.DateField(_("klar"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("klarmarkerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    outcome = models.TextField(_("resultat"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FollowUpTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljningsuppgift")
        verbose_name_plural = _("uppföljningsuppgifter")
        ordering = ["done_on", "due_on", "pk"]
        indexes = [
            models.Index(fields=["municipality", "responsible", "done_on", "due_on"]),
            models.Index(fields=["municipality", "responsible_unit", "done_on", "due_on"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.done_on is not None
