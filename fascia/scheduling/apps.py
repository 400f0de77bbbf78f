from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "fascia.scheduling"
    verbose_name = "Scheduling"
