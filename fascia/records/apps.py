from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _new_practice_gets_the_starter_library(
    sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any
) -> None:
    if created and not raw:
        from fascia.records.selfcare_library import ensure_starter_library

        ensure_starter_library(instance)


class RecordsConfig(AppConfig):
    name = "fascia.records"
    verbose_name = "Clinical records"

    def ready(self) -> None:
        from fascia.practices.models import Practice
        from fascia.records.immutability import ensure_sqlite_triggers
        from fascia.records.remembered_chart import connect_signals

        post_migrate.connect(ensure_sqlite_triggers, sender=self)
        connect_signals()  # every change to a client's record stamps it (remembered charts)
        # A practice starts with the starter self-care library, once: what the owner renames
        # or retires afterwards stays so.
        post_save.connect(
            _new_practice_gets_the_starter_library,
            sender=Practice,
            dispatch_uid="records-starter-library",
        )
