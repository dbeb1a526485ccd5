from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Retention (gallring) of records by rules kept as data."""

    name = "kinsight.retention"
    label = "retention"
    default_auto_field = "django.db.models.BigAutoField"
