"""Reads on the path of every request, in plain SQL: the session, the signed-in person, their
places on practices' staff, the stamps a remembered page is kept under, a month of
appointments.

Building a query through the ORM costs several times what the database takes to answer it, and
these run on every page; so each is one fixed statement whose values are all bound, and rows
become model instances through the same converters the ORM applies (`instances`).

On PostgreSQL each statement is prepared once per connection (`PREPARE`, not counted as a
query; a prepared statement outlives a rollback), and each read runs `EXECUTE` with its values,
so the server neither parses nor plans it again. Behind a connection pooler that hands each
transaction another server connection (PgBouncer in transaction mode before 1.21), turn this
off with `DATABASE_PREPARED_READS=false` (`FASCIA_PREPARED_READS`).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models

ModelT = TypeVar("ModelT", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


def prepares_statements() -> bool:
    return connection.vendor == "postgresql" and settings.FASCIA_PREPARED_READS


# The statements prepared on each database connection (a new connection has none).
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def marks(values: Sequence[Any]) -> str:
    """One placeholder for each value."""
    return ", ".join(["%s"] * len(values))


def fetch_prepared(name: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of `sql` with `params` (one query): on PostgreSQL, as the statement `name`
    prepared on this connection the first time; elsewhere, as it is. `sql` must be the same
    text every time it is read under `name`."""
    with connection.cursor() as cursor:
        if not prepares_statements():
            cursor.execute(sql, params)
            return cursor.fetchall()
        session = connection.connection
        prepared = _prepared.setdefault(session, set())
        if name not in prepared:
            numbers = iter(range(1, len(params) + 1))
            numbered = re.sub("%s", lambda _: f"${next(numbers)}", sql)
            session.execute(f"PREPARE {name} AS {numbered}")  # the types come from the columns
            prepared.add(name)
        cursor.execute(f"EXECUTE {name}({marks(params)})", params)
        return cursor.fetchall()


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def columns(model: type[models.Model], alias: str = "") -> str:
    """Every column of `model`, in the order `instances` reads them."""
    quote = connection.ops.quote_name
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + quote(field.column) for field in model._meta.concrete_fields)


_converters: dict[tuple[str, type[models.Model]], list[tuple[Any, list[Converter]]]] = {}


def instances(model: type[ModelT], rows: Sequence[Sequence[Any]], start: int = 0) -> list[ModelT]:
    """`model`'s instances from rows that hold `columns(model)` from `start` on, as the ORM
    would have read them (the database's values converted the same way); any other columns are
    left off."""
    fields = model._meta.concrete_fields
    key = (connection.vendor, model)
    converters = _converters.get(key)
    if converters is None:
        converters = _converters[key] = []
        for field in fields:
            column = field.get_col(model._meta.db_table)
            found = [
                *connection.ops.get_db_converters(column),
                *field.get_db_converters(connection),  # type: ignore[attr-defined]
            ]
            converters.append((column, found))
    names = [field.attname for field in fields]
    read = []
    for row in rows:
        values = list(row[start : start + len(fields)])
        for index, (column, field_converters) in enumerate(converters):
            for converter in field_converters:
                values[index] = converter(values[index], column, connection)
        read.append(model.from_db(connection.alias, names, values))
    return read
