"""The project's URLs with the log review's API routes (kinsight/audit/api.py ROUTES)
registered, as config/urls.py registers the other apps' ROUTES."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from config.urls import urlpatterns as project
from kinsight.audit import api

router = SimpleRouter()
for prefix, viewset, basename in api.ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [path("api/v1/", include(router.urls)), *project]
