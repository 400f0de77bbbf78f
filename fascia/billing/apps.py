from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BillingConfig(AppConfig):
    name = "fascia.billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from fascia.billing.immutability import ensure_sqlite_triggers

        post_migrate.connect(ensure_sqlite_triggers, sender=self)
