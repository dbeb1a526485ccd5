from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.followup"
    label = "followup"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Uppföljning"
