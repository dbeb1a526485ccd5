from django.urls import path

from kinsight.audit import views

app_name = "audit"
urlpatterns = [path("logg/", views.entry_list, name="entry_list")]
