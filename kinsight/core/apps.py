from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.core"

    def ready(self):
        from kinsight.core import db  # noqa: F401 - registers SQLite functions
