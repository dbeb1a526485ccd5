from django.urls import URLPattern

from kinsight.imports import views
from kinsight.ui.routes import patterns_of

app_name = "imports"
urlpatterns: list[URLPattern] = patterns_of(views)
