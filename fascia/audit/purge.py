"""The one sanctioned way past the audit log's append-only triggers: a per-connection permit,
for destroying records after the retention period (and for the test suite's flush).

PostgreSQL reads the session setting `fascia.audit_purge`; SQLite calls the SQL function
`fascia_audit_purge_permitted()`, which only Fascia's own connections define, so any other
client (the sqlite3 shell) is refused too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection

PERMIT_ATTRIBUTE = "fascia_audit_purge_permitted"


def register_sqlite_permit_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    setattr(connection, PERMIT_ATTRIBUTE, False)
    connection.connection.create_function(
        "fascia_audit_purge_permitted",
        0,
        lambda: int(getattr(connection, PERMIT_ATTRIBUTE, False)),
        deterministic=False,
    )


def set_purge_permit(permitted: bool, connection: Any = default_connection) -> None:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('fascia.audit_purge', %s, false)", ["on" if permitted else "off"]
            )
    else:
        setattr(connection, PERMIT_ATTRIBUTE, permitted)


@contextmanager
def audit_purge_permitted(connection: Any = default_connection) -> Iterator[None]:
    set_purge_permit(True, connection)
    try:
        yield
    finally:
        set_purge_permit(False, connection)
