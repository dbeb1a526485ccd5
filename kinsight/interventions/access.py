"""Who may see and change the catalogue, family plans, referrals and placements (read
with kinsight/family/access.py and docs/permissions.md).

- Catalogue (Intervention): no personal data; all staff of the municipality see it,
  administrators change it.
- Family plan (with its goals and revisions): whole-family content. Seen by the
  coordinator of the family work, and by other participating units only when every
  current member has a SHARING consent in force covering them (``fully_shared_q``).
  Changed by the coordinator.
- Plan interventions and their follow-ups: seen with the plan, and by the responsible
  unit (or worker) for its own rows while it takes part in the family work (only a
  participating unit can be made responsible); changed by the coordinator or the
  responsible unit (or worker).
- Referral: seen by the sending unit (or the sender) always; by the receiving unit while
  the person's consent for purpose REFERRAL covers it (named, or all units while it
  participates); by other participating units with the person's SHARING consent.
  Changed (steps recorded) by the receiving unit, and for an external provider by the
  sending unit (the service decides which step who may take).
- Placement: seen by its responsible unit (or creator) while it takes part, and by
  participating units with the child's SHARING consent; changed by the responsible
  unit or the coordinator. Contact plans and events: with the placement, and for another unit
  also the parent's SHARING consent.

Everything is evaluated on every query: a withdrawal takes effect on the next request.
"""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from kinsight.access.querysets import AdministeredQuerySet, TenantQuerySet
from kinsight.core.models import Role, User
from kinsight.family.access import (
    PartQuerySet,
    coordinated_work_ids,
    fully_shared_q,
    in_force_q,
    participating_work_ids,
    shared_q,
    work_unit_ids,
)


def _model(name: str) -> type[Any]:
    return apps.get_model("interventions", name)


def _family(name: str) -> type[Any]:
    return apps.get_model("family", name)


class InterventionQuerySet(AdministeredQuerySet):
    """The catalogue: all staff see it, administrators change and add to it."""

    actions = ("change", "create")

    def active(self) -> Self:
        return self.filter(is_active=True)


# The family plan ----------------------------------------------------------------------


def plan_view_q(user: User, prefix: str = "") -> Q:
    """Q on FamilyPlan (``prefix`` e.g. "plan__"): the user coordinates the work, or
    participates and the whole family shares with them."""
    work = f"{prefix}family_work"
    return Q(**{f"{work}_id__in": coordinated_work_ids(user)}) | (
        Q(**{f"{work}_id__in": participating_work_ids(user)})
        & fully_shared_q(user, family_work_field=work)
    )


class FamilyPlanQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self.filter(plan_view_q(user))

    def _allow_change(self, user: User) -> Self:
        return self.filter(family_work_id__in=coordinated_work_ids(user))


class PlanRevisionQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self.filter(plan_view_q(user, "plan__"))


class PlanGoalQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self.filter(plan_view_q(user, "plan__"))

    def _allow_change(self, user: User) -> Self:
        return self.filter(plan__family_work_id__in=coordinated_work_ids(user))


def own_plan_intervention_q(user: User, prefix: str = "") -> Q:
    """The responsible unit's (or worker's) own rows, while it takes part in the
    family work: a unit that leaves (or was never in it) does not keep the family's
    context."""
    own = Q(**{f"{prefix}responsible_unit_id__in": work_unit_ids(user)}) | Q(
        **{f"{prefix}responsible_id": user.pk}
    )
    return own & Q(**{f"{prefix}plan__family_work_id__in": participating_work_ids(user)})


class PlanInterventionQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        return self.filter(own_plan_intervention_q(user) | plan_view_q(user, "plan__"))

    def _allow_change(self, user: User) -> Self:
        return self.filter(
            own_plan_intervention_q(user) | Q(plan__family_work_id__in=coordinated_work_ids(user))
        )


class PlanFollowUpQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        p = "plan_intervention__"
        return self.filter(own_plan_intervention_q(user, p) | plan_view_q(user, f"{p}plan__"))

    def _allow_change(self, user: User) -> Self:
        p = "plan_intervention__"
        return self.filter(
            own_plan_intervention_q(user, p)
            | Q(**{f"{p}plan__family_work_id__in": coordinated_work_ids(user)})
        )

    def open(self) -> Self:
        return self.filter(outcome="")


# Referrals ----------------------------------------------------------------------------


def referral_consent_q(on: datetime.date | None = None) -> Q:
    """Q on Referral: the person has a consent in force for purpose REFERRAL in the
    family work covering the receiving unit (named, or all units while it takes
    part), as kinsight.family.access.consent_covers_unit for one row."""
    consents = (
        _family("Consent")
        ._default_manager.filter(
            family_work_id=OuterRef("family_work_id"),
            person_id=OuterRef("person_id"),
            purpose="referral",
        )
        .filter(in_force_q(on))
        .order_by()
    )
    named = consents.filter(
        Exists(
            _family("ConsentUnit")._default_manager.filter(
                consent_id=OuterRef("pk"), unit_id=OuterRef(OuterRef("to_unit_id"))
            )
        )
    )
    participates = _family("Participant")._default_manager.filter(
        family_work_id=OuterRef("family_work_id"),
        unit_id=OuterRef(OuterRef("to_unit_id")),
        left_on__isnull=True,
    )
    everyone = consents.filter(all_units=True).filter(Exists(participates))
    return Q(Exists(named)) | Q(Exists(everyone))


def sender_q(user: User) -> Q:
    return Q(from_unit_id__in=work_unit_ids(user)) | Q(sent_by_id=user.pk)


def led_unit_ids(user: User) -> QuerySet[Any]:
    """Subquery: the units where ``user`` is a group leader themselves (not the units
    under them): a referral to a group provider's unit lands in its groups' intake,
    and a leader placed higher up does not receive every unit's referrals."""
    return (
        apps.get_model("core", "Membership")
        .objects.current()
        .filter(municipality_id=user.municipality_id, user_id=user.pk, role=Role.GROUP_LEADER)
        .values("unit_id")
    )


def receives_at(user: User, unit_id: int | None) -> bool:
    """Does ``user`` receive referrals to ``unit_id`` (works a case there, or leads
    groups in it)."""
    if unit_id in work_unit_ids(user):
        return True
    return bool(user.units_with_role(Role.GROUP_LEADER)) and (
        led_unit_ids(user).filter(unit_id=unit_id).exists()
    )


def receiver_q(user: User) -> Q:
    units = Q(to_unit_id__in=work_unit_ids(user))
    if user.units_with_role(Role.GROUP_LEADER):
        units |= Q(to_unit_id__in=led_unit_ids(user))
    return units & referral_consent_q()


class ReferralQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        shared = Q(family_work_id__in=participating_work_ids(user)) & shared_q(user)
        return self.filter(sender_q(user) | receiver_q(user) | shared)

    def _allow_change(self, user: User) -> Self:
        return self.filter(sender_q(user) | receiver_q(user))

    def received_by(self, user: User) -> Self:
        return self.filter(receiver_q(user))

    def sent_by(self, user: User) -> Self:
        return self.filter(sender_q(user))


class ReferralStepQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        referrals = _model("Referral").objects.visible_to(user, "view").values("pk")
        return self.filter(referral_id__in=referrals)


# Placements ---------------------------------------------------------------------------


def own_placement_q(user: User, prefix: str = "") -> Q:
    """The responsible unit's (or creator's) own placements, while taking part."""
    own = Q(**{f"{prefix}responsible_unit_id__in": work_unit_ids(user)}) | Q(
        **{f"{prefix}created_by_id": user.pk}
    )
    return own & Q(**{f"{prefix}family_work_id__in": participating_work_ids(user)})


class PlacementQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        shared = Q(family_work_id__in=participating_work_ids(user)) & shared_q(
            user, person_field="child"
        )
        return self.filter(own_placement_q(user) | shared)

    def _allow_change(self, user: User) -> Self:
        return self.filter(own_placement_q(user) | Q(family_work_id__in=coordinated_work_ids(user)))


class ContactPlanQuerySet(TenantQuerySet):
    def _allow_view(self, user: User) -> Self:
        placements = _model("Placement").objects.visible_to(user, "view").values("pk")
        parent_shared = shared_q(
            user, family_work_field="placement__family_work", person_field="parent"
        )
        return self.filter(placement_id__in=placements).filter(
            own_placement_q(user, "placement__") | parent_shared
        )

    def _allow_change(self, user: User) -> Self:
        placements = _model("Placement").objects.visible_to(user, "change").values("pk")
        return self._allow_view(user).filter(placement_id__in=placements)


class ContactEventQuerySet(PartQuerySet):
    whole = "contact_plan"
