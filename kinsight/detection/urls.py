from django.urls import path

from kinsight.detection.views import (
    child_question,
    child_records,
    concern_reports,
    expected_children,
    flags,
)

app_name = "detection"
urlpatterns = [
    path(
        "arenden/<int:case_pk>/barnfragan/",
        child_question.question_answer,
        name="question_answer",
    ),
    path("arenden/<int:case_pk>/barn/nytt/", child_records.child_new, name="child_new"),
    path(
        "arenden/<int:case_pk>/barn/vantat/",
        expected_children.expected_new,
        name="expected_new",
    ),
    path(
        "arenden/<int:case_pk>/barn/<int:pk>/registrera/",
        expected_children.child_renew,
        name="child_renew",
    ),
    path("barn-som-anhoriga/<int:pk>/", child_records.child_detail, name="child_detail"),
    path("barn-som-anhoriga/<int:pk>/fott/", expected_children.child_born, name="child_born"),
    path("barn-som-anhoriga/<int:pk>/andra/", child_records.child_edit, name="child_edit"),
    path("barn-som-anhoriga/<int:pk>/steg/", child_records.child_step, name="child_step"),
    path("barn-som-anhoriga/<int:pk>/markeringar/", flags.flag_add, name="flag_add"),
    path("markeringar/<int:pk>/avsluta/", flags.flag_end, name="flag_end"),
    path(
        "barn-som-anhoriga/<int:pk>/orosanmalan/",
        concern_reports.report_send,
        name="report_send",
    ),
    path("orosanmalningar/", concern_reports.report_list, name="report_list"),
    path("orosanmalningar/ny/", concern_reports.report_new, name="report_new"),
    path("orosanmalningar/<int:pk>/", concern_reports.report_detail, name="report_detail"),
    path(
        "orosanmalningar/<int:pk>/forhandsbedomning/",
        concern_reports.report_pre_assessment,
        name="report_pre_assessment",
    ),
    path(
        "orosanmalningar/<int:pk>/utredning/",
        concern_reports.report_investigation,
        name="report_investigation",
    ),
    path(
        "orosanmalningar/<int:pk>/aterkoppling/",
        concern_reports.report_feedback,
        name="report_feedback",
    ),
]
