from django.urls import path

from kinsight.family import views

app_name = "family"
urlpatterns = [
    path("familjearenden/", views.family_list, name="list"),
    path("arenden/<int:case_pk>/familjearende/nytt/", views.family_start, name="start"),
    path("familjearenden/<int:pk>/", views.family_detail, name="detail"),
    path("familjearenden/<int:pk>/avsluta/", views.family_close, name="close"),
    path("familjearenden/<int:pk>/enheter/ny/", views.participant_add, name="participant_add"),
    path(
        "familjearenden/enheter/<int:participant_pk>/lamna/",
        views.participant_leave,
        name="participant_leave",
    ),
    path(
        "familjearenden/enheter/<int:participant_pk>/samordnare/",
        views.coordinator_set,
        name="coordinator_set",
    ),
    path("familjearenden/<int:pk>/medlemmar/ny/", views.member_add, name="member_add"),
    path("familjearenden/medlemmar/<int:member_pk>/avsluta/", views.member_end, name="member_end"),
    path("familjearenden/<int:pk>/arenden/koppla/", views.case_link, name="case_link"),
    path("familjearenden/<int:pk>/samtycken/nytt/", views.consent_new, name="consent_new"),
    path(
        "familjearenden/samtycken/<int:consent_pk>/aterkalla/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("familjearenden/<int:pk>/moten/nytt/", views.meeting_new, name="meeting_new"),
    path("familjearenden/moten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("familjearenden/moten/<int:pk>/protokoll/nytt/", views.minutes_new, name="minutes_new"),
    path("familjearenden/protokoll/<int:pk>/", views.minutes_edit, name="minutes_edit"),
    path(
        "familjearenden/protokoll/<int:pk>/autospara/",
        views.minutes_autosave,
        name="minutes_autosave",
    ),
    path("familjearenden/protokoll/<int:pk>/ratta/", views.minutes_correct, name="minutes_correct"),
    path("familjearenden/<int:pk>/uppgifter/ny/", views.task_new, name="task_new"),
    path("familjearenden/uppgifter/<int:pk>/klar/", views.task_done, name="task_done"),
]
