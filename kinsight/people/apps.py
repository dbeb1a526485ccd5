from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Personer"
