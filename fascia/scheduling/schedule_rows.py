"""The rows the availability engine reads for some therapists over some days, in plain SQL:
their working time (weekly hours and breaks, one-off changes, time off), the rooms, and what
the therapists and rooms are already committed to (occupying appointments and live slot
holds).

A fresh answer for a month of a busy practice reads hundreds of rows, and building queries and
model values through the ORM costs more than the database takes to find them; so each read is
one fixed statement whose values are all bound parameters, giving plain tuples. Busy times come
as whole seconds since the epoch (rounded outwards: what is taken never shrinks), the form the
engine counts in (`timeranges.Seconds`).

On PostgreSQL the appointments read — the one every fresh answer makes — is prepared once per
connection (`plain_sql.fetch_prepared`), so the server neither parses nor plans it again: about
a third of the server's work for a month of a clinic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection

from fascia.plain_sql import fetch_prepared, marks, prepares_statements, table
from fascia.practices.models import Room
from fascia.scheduling.availability import Commitment, Place
from fascia.scheduling.busy_limits import LONGEST_BUSY
from fascia.scheduling.models import (
    OCCUPYING_STATUSES,
    Appointment,
    ShiftChange,
    SlotHold,
    TimeOff,
    WeeklyBreak,
    WeeklyShift,
)
from fascia.scheduling.timeranges import TimeRange, moment
from fascia.scheduling.working_time import Absence, DayChange, WeeklyTimes

PlaceOf = Callable[[int, str, float | None, float | None], Place]


@dataclass(frozen=True)
class Commitments:
    found: list[Commitment]
    held_until: datetime | None  # when the first slot hold among them expires


def _seconds(column: str, *, rounded_up: bool = False) -> str:
    """SQL for a timestamp column as whole seconds since the epoch."""
    if connection.vendor == "postgresql":
        # `date_part` counts in double precision, exact to well under a microsecond for these
        # years and several times cheaper than `EXTRACT`'s numeric.
        rounding = "CEIL" if rounded_up else "FLOOR"
        return f"{rounding}(date_part('epoch', {column}))::bigint"
    # SQLite keeps UTC text, 'YYYY-MM-DD HH:MM:SS' and, with a fraction, '.ffffff'. Its date
    # functions round a fraction to milliseconds first, so they are exact only without one
    # (nearly every row: visits start on the minute), and a fraction's whole seconds are
    # taken from the text's first 19 characters ('%s' is written '%%s' in a statement with
    # parameters).
    whole = f"CAST(strftime('%%s', substr({column}, 1, 19)) AS INTEGER)"
    if rounded_up:
        whole = f"({whole} + ({column} > substr({column}, 1, 19)))"
    return f"CASE WHEN length({column}) = 19 THEN {_sqlite_epoch(column)} ELSE {whole} END"


def _sqlite_epoch(column: str) -> str:
    # `unixepoch` (SQLite 3.38 and later) is several times faster than `strftime`.
    if sqlite3.sqlite_version_info >= (3, 38):
        return f"unixepoch({column})"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"


@dataclass(frozen=True)
class WorkingTimeRows:
    shifts: list[WeeklyTimes]
    breaks: list[WeeklyTimes]
    changes: list[DayChange]
    absences: list[Absence]

    def within(
        self, therapist_ids: Sequence[int], first_day: date, last_day: date, window: TimeRange
    ) -> WorkingTimeRows:
        """These rows as `read_working_time` reads them for fewer therapists or days."""
        ids = set(therapist_ids)
        return WorkingTimeRows(
            [shift for shift in self.shifts if shift.therapist_id in ids],
            [pause for pause in self.breaks if pause.therapist_id in ids],
            [
                change
                for change in self.changes
                if change.therapist_id in ids and first_day <= change.day <= last_day
            ],
            [
                absence
                for absence in self.absences
                if absence.therapist_id in ids and absence.period.overlaps(window)
            ],
        )


SHIFT, BREAK, CHANGE, TIME_OFF = range(4)


def read_working_time(
    therapist_ids: Sequence[int], first_day: date, last_day: date, window: TimeRange
) -> WorkingTimeRows:
    """The therapists' weekly shifts and breaks, their one-off changes from `first_day` to
    `last_day`, and their time off overlapping `window` (one query)."""
    rows = WorkingTimeRows([], [], [], [])
    if not therapist_ids:
        return rows
    ids, day = marks(therapist_ids), connection.ops.quote_name("date")
    # Every part has the first part's column types (a NULL takes them too); time off comes as
    # whole seconds, rounded outwards.
    sql = (
        f"SELECT {SHIFT}, therapist_id, weekday, starts_at, ends_at, location_id,"  # noqa: S608
        " effective_from, effective_until, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)"
        f" FROM {table(WeeklyShift)} WHERE therapist_id IN ({ids})"
        f" UNION ALL SELECT {BREAK}, therapist_id, weekday, starts_at, ends_at, NULL,"
        " effective_from, effective_until, NULL, NULL"
        f" FROM {table(WeeklyBreak)} WHERE therapist_id IN ({ids})"
        f" UNION ALL SELECT {CHANGE}, therapist_id, NULL, starts_at, ends_at, location_id,"
        f" {day}, NULL, NULL, NULL FROM {table(ShiftChange)} WHERE therapist_id IN ({ids})"
        f" AND {day} >= %s AND {day} <= %s"
        f" UNION ALL SELECT {TIME_OFF}, therapist_id, NULL, NULL, NULL, NULL, NULL, NULL,"
        f" {_seconds('starts_at')}, {_seconds('ends_at', rounded_up=True)}"
        f" FROM {table(TimeOff)} WHERE therapist_id IN ({ids})"
        " AND ends_at > %s AND starts_at < %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = [*therapist_ids, *therapist_ids, *therapist_ids, first_day, last_day]
    params += [*therapist_ids, adapt(window.start), adapt(window.end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    for kind, therapist_id, weekday, starts, ends, location, since, until, *off in found:
        if kind == TIME_OFF:
            period = TimeRange(moment(off[0]), moment(off[1]))
            rows.absences.append(Absence(therapist_id, period))
        elif kind == CHANGE:
            rows.changes.append(DayChange(therapist_id, since, location, starts, ends))
        else:
            times = WeeklyTimes(therapist_id, weekday, starts, ends, location, since, until)
            (rows.shifts if kind == SHIFT else rows.breaks).append(times)
    return rows


def read_rooms(location_ids: Sequence[int]) -> dict[int, list[int]]:
    """The active rooms at each location, in the order they are offered (by name)."""
    if not location_ids:
        return {}
    sql = (
        f"SELECT id, location_id FROM {table(Room)}"  # noqa: S608
        f" WHERE location_id IN ({marks(location_ids)}) AND is_active ORDER BY name, id"
    )
    rooms: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(location_ids))
        for room_id, location_id in cursor.fetchall():
            rooms.setdefault(location_id, []).append(room_id)
    return rooms


def _taken_by(therapist_ids: Sequence[int], room_ids: Sequence[int]) -> tuple[str, list[Any]]:
    if prepares_statements():  # one statement text for any number of therapists and rooms
        either = "(therapist_id = ANY(%s) OR room_id = ANY(%s))"
        return either, [list(therapist_ids), list(room_ids)]
    parts = []
    if therapist_ids:
        parts.append(f"therapist_id IN ({marks(therapist_ids)})")
    if room_ids:
        parts.append(f"room_id IN ({marks(room_ids)})")
    return f"({' OR '.join(parts)})", [*therapist_ids, *room_ids]


def read_commitments(
    *,
    therapist_ids: Sequence[int],
    room_ids: Sequence[int],
    window: TimeRange,
    now: datetime,
    place_of: PlaceOf,
    ignore_appointment_id: int | None = None,
    ignore_hold_token: str | None = None,
) -> Commitments:
    """The occupying appointments and the holds live at `now` of these therapists or in these
    rooms that are busy at some time inside `window`; an appointment or hold being replaced
    (`ignore_…`) is left out."""
    if not therapist_ids and not room_ids:
        return Commitments([], None)
    taken_by, ids = _taken_by(therapist_ids, room_ids)
    adapt = connection.ops.adapt_datetimefield_value
    statuses = list(OCCUPYING_STATUSES)
    columns = (
        f"therapist_id, {_seconds('busy_from')}, {_seconds('busy_until', rounded_up=True)}, "
        "room_id, location_id, visit_postal_code, visit_latitude, visit_longitude"
    )
    appointments, holds = table(Appointment), table(SlotHold)
    # Our table and column names; every value is bound.
    sql = (
        f"SELECT {columns}, CAST(NULL AS BIGINT) FROM {appointments} WHERE {taken_by}"  # noqa: S608
        f" AND status IN ({marks(statuses)})"
        " AND busy_until > %s AND busy_until < %s AND busy_from < %s AND id <> %s"
        f" UNION ALL SELECT {columns}, {_seconds('expires_at')} FROM {holds} WHERE {taken_by}"
        " AND expires_at > %s AND busy_until > %s AND busy_until < %s AND busy_from < %s"
        " AND token <> %s"
    )
    # Busy no longer than a day (the database's check, `busy_limits`): what is busy inside the
    # window ends before a day after it, so both ends of the index's range are known.
    start, end = adapt(window.start), adapt(window.end)
    ends_by = adapt(window.end + LONGEST_BUSY)
    params: list[Any] = [*ids, *statuses, start, ends_by, end, ignore_appointment_id or 0]
    params += [*ids, adapt(now), start, ends_by, end, ignore_hold_token or ""]
    rows = fetch_prepared("fascia_commitments", sql, params)
    found = []
    held_until: int | None = None
    clinics: dict[int, Place] = {}  # most visits are at a clinic: its place, asked once
    for therapist_id, busy_from, busy_until, room_id, location, *home, expires in rows:
        if home[0]:  # a client's home, by postal code
            place = place_of(location, *home)
        else:
            place = clinics.get(location) or clinics.setdefault(
                location, place_of(location, "", None, None)
            )
        found.append(Commitment(therapist_id, busy_from, busy_until, place, room_id))
        if expires is not None:
            held_until = expires if held_until is None else min(held_until, expires)
    return Commitments(found, None if held_until is None else moment(held_until))
