from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.followup"
    verbose_name = "Uppföljning"

    def ready(self):
        from kinsight.followup import attention, figures, start
        from kinsight.ui.panels import register_panel

        register_panel("start", start.work_panel)
        register_panel("start", start.minimum_level_panel)
        register_panel("start", attention.attention_panel)
        figures.load()
