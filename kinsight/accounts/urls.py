from django.urls import path

from kinsight.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.login_view, name="login"),
    path("tvastegsverifiering/", views.otp_view, name="otp"),
    path("aktivera-tvastegsverifiering/", views.enrol_view, name="enrol"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("sakerhet/", views.security_view, name="security"),
]
