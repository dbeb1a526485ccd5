from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
