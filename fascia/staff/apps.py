from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "fascia.staff"
    verbose_name = "Staff screens"
