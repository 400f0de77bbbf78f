"""Database triggers that keep some rows final whatever path writes (a view, the API, the admin,
a raw query): signed notes, health-history versions, issued receipts… Each app lists its
tables with the condition that makes a row final; the only way past is the audit purge permit
(`fascia.audit.purge`), for destroying records after retention.

SQLite drops a table's triggers when a migration rebuilds it, so each app re-creates its
triggers after every `migrate` (`ensure_sqlite_triggers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FinalRows:
    table: str
    message: str
    sqlite_condition: str = "1"  # on OLD; "1": every row is final
    postgres_condition: str = "TRUE"
    # Kept rather than final: the row may change (a consent withdrawn, a plan replaced) but is
    # never deleted except by disposal after the retention period.
    delete_only: bool = False


def sqlite_triggers(rules: list[FinalRows]) -> list[str]:
    statements = []
    for rule in rules:
        if not rule.delete_only:
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {rule.table}_final_update BEFORE UPDATE ON "
                f"{rule.table} WHEN {rule.sqlite_condition} "
                f"BEGIN SELECT RAISE(ABORT, '{rule.message}'); END"
            )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {rule.table}_final_delete BEFORE DELETE ON "
            f"{rule.table} WHEN ({rule.sqlite_condition}) AND fascia_audit_purge_permitted() = 0 "
            f"BEGIN SELECT RAISE(ABORT, '{rule.message}'); END"
        )
    return statements


def postgres_triggers(rules: list[FinalRows]) -> list[str]:
    statements = []
    for rule in rules:
        function = f"{rule.table}_refuse_change"
        statements.append(
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
              IF NOT ({rule.postgres_condition}) THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
              END IF;
              IF TG_OP = 'DELETE'
                 AND coalesce(current_setting('fascia.audit_purge', true), '') = 'on' THEN
                RETURN OLD;
              END IF;
              RAISE EXCEPTION '{rule.message}';
            END; $$ LANGUAGE plpgsql"""
        )
        statements.append(f"DROP TRIGGER IF EXISTS {rule.table}_final ON {rule.table}")
        events = "DELETE" if rule.delete_only else "UPDATE OR DELETE"
        statements.append(
            f"CREATE TRIGGER {rule.table}_final BEFORE {events} ON {rule.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    return statements


def installer(rules: list[FinalRows]) -> Any:
    """A migration's RunPython function installing the triggers on either database."""

    def install(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            statements = sqlite_triggers(rules)
        elif vendor == "postgresql":
            statements = postgres_triggers(rules)
        else:
            statements = []
        for statement in statements:
            schema_editor.execute(statement)

    return install


def sqlite_reinstaller(rules: list[FinalRows]) -> Any:
    """A post_migrate receiver re-creating SQLite triggers a table rebuild dropped."""

    def ensure(using: str = "default", **kwargs: Any) -> None:
        from django.db import connections

        connection = connections[using]
        if connection.vendor != "sqlite":
            return
        tables = set(connection.introspection.table_names())
        present = [rule for rule in rules if rule.table in tables]
        with connection.cursor() as cursor:
            for statement in sqlite_triggers(present):
                cursor.execute(statement)

    return ensure
