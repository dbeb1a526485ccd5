from django.urls import path

from kinsight.audit import views

app_name = "audit"
urlpatterns = [
    path("logg/", views.entry_list, name="entry_list"),
    path("logg/person/", views.person_search, name="person_search"),
    path("logg/person/<int:pk>/", views.person_log, name="person_log"),
]
