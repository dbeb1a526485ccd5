from django.urls import path

from kinsight.assessment import views

app_name = "assessment"
urlpatterns = [
    path("skyddsfaktorer/", views.protective_factors, name="protective_factors"),
    path(
        "skyddsfaktorer/<int:pk>/aktiv/",
        views.protective_factor_toggle,
        name="protective_factor_toggle",
    ),
    path("familjearenden/<int:work_pk>/bedomning/", views.assessment_detail, name="detail"),
    path(
        "familjearenden/<int:work_pk>/bedomning/utskrift.pdf",
        views.assessment_pdf,
        name="pdf",
    ),
    path(
        "familjearenden/<int:work_pk>/bedomning/<str:perspective>/enhet/<int:unit_pk>/",
        views.part_edit,
        name="part_edit",
    ),
    path(
        "bedomningsdelar/<int:part_pk>/instrument/<int:instrument_pk>/",
        views.result_new,
        name="result_new",
    ),
]
