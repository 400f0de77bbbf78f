from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "fascia.mobile"
    verbose_name = "Mobile practice"
