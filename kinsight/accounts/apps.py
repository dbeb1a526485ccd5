from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.accounts"

    def ready(self):
        from kinsight.accounts import schema  # noqa: F401 - registers the OpenAPI scheme
