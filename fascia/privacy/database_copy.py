"""The database's part of a backup, per engine: SQLite's online backup (a consistent copy of
the file while the product runs) or PostgreSQL's `pg_dump` (custom format) inside a snapshot;
and each table's fingerprint — its row count and a SHA-256 over its rows in key order — read
from that same consistent state, so the restored database can be compared with it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from glob import glob
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils.translation import gettext as _

from fascia.privacy.sealing import BackupRefused

Fingerprints = dict[str, dict[str, Any]]


def _plain(value: Any) -> Any:
    """A column value as JSON, the same for the same value whichever copy it is read from."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID | timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def _fingerprint(cursor: Any, table: str, order: list[str]) -> dict[str, Any]:
    quoted = ", ".join(f'"{column}"' for column in order)
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY {quoted}')  # noqa: S608 - names from the schema
    digest, rows = hashlib.sha256(), 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(json.dumps([_plain(v) for v in row], default=str).encode())
            digest.update(b"\n")
            rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


# SQLite -------------------------------------------------------------------------------------


def sqlite_fingerprints(path: Path) -> Fingerprints:
    """Every table of the SQLite file at `path`, read with the plain driver (no conversions)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as database:
        cursor = database.cursor()
        tables = [
            name
            for (name,) in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).fetchall()
        ]
        found = {}
        for table in tables:
            columns = cursor.execute(f'PRAGMA table_info("{table}")').fetchall()
            keys = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]]
            found[table] = _fingerprint(cursor, table, keys or [c[1] for c in columns])
    database.close()
    return found


def sqlite_copy(target: Path) -> Fingerprints:
    """Copy the running SQLite database to `target` with the online backup API (consistent
    while others write) and fingerprint the copy."""
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return sqlite_fingerprints(target)


def sqlite_put_in_place(copy: Path) -> None:
    """Make the SQLite file `copy` this installation's database (it was checked empty)."""
    destination = Path(connection.settings_dict["NAME"])
    connection.close()
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_name(destination.name + ".restoring")
    shutil.copyfile(copy, staged)
    for leftover in ("-wal", "-shm", "-journal"):
        Path(str(destination) + leftover).unlink(missing_ok=True)
    os.replace(staged, destination)


# PostgreSQL ---------------------------------------------------------------------------------


def _postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, in PG_BIN, or in Debian's versioned directory."""
    for folder in [os.environ.get("PG_BIN", ""), *sorted(glob("/usr/lib/postgresql/*/bin"))[::-1]]:
        if folder and Path(folder, name).is_file():
            return str(Path(folder, name))
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            _("PostgreSQL's %(tool)s was not found: install the PostgreSQL client tools.")
            % {"tool": name}
        )
    return found


def _postgres_call(tool: str, *arguments: str) -> None:
    settings = connection.settings_dict
    environment = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    command = [_postgres_tool(tool), "--no-owner", "--no-privileges", *arguments]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    finished = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        [*command, "--dbname", settings["NAME"]],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise BackupRefused(
            _("%(tool)s failed: %(error)s") % {"tool": tool, "error": finished.stderr.strip()}
        )


def _postgres_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def _postgres_order(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        [f'"{table}"'],
    )
    keys = [name for (name,) in cursor.fetchall()]
    if keys:
        return keys
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def postgres_fingerprints() -> Fingerprints:
    with connection.cursor() as cursor:
        return {
            table: _fingerprint(cursor, table, _postgres_order(cursor, table))
            for table in _postgres_tables(cursor)
        }


def postgres_copy(target: Path) -> Fingerprints:
    """`pg_dump` of the database into `target`, from a snapshot that the fingerprints are read
    from too: what the manifest says is exactly what the dump holds."""
    if connection.in_atomic_block:
        raise BackupRefused(_("A backup runs on its own, outside any other transaction."))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _postgres_call("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}")
        return postgres_fingerprints()


def postgres_put_in_place(dump: Path) -> None:
    """Load a dump into this installation's database (checked empty: its tables and trigger
    functions, made by `migrate`, are dropped first), in one transaction."""
    with connection.cursor() as cursor:
        tables = _postgres_tables(cursor)
        if tables:
            cursor.execute("DROP TABLE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND NOT EXISTS "
            "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        )
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    connection.close()
    _postgres_call("pg_restore", "--single-transaction", "--exit-on-error", str(dump))


# Either -------------------------------------------------------------------------------------


def copy_database(target: Path) -> Fingerprints:
    if connection.vendor == "sqlite":
        return sqlite_copy(target)
    if connection.vendor == "postgresql":
        return postgres_copy(target)
    raise BackupRefused(_("Backups cover SQLite and PostgreSQL databases only."))


def put_database_in_place(copy: Path) -> Fingerprints:
    """Load the copy and give back the fingerprints of what is now in the database."""
    if connection.vendor == "sqlite":
        sqlite_put_in_place(copy)
        return sqlite_fingerprints(Path(connection.settings_dict["NAME"]))
    postgres_put_in_place(copy)
    return postgres_fingerprints()
