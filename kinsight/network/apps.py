from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """The regional network's meetings, inventory and trainings."""

    name = "kinsight.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kinsight.network.panels import inventory_reminder, leader_panel
        from kinsight.ui.panels import register_panel

        register_panel("start", inventory_reminder)
        register_panel("region", leader_panel)
