from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.assessment"
    label = "assessment"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Bedömning per perspektiv"
