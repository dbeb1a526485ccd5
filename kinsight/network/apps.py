from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """The regional network's meetings, inventory and trainings."""

    name = "kinsight.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"
