"""Interventions, the family plan, referrals and placements (PRODUCT.md §3, issue 6).

- Intervention: the municipality's catalogue of interventions (insatskatalog) per
  target (child, parent, couple, family, placement) with provider, age range, format,
  evidence level and a KVÅ-style code. Seeded with the examples of seed 001
  (``is_example``: to adapt to the municipality); administrators edit it.
- FamilyPlan (familjeplan): one per family work, versioned; every save keeps a
  PlanRevision with a snapshot of the whole plan. PlanGoal: a goal for one perspective
  of the family (``perspective_key`` as FamilyWork.perspectives(): child:12, parent:7,
  parent_child:7:12, couple, family). PlanIntervention: a catalogue intervention
  towards a goal, with responsible unit and dates. PlanFollowUp: a follow-up date (in
  the work queues while open) and its outcome (goal met / partly / not).
- Referral (remiss) of a family member to another unit or an external provider, only
  with consent for purpose REFERRAL; its steps (sent → received → accepted/declined →
  started → ended) as ReferralStep rows, dated and by whom.
- Placement of a child (family home, HVB, other); ContactPlan: planned contact
  (umgänge) with each parent; ContactEvent: a recorded contact (happened/cancelled).

Who sees and changes what: kinsight/interventions/access.py.
"""

from kinsight.interventions.models.catalogue import (
    EvidenceLevel,
    Format,
    Intervention,
    ProviderKind,
    Target,
)
from kinsight.interventions.models.family_plan import (
    FamilyPlan,
    Outcome,
    PlanFollowUp,
    PlanGoal,
    PlanIntervention,
    PlanRevision,
)
from kinsight.interventions.models.placements import (
    ContactEvent,
    ContactPlan,
    ContactStatus,
    Placement,
    PlacementKind,
)
from kinsight.interventions.models.referrals import (
    REFERRAL_TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStep,
)

__all__ = [
    "ContactEvent",
    "ContactPlan",
    "ContactStatus",
    "EvidenceLevel",
    "FamilyPlan",
    "Format",
    "Intervention",
    "Outcome",
    "Placement",
    "PlacementKind",
    "PlanFollowUp",
    "PlanGoal",
    "PlanIntervention",
    "PlanRevision",
    "ProviderKind",
    "REFERRAL_TRANSITIONS",
    "Referral",
    "ReferralStatus",
    "ReferralStep",
    "Target",
]
