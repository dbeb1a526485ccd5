from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.detection"
    label = "detection"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Tidig upptäckt"
