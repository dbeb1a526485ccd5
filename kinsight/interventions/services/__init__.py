"""Writes for the catalogue, family plans, referrals and placements. Each function
takes the acting user, checks that they may act, validates (Swedish messages on the
field), writes and audits in one transaction; nothing is half-saved. One module per
sub-domain; callers import this package."""

from kinsight.interventions.queries import (
    can_place,
    plan_snapshot,
    referral_acting_unit,
    referral_consent,
    sending_unit,
)
from kinsight.interventions.services.catalogue import (
    INTERVENTION_FIELDS,
    examples_add,
    intervention_create,
    intervention_update,
)
from kinsight.interventions.services.family_plan import goal_add, goal_update, perspective_error
from kinsight.interventions.services.placements import (
    contact_event_record,
    contact_plan_add,
    placement_create,
    placement_end,
)
from kinsight.interventions.services.plan_interventions import (
    follow_up_add,
    follow_up_record,
    plan_intervention_add,
    plan_intervention_update,
)
from kinsight.interventions.services.referrals import referral_send, referral_step

__all__ = [
    "INTERVENTION_FIELDS",
    "can_place",
    "contact_event_record",
    "contact_plan_add",
    "examples_add",
    "follow_up_add",
    "follow_up_record",
    "goal_add",
    "goal_update",
    "intervention_create",
    "intervention_update",
    "perspective_error",
    "placement_create",
    "placement_end",
    "plan_intervention_add",
    "plan_intervention_update",
    "plan_snapshot",
    "referral_acting_unit",
    "referral_consent",
    "referral_send",
    "referral_step",
    "sending_unit",
]
