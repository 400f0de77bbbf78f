from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "fascia.public"
    verbose_name = "Public site and client account"
