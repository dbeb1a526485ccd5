from django.urls import path

from kinsight.interventions.views import (
    catalogue,
    family_plan,
    placements,
    plan_interventions,
    referrals,
)

app_name = "interventions"
urlpatterns = [
    path("insatser/", catalogue.catalogue, name="catalogue"),
    path("insatser/ny/", catalogue.intervention_new, name="intervention_new"),
    path("insatser/exempel/", catalogue.examples_add, name="examples_add"),
    path("insatser/<int:pk>/andra/", catalogue.intervention_edit, name="intervention_edit"),
    path("familjearenden/<int:pk>/plan/", family_plan.plan_detail, name="plan"),
    path("familjearenden/<int:pk>/plan/historik/", family_plan.plan_history, name="plan_history"),
    path("familjearenden/<int:pk>/plan/mal/nytt/", family_plan.goal_new, name="goal_new"),
    path(
        "familjearenden/<int:pk>/plan/insatser/ny/",
        plan_interventions.plan_intervention_new,
        name="plan_intervention_new",
    ),
    path("familjeplan/mal/<int:pk>/", family_plan.goal_edit, name="goal_edit"),
    path(
        "familjeplan/insatser/<int:pk>/",
        plan_interventions.plan_intervention_edit,
        name="plan_intervention",
    ),
    path(
        "familjeplan/insatser/<int:pk>/uppfoljningar/",
        plan_interventions.follow_up_new,
        name="follow_up_new",
    ),
    path(
        "familjeplan/uppfoljningar/<int:pk>/", plan_interventions.follow_up_record, name="follow_up"
    ),
    path("remisser/", referrals.referral_list, name="referral_list"),
    path("familjearenden/<int:pk>/remisser/ny/", referrals.referral_new, name="referral_new"),
    path("remisser/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("remisser/<int:pk>/steg/", referrals.referral_step, name="referral_step"),
    path("familjearenden/<int:pk>/placeringar/ny/", placements.placement_new, name="placement_new"),
    path("placeringar/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("placeringar/<int:pk>/avsluta/", placements.placement_end, name="placement_end"),
    path("placeringar/<int:pk>/umgange/", placements.contact_plan_new, name="contact_plan_new"),
    path("umgange/<int:pk>/tillfallen/", placements.contact_event_new, name="contact_event_new"),
]
