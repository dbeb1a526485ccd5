"""Reads for the catalogue, family plans, referrals and placements, each starting from
visible_to(user, action); reads of personal data are audited. One module per
sub-domain (as the services); callers import this package."""

from kinsight.interventions.queries.catalogue import (
    can_edit_catalogue,
    intervention_get,
    interventions,
)
from kinsight.interventions.queries.common import (
    PLACEMENT_TYPE,
    PLAN_INTERVENTION_TYPE,
    REFERRAL_TYPE,
    REVISION_TYPE,
    audit_list,
    family_work_get,
    is_coordinator,
)
from kinsight.interventions.queries.family_plan import (
    PlanOverview,
    follow_up_for_change,
    goal_for_change,
    plan_exists,
    plan_history,
    plan_intervention_for_change,
    plan_intervention_get,
    plan_overview,
    plan_snapshot,
)
from kinsight.interventions.queries.placements import (
    can_place,
    contact_plan_for_change,
    contact_plans,
    placement_for_change,
    placement_get,
    placement_may_change,
    placements_for_work,
)
from kinsight.interventions.queries.referrals import (
    referral_acting_unit,
    referral_consent,
    referral_for_step,
    referral_get,
    referral_lists,
    referrals_for_work,
    sending_unit,
)

__all__ = [
    "PLACEMENT_TYPE",
    "PLAN_INTERVENTION_TYPE",
    "REFERRAL_TYPE",
    "REVISION_TYPE",
    "PlanOverview",
    "audit_list",
    "can_edit_catalogue",
    "can_place",
    "contact_plan_for_change",
    "contact_plans",
    "family_work_get",
    "follow_up_for_change",
    "goal_for_change",
    "intervention_get",
    "interventions",
    "is_coordinator",
    "placement_for_change",
    "placement_get",
    "placement_may_change",
    "placements_for_work",
    "plan_exists",
    "plan_history",
    "plan_intervention_for_change",
    "plan_intervention_get",
    "plan_overview",
    "plan_snapshot",
    "referral_acting_unit",
    "referral_consent",
    "referral_for_step",
    "referral_get",
    "referral_lists",
    "referrals_for_work",
    "sending_unit",
]
