from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"
