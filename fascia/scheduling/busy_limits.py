"""How long one visit or hold may keep a therapist busy, and the database's own check of it.

The availability engine reads what is taken around the days asked about by the end of each
busy time (`schedule_rows.read_commitments`): with no longest visit, every later appointment of
the therapists would be scanned. So a service is at most `LONGEST_SERVICE_MINUTES` long with at
most `LONGEST_BUFFER_MINUTES` each side (`practices.models`; the set-up forms refuse more), and
the database refuses any appointment or hold busy longer than `LONGEST_BUSY`, whatever wrote
it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import NotSupportedError
from django.db.models import F, FloatField, Func
from django.db.models.lookups import LessThanOrEqual

from fascia.practices.models import LONGEST_BUFFER_MINUTES, LONGEST_SERVICE_MINUTES

LONGEST_BUSY = timedelta(days=1)
assert timedelta(minutes=LONGEST_SERVICE_MINUTES + 2 * LONGEST_BUFFER_MINUTES) <= LONGEST_BUSY


class SecondsBetween(Func):
    """Seconds from one timestamp column to another, in the database's own arithmetic (plain
    SQL functions, so the check holds for any client of the database file)."""

    output_field = FloatField()
    arity = 2

    def _ends(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return start, end, [*end_params, *start_params]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        start, end, params = self._ends(compiler, connection)
        return f"((julianday({end}) - julianday({start})) * 86400.0)", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        start, end, params = self._ends(compiler, connection)
        return f"EXTRACT(EPOCH FROM ({end} - {start}))", params

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        raise NotSupportedError(f"No busy-time check written for {connection.vendor}.")


def busy_at_most_the_longest() -> LessThanOrEqual:
    """The check constraint's condition: busy no longer than `LONGEST_BUSY`."""
    return LessThanOrEqual(
        SecondsBetween(F("busy_from"), F("busy_until")), LONGEST_BUSY.total_seconds()
    )
