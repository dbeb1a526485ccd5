from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.family"
    label = "family"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Familjeärenden"
