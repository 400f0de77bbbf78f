from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "fascia.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from fascia.audit.purge import register_sqlite_permit_function

        connection_created.connect(register_sqlite_permit_function)
