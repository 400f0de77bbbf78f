"""The database's own refusal of double bookings on SQLite: triggers named like PostgreSQL's
exclusion constraints (migration 0002 creates both).

SQLite rebuilds a table for many schema changes (copy, drop, rename), and the rebuild drops the
table's triggers. So after every `migrate`, `ensure_sqlite_triggers` puts back any that are
missing; a test checks the database still refuses an overlap.
"""

from __future__ import annotations

from typing import Any

OCCUPYING = "('booked', 'arrived', 'completed')"
TABLE = "scheduling_appointment"

# (rule name, column that must not be shared, start column, end column)
RULES = [
    ("appointment_therapist_no_overlap", "therapist_id", "busy_from", "busy_until"),
    ("appointment_room_no_overlap", "room_id", "busy_from", "busy_until"),
    ("appointment_client_no_overlap", "client_id", "starts_at", "ends_at"),
]


def sqlite_triggers() -> list[str]:
    # Django stores UTC datetimes as 'YYYY-MM-DD HH:MM:SS[.ffffff]' text, which orders
    # correctly as text.
    statements = []
    for name, column, start, end in RULES:
        for event, same_row in (("INSERT", ""), ("UPDATE", " AND a.id <> NEW.id")):
            statements.append(f"""
            CREATE TRIGGER IF NOT EXISTS {name}_{event.lower()} BEFORE {event} ON {TABLE}
            WHEN NEW.status IN {OCCUPYING} AND NEW.{column} IS NOT NULL
            BEGIN
                SELECT RAISE(ABORT, '{name}') WHERE EXISTS (
                    SELECT 1 FROM {TABLE} a
                    WHERE a.{column} = NEW.{column} AND a.status IN {OCCUPYING}
                      AND a.{start} < NEW.{end} AND NEW.{start} < a.{end}{same_row}
                );
            END""")  # noqa: S608 - fixed names, no input
    return statements


def ensure_sqlite_triggers(using: str = "default", **kwargs: Any) -> None:
    """post_migrate: recreate the no-overlap triggers a table rebuild dropped."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite" or TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for statement in sqlite_triggers():
            cursor.execute(statement)
