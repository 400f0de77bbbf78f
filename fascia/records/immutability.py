"""The database itself keeps signed records final, whatever path writes (a view, the API, the
admin, a raw query): a signed treatment note cannot be updated or deleted, and health-history
versions and note amendments cannot be changed or deleted at all. The only way past is the
audit purge permit (`fascia.audit.purge`), for destroying records after retention.

SQLite drops a table's triggers when a migration rebuilds it, so `ensure_sqlite_triggers` runs
after every `migrate` (as for the no-double-booking triggers).
"""

from __future__ import annotations

from typing import Any

# (table, condition on OLD that makes the row final)
FINAL_ROWS = [
    ("records_treatmentnote", "OLD.signed_at IS NOT NULL"),
    ("records_healthhistory", "1"),
    ("records_noteamendment", "1"),
]


def sqlite_triggers() -> list[str]:
    statements = []
    for table, final in FINAL_ROWS:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_final_update BEFORE UPDATE ON {table} "
            f"WHEN {final} BEGIN SELECT RAISE(ABORT, 'signed clinical records are final'); END"
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_final_delete BEFORE DELETE ON {table} "
            f"WHEN ({final}) AND fascia_audit_purge_permitted() = 0 "
            f"BEGIN SELECT RAISE(ABORT, 'signed clinical records are final'); END"
        )
    return statements


def postgres_triggers() -> list[str]:
    statements = [
        """CREATE OR REPLACE FUNCTION records_refuse_change_to_final() RETURNS trigger AS $$
           BEGIN
             IF TG_TABLE_NAME = 'records_treatmentnote' AND OLD.signed_at IS NULL THEN
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
               RETURN NEW;
             END IF;
             IF TG_OP = 'DELETE'
                AND coalesce(current_setting('fascia.audit_purge', true), '') = 'on' THEN
               RETURN OLD;
             END IF;
             RAISE EXCEPTION 'signed clinical records are final';
           END; $$ LANGUAGE plpgsql"""
    ]
    for table, _ in FINAL_ROWS:
        statements.append(f"DROP TRIGGER IF EXISTS {table}_final ON {table}")
        statements.append(
            f"CREATE TRIGGER {table}_final BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION records_refuse_change_to_final()"
        )
    return statements


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_triggers, "postgresql": postgres_triggers}.get(vendor)
    for statement in statements() if statements else ():
        schema_editor.execute(statement)


def ensure_sqlite_triggers(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    if not all(table in tables for table, _ in FINAL_ROWS):
        return
    with connection.cursor() as cursor:
        for statement in sqlite_triggers():
            cursor.execute(statement)
