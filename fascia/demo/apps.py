from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fascia.demo"
    verbose_name = "Demo practice"
