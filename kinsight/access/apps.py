from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.access"
