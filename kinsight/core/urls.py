from django.urls import path

from kinsight.core import views

app_name = "core"
urlpatterns = [
    path("organisation/", views.unit_list, name="unit_list"),
    path("organisation/ny/", views.unit_edit, name="unit_create"),
    path("organisation/<int:pk>/andra/", views.unit_edit, name="unit_edit"),
    path("personal/", views.staff_list, name="staff_list"),
    path("personal/ny/", views.staff_edit, name="staff_create"),
    path("personal/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personal/<int:pk>/andra/", views.staff_edit, name="staff_edit"),
    path("personal/<int:pk>/roller/", views.membership_add, name="membership_add"),
    path(
        "personal/<int:pk>/roller/<int:membership_pk>/ta-bort/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "personal/<int:pk>/aterstall-tvastegsverifiering/",
        views.staff_reset_two_factor,
        name="staff_reset_two_factor",
    ),
]
