from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Ärenden"
