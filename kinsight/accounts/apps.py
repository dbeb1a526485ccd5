from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kinsight.accounts import schema  # noqa: F401 - registers the OpenAPI scheme
