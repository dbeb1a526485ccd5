from django.urls import path

from kinsight.cases import views

app_name = "cases"
urlpatterns = [
    path("arenden/", views.unit_cases, name="unit_cases"),
    path("arenden/mina/", views.my_cases, name="my_cases"),
    path("arenden/nytt/", views.case_open_lookup, name="case_open_lookup"),
    path("personer/<int:person_pk>/arenden/nytt/", views.case_open, name="case_open"),
    path("arenden/<int:pk>/", views.case_detail, name="case_detail"),
    path("arenden/<int:pk>/andra/", views.case_edit, name="case_edit"),
    path("arenden/<int:pk>/status/", views.case_status, name="case_status"),
    path("arenden/<int:pk>/ansvarig/", views.case_assign, name="case_assign"),
    path("arenden/<int:pk>/anteckningar/ny/", views.note_new, name="note_new"),
    path("anteckningar/<int:pk>/", views.note_edit, name="note_edit"),
    path("anteckningar/<int:pk>/autospara/", views.note_autosave, name="note_autosave"),
    path("anteckningar/<int:pk>/ratta/", views.note_correct, name="note_correct"),
]
