from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.ui"
    label = "ui"
    default_auto_field = "django.db.models.BigAutoField"
