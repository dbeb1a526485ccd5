"""Who may see and change family work (read with docs/permissions.md). Consent-gated
sharing is the heart of it (issue 6).

A user *participates* in a family work through a current Participant row (``left_on``
empty) whose unit is one where the user is case worker or unit manager (or below
one), or whose contact worker is the user. Then:

- Always (no consent needed): the family work itself (title, status, dates) and its
  participants (units, contact workers, coordinator): "that coordinated work exists
  and who to contact".
- A family member's row (the person's name and role) and a consent row: when the
  person has a consent *in force* for purpose SHARING covering one of the user's
  participating units (named in the consent, or ``all_units``), or the user already
  sees the person in full (their own unit's client). The coordinator always sees the
  member rows (it keeps the list and asks for the consents).
- Another unit's linked case (subject, status, unit, worker): with the case person's
  consent as above; the own unit's linked cases always.
- Meetings, their participants and minutes, and follow-up tasks: by the unit that holds
  the meeting (or wrote the task, or is responsible for it) always; by other
  participating units only when *every* current member of the family has a consent in
  force covering them (minutes are about the whole family).
- Change: the family work, its members and participants by the coordinator (unit
  staff or contact worker); a consent (withdraw) by any participant who sees it;
  a meeting by its unit; a draft note by its author; a task by its responsible unit,
  worker, creator or the coordinator.

"In force" is evaluated on every query (``timezone.localdate()``): expiry and a
recorded withdrawal take effect on the next request; nothing is cached.
"""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from kinsight.access.querysets import TenantQuerySet
from kinsight.core.models import Role, User
from kinsight.core.notes import SignedNoteQuerySet
from kinsight.people.access import person_full_q

WORK_ROLES = (Role.CASE_WORKER, Role.UNIT_MANAGER)


def _model(name: str) -> type[Any]:
    return apps.get_model("family", name)


# Building blocks (also for the assessment, plan and referral code) --------------------


def work_unit_ids(user: User) -> list[int]:
    """The units where ``user`` works a case (case worker or unit manager, and below)."""
    return user.units_with_role(*WORK_ROLES)


def participations(user: User) -> QuerySet[Any]:
    """The current Participant rows through which ``user`` takes part."""
    return (
        _model("Participant")
        ._default_manager.filter(municipality_id=user.municipality_id, left_on__isnull=True)
        .filter(Q(unit_id__in=work_unit_ids(user)) | Q(worker_id=user.pk))
        .order_by()
    )


def participating_work_ids(user: User) -> QuerySet[Any]:
    """Subquery: ids of the family works ``user`` takes part in."""
    return participations(user).values("family_work_id")


def coordinated_work_ids(user: User) -> QuerySet[Any]:
    """Subquery: ids of the family works ``user`` coordinates (coordinator's unit or
    contact worker)."""
    return participations(user).filter(is_coordinator=True).values("family_work_id")


def in_force_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Q for consents in force on ``on`` (today): started, not ended, not withdrawn."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": on, f"{prefix}withdrawn_on__isnull": True}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def covering_consents(
    user: User, purpose: str = "sharing", on: datetime.date | None = None
) -> QuerySet[Any]:
    """Consents in force for ``purpose`` that cover one of the units through which
    ``user`` takes part in the consent's family work."""
    Consent = _model("Consent")
    ConsentUnit = _model("ConsentUnit")
    mine = participations(user)
    all_units = Q(all_units=True) & Exists(mine.filter(family_work_id=OuterRef("family_work_id")))
    named = Exists(
        ConsentUnit._default_manager.filter(
            consent_id=OuterRef("pk"),
            unit_id__in=mine.filter(family_work_id=OuterRef(OuterRef("family_work_id"))).values(
                "unit_id"
            ),
        )
    )
    return (
        Consent._default_manager.filter(municipality_id=user.municipality_id, purpose=purpose)
        .filter(in_force_q(on))
        .filter(all_units | named)
        .order_by()
    )


def shared_q(
    user: User,
    *,
    family_work_field: str = "family_work",
    person_field: str = "person",
    purpose: str = "sharing",
) -> Q:
    """Q on any model with a family work and a person: the row's person has a consent
    in force for ``purpose`` covering one of ``user``'s participating units in the
    row's family work. E.g. ``Assessment.objects.filter(shared_q(user))``."""
    return Q(
        Exists(
            covering_consents(user, purpose).filter(
                family_work_id=OuterRef(f"{family_work_field}_id"),
                person_id=OuterRef(f"{person_field}_id"),
            )
        )
    )


def own_person_q(user: User, person_field: str = "person") -> Q:
    """Q: the row's person is one ``user`` already sees in full (their unit's client)."""
    return person_full_q(user, person_field)


def fully_shared_q(user: User, *, family_work_field: str = "family_work") -> Q:
    """Q: every current member of the row's family work has a SHARING consent in force
    covering ``user`` (what whole-family content such as minutes needs)."""
    FamilyMember = _model("FamilyMember")
    uncovered = FamilyMember._default_manager.filter(
        family_work_id=OuterRef(f"{family_work_field}_id"), ended_on__isnull=True
    ).exclude(
        Exists(
            covering_consents(user).filter(
                family_work_id=OuterRef("family_work_id"), person_id=OuterRef("person_id")
            )
        )
    )
    return ~Q(Exists(uncovered))


def shares_with(
    user: User,
    person: Model,
    purpose: str = "sharing",
    *,
    family_work: Model | None = None,
    on: datetime.date | None = None,
) -> bool:
    """True when ``person`` has a consent in force for ``purpose`` covering one of the
    units through which ``user`` takes part in ``family_work`` (None: in any family work
    the user takes part in). Evaluated now, never cached."""
    if not (user and user.is_authenticated and user.is_active and user.municipality_id):
        return False
    found = covering_consents(user, purpose, on).filter(person_id=person.pk)
    if family_work is not None:
        found = found.filter(family_work_id=family_work.pk)
    return found.exists()


def unit_takes_part(*, family_work: Model, unit: Model) -> bool:
    """True when ``unit`` currently takes part in ``family_work``: only then may other
    units hand it the family's data (a plan intervention, a placement, a task); a unit
    outside the work gets a family member's data only through a referral with consent."""
    return (
        _model("Participant")
        ._default_manager.filter(
            family_work_id=family_work.pk, unit_id=unit.pk, left_on__isnull=True
        )
        .exists()
    )


def user_takes_part(*, family_work: Model, user: User) -> bool:
    """True when ``user`` currently takes part in ``family_work`` (through a
    participating unit or as its contact worker)."""
    return participations(user).filter(family_work_id=family_work.pk).exists()


def consent_covers_unit(
    *,
    family_work: Model,
    person: Model,
    unit: Model,
    purpose: str,
    on: datetime.date | None = None,
) -> bool:
    """True when ``person`` has a consent in force for ``purpose`` in ``family_work``
    naming ``unit``, or for all units while ``unit`` participates (for referrals and
    other sharing where the receiver is a unit, not the acting user)."""
    Consent = _model("Consent")
    participates = unit_takes_part(family_work=family_work, unit=unit)
    rule = Q(consent_units__unit_id=unit.pk)
    if participates:
        rule |= Q(all_units=True)
    return (
        Consent._default_manager.filter(
            family_work_id=family_work.pk, person_id=person.pk, purpose=purpose
        )
        .filter(in_force_q(on))
        .filter(rule)
        .exists()
    )


# Querysets ------------------------------------------------------------------------------


class PartQuerySet(TenantQuerySet):
    """A part of another row (a meeting's participant, a contact plan's event) is seen
    and changed exactly as that row, so the rule is written once: ``whole`` names the
    foreign key to it (as ``parent`` does for signed notes)."""

    whole = ""

    def _as_whole(self, user: User, action: str) -> Self:
        model: Any = self.model._meta.get_field(self.whole).related_model
        wholes = model.objects.visible_to(user, action).values("pk")
        return self.filter(**{f"{self.whole}_id__in": wholes})

    def _allow_view(self, user: User) -> Self:
        return self._as_whole(user, "view")

    def _allow_change(self, user: User) -> Self:
        return self._as_whole(user, "change")


class FamilyWorkQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        # Only current participation counts: whoever started the work and has since
        # left it (or the unit) no longer sees it.
        return self.filter(pk__in=participating_work_ids(user))

    def _allow_change(self, user: User) -> Self:
        return self.filter(pk__in=coordinated_work_ids(user))

    def active(self) -> Self:
        return self.filter(status="active")


class ParticipantQuerySet(TenantQuerySet):
    """The participants of a family work are part of its summary: seen with it."""

    def _allow_view(self, user: User) -> Self:
        works = _model("FamilyWork").objects.visible_to(user, "view").values("pk")
        return self.filter(family_work_id__in=works)

    def _allow_change(self, user: User) -> Self:
        return self.filter(family_work_id__in=coordinated_work_ids(user))

    def current(self) -> Self:
        return self.filter(left_on__isnull=True)


class FamilyMemberQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        # The coordinator keeps the member list (and asks for the consents).
        return self.filter(family_work_id__in=participating_work_ids(user)).filter(
            shared_q(user) | own_person_q(user) | Q(family_work_id__in=coordinated_work_ids(user))
        )

    def _allow_change(self, user: User) -> Self:
        return self._allow_view(user).filter(family_work_id__in=coordinated_work_ids(user))

    def current(self) -> Self:
        return self.filter(ended_on__isnull=True)


class LinkedCaseQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        own = Q(case__unit_id__in=work_unit_ids(user)) | Q(case__responsible_id=user.pk)
        return self.filter(family_work_id__in=participating_work_ids(user)).filter(
            own | shared_q(user, person_field="case__person")
        )

    def _allow_change(self, user: User) -> Self:
        cases = apps.get_model("cases", "Case").objects.visible_to(user, "view").values("pk")
        return self.filter(family_work_id__in=participating_work_ids(user), case_id__in=cases)


class ConsentQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        units = work_unit_ids(user)
        return self.filter(family_work_id__in=participating_work_ids(user)).filter(
            Q(recorded_by_id=user.pk)
            | Q(recorded_unit_id__in=units)
            | shared_q(user)
            | own_person_q(user)
        )

    def _allow_change(self, user: User) -> Self:
        return self._allow_view(user)

    def in_force(self, on: datetime.date | None = None) -> Self:
        return self.filter(in_force_q(on))


class FamilyMeetingQuerySet(TenantQuerySet):
    def _own_q(self, user: User) -> Q:
        return Q(unit_id__in=work_unit_ids(user)) | Q(created_by_id=user.pk)

    def _allow_view(self, user: User) -> Self:
        return self.filter(family_work_id__in=participating_work_ids(user)).filter(
            self._own_q(user) | fully_shared_q(user)
        )

    def _allow_change(self, user: User) -> Self:
        return self.filter(family_work_id__in=participating_work_ids(user)).filter(
            self._own_q(user)
        )


class MeetingParticipantQuerySet(PartQuerySet):
    whole = "meeting"


class MeetingNoteQuerySet(SignedNoteQuerySet):
    """Signed minutes are seen with their meeting; a draft only by its author, who
    writes it while they see the meeting."""

    parent_change_action = "view"


class FollowUpTaskQuerySet(TenantQuerySet):
    def _own_q(self, user: User) -> Q:
        # Own tasks while taking part: a unit that left keeps no family context.
        return (
            Q(responsible_id=user.pk)
            | Q(responsible_unit_id__in=work_unit_ids(user))
            | Q(created_by_id=user.pk)
        ) & Q(family_work_id__in=participating_work_ids(user))

    def _allow_view(self, user: User) -> Self:
        shared = Q(family_work_id__in=participating_work_ids(user)) & fully_shared_q(user)
        return self.filter(self._own_q(user) | shared)

    def _allow_change(self, user: User) -> Self:
        return self.filter(self._own_q(user) | Q(family_work_id__in=coordinated_work_ids(user)))

    def open(self) -> Self:
        return self.filter(done_on__isnull=True)
