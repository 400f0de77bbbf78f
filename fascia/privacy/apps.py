from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "fascia.privacy"
    verbose_name = "Privacy breaches"
