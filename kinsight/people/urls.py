from django.urls import path

from kinsight.people import views

app_name = "people"
urlpatterns = [
    path("personer/", views.person_search, name="person_search"),
    path("personer/ny/", views.person_register, name="person_register"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("personer/<int:pk>/andra/", views.person_edit, name="person_edit"),
    path("personer/<int:pk>/familj/ny/", views.family_add, name="family_add"),
    path("relationer/<int:pk>/avsluta/", views.relationship_end, name="relationship_end"),
    path("relationer/<int:pk>/ta-bort/", views.relationship_remove, name="relationship_remove"),
]
