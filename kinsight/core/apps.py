from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kinsight.core import db  # noqa: F401 - registers SQLite functions
