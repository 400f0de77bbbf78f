from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fascia.api"
    verbose_name = "JSON API"
