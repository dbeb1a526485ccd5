from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import of records from an incumbent system."""

    name = "kinsight.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"
