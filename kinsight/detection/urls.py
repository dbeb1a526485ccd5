from django.urls import path

from kinsight.detection import child_views, views

app_name = "detection"
urlpatterns = [
    path("arenden/<int:case_pk>/barnfragan/", views.question_answer, name="question_answer"),
    path("arenden/<int:case_pk>/barn/nytt/", views.child_new, name="child_new"),
    path("arenden/<int:case_pk>/barn/vantat/", child_views.expected_new, name="expected_new"),
    path(
        "arenden/<int:case_pk>/barn/<int:pk>/registrera/",
        child_views.child_renew,
        name="child_renew",
    ),
    path("barn-som-anhoriga/<int:pk>/", views.child_detail, name="child_detail"),
    path("barn-som-anhoriga/<int:pk>/fott/", child_views.child_born, name="child_born"),
    path("barn-som-anhoriga/<int:pk>/andra/", views.child_edit, name="child_edit"),
    path("barn-som-anhoriga/<int:pk>/steg/", views.child_step, name="child_step"),
    path("barn-som-anhoriga/<int:pk>/markeringar/", views.flag_add, name="flag_add"),
    path("markeringar/<int:pk>/avsluta/", views.flag_end, name="flag_end"),
    path("barn-som-anhoriga/<int:pk>/orosanmalan/", views.report_send, name="report_send"),
    path("orosanmalningar/", views.report_list, name="report_list"),
    path("orosanmalningar/ny/", views.report_new, name="report_new"),
    path("orosanmalningar/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "orosanmalningar/<int:pk>/forhandsbedomning/",
        views.report_pre_assessment,
        name="report_pre_assessment",
    ),
    path(
        "orosanmalningar/<int:pk>/utredning/",
        views.report_investigation,
        name="report_investigation",
    ),
    path(
        "orosanmalningar/<int:pk>/aterkoppling/",
        views.report_feedback,
        name="report_feedback",
    ),
]
