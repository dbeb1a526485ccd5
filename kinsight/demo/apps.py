from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Demo"
