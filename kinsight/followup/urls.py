from django.urls import path

from kinsight.followup import views

app_name = "followup"
urlpatterns = [
    path("att-gora/", views.work_queue, name="work_queue"),
    path("att-gora/antal/", views.nav_counts, name="nav_counts"),
    path("uppfoljning/miniminiva/", views.minimum_level, name="minimum_level"),
    path("uppfoljning/miniminiva/csv/", views.minimum_level_csv, name="minimum_level_csv"),
    path(
        "uppfoljning/miniminiva/ej-uppmarksammade/",
        views.not_attended,
        name="not_attended",
    ),
]
