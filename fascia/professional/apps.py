from django.apps import AppConfig


class ProfessionalConfig(AppConfig):
    name = "fascia.professional"
    verbose_name = "Professional and equipment records"
