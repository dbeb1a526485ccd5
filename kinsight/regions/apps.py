from django.apps import AppConfig


class RegionsConfig(AppConfig):
    """The regional network: regions, members and published aggregates."""

    name = "kinsight.regions"
    label = "regions"
    default_auto_field = "django.db.models.BigAutoField"
