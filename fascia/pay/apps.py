from django.apps import AppConfig


class PayConfig(AppConfig):
    name = "fascia.pay"
    verbose_name = "Therapist pay"
