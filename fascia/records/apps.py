from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecordsConfig(AppConfig):
    name = "fascia.records"
    verbose_name = "Clinical records"

    def ready(self) -> None:
        from fascia.records.immutability import ensure_sqlite_triggers

        post_migrate.connect(ensure_sqlite_triggers, sender=self)
