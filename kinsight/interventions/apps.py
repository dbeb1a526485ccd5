from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.interventions"
    label = "interventions"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Insatser"
