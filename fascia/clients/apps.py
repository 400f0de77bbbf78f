from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "fascia.clients"
    verbose_name = "Clients"
