from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SchedulingConfig(AppConfig):
    name = "fascia.scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from fascia.scheduling.no_overlap import ensure_sqlite_triggers
        from fascia.scheduling.remembered import connect_signals
        from fascia.scheduling.signals import time_freed
        from fascia.scheduling.waitlist import on_time_freed

        post_migrate.connect(ensure_sqlite_triggers, sender=self)
        connect_signals()
        time_freed.connect(on_time_freed, dispatch_uid="waitlist-offers-freed-time")
