from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SchedulingConfig(AppConfig):
    name = "fascia.scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from fascia.scheduling.no_overlap import ensure_sqlite_triggers

        post_migrate.connect(ensure_sqlite_triggers, sender=self)
