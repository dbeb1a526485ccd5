from django.apps import AppConfig


class Config(AppConfig):
    name = "kinsight.demo"
    verbose_name = "Demo"
