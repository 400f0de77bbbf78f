from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "fascia.practices"
    verbose_name = "Practice"
