from django.urls import path

from kinsight.interventions import views

app_name = "interventions"
urlpatterns = [
    path("insatser/", views.catalogue, name="catalogue"),
    path("insatser/ny/", views.intervention_new, name="intervention_new"),
    path("insatser/exempel/", views.examples_add, name="examples_add"),
    path("insatser/<int:pk>/andra/", views.intervention_edit, name="intervention_edit"),
    path("familjearenden/<int:pk>/plan/", views.plan_detail, name="plan"),
    path("familjearenden/<int:pk>/plan/historik/", views.plan_history, name="plan_history"),
    path("familjearenden/<int:pk>/plan/mal/nytt/", views.goal_new, name="goal_new"),
    path(
        "familjearenden/<int:pk>/plan/insatser/ny/",
        views.plan_intervention_new,
        name="plan_intervention_new",
    ),
    path("familjeplan/mal/<int:pk>/", views.goal_edit, name="goal_edit"),
    path(
        "familjeplan/insatser/<int:pk>/",
        views.plan_intervention_edit,
        name="plan_intervention",
    ),
    path(
        "familjeplan/insatser/<int:pk>/uppfoljningar/",
        views.follow_up_new,
        name="follow_up_new",
    ),
    path("familjeplan/uppfoljningar/<int:pk>/", views.follow_up_record, name="follow_up"),
    path("remisser/", views.referral_list, name="referral_list"),
    path("familjearenden/<int:pk>/remisser/ny/", views.referral_new, name="referral_new"),
    path("remisser/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("remisser/<int:pk>/steg/", views.referral_step, name="referral_step"),
    path("familjearenden/<int:pk>/placeringar/ny/", views.placement_new, name="placement_new"),
    path("placeringar/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placeringar/<int:pk>/avsluta/", views.placement_end, name="placement_end"),
    path("placeringar/<int:pk>/umgange/", views.contact_plan_new, name="contact_plan_new"),
    path("umgange/<int:pk>/tillfallen/", views.contact_event_new, name="contact_event_new"),
]
