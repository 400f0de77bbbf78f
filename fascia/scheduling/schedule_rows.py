"""The rows the availability engine reads for some therapists over some days, in plain SQL:
their weekly hours, breaks and one-off changes, time off, the practice's locations and rooms,
and what the therapists and rooms are already committed to (occupying appointments and live
slot holds).

A fresh answer for a month of a busy practice reads hundreds of rows, and building queries and
model values through the ORM costs more than the database takes to find them; so each read is
one fixed statement whose values are all bound parameters, giving plain tuples. Busy times come
as whole seconds since the epoch (rounded outwards: what is taken never shrinks), the form the
engine counts in (`timeranges.Seconds`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, models

from fascia.practices.models import Location, Room
from fascia.scheduling.availability import Commitment, Place
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
        rounding = "CEIL" if rounded_up else "FLOOR"
        return f"{rounding}(EXTRACT(EPOCH FROM {column}))::bigint"
    # SQLite keeps UTC text, 'YYYY-MM-DD HH:MM:SS' and perhaps '.ffffff': the whole seconds
    # are the first 19 characters (its date functions would round the fraction to
    # milliseconds). '%s' is written '%%s' in a statement with parameters.
    whole = f"substr({column}, 1, 19)"
    seconds = f"CAST(strftime('%%s', {whole}) AS INTEGER)"
    return f"({seconds} + ({column} > {whole}))" if rounded_up else seconds


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _marks(values: Sequence[Any]) -> str:
    """Placeholders for an IN list of `values` (never empty)."""
    return ", ".join(["%s"] * len(values))


def _aware(value: datetime) -> datetime:
    """A datetime column's value as an aware UTC datetime (SQLite gives it naive, in UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WeeklyHours:
    shifts: list[WeeklyTimes]
    breaks: list[WeeklyTimes]
    changes: list[DayChange]


def read_weekly_hours(therapist_ids: Sequence[int], first_day: date, last_day: date) -> WeeklyHours:
    """The therapists' weekly shifts and breaks, and their one-off changes from `first_day` to
    `last_day` (one query)."""
    if not therapist_ids:
        return WeeklyHours([], [], [])
    ids, day = _marks(therapist_ids), connection.ops.quote_name("date")
    # Every part has the first part's column types (a NULL takes them too).
    sql = (
        "SELECT 0, therapist_id, weekday, starts_at, ends_at, location_id, effective_from,"  # noqa: S608
        f" effective_until FROM {_table(WeeklyShift)} WHERE therapist_id IN ({ids})"
        " UNION ALL SELECT 1, therapist_id, weekday, starts_at, ends_at, NULL, effective_from,"
        f" effective_until FROM {_table(WeeklyBreak)} WHERE therapist_id IN ({ids})"
        f" UNION ALL SELECT 2, therapist_id, NULL, starts_at, ends_at, location_id, {day}, NULL"
        f" FROM {_table(ShiftChange)} WHERE therapist_id IN ({ids})"
        f" AND {day} >= %s AND {day} <= %s"
    )
    params: list[Any] = [*therapist_ids, *therapist_ids, *therapist_ids, first_day, last_day]
    hours = WeeklyHours([], [], [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, therapist_id, weekday, starts, ends, location_id, since, until in cursor:
            if kind == 2:
                hours.changes.append(DayChange(therapist_id, since, location_id, starts, ends))
            else:
                times = WeeklyTimes(therapist_id, weekday, starts, ends, location_id, since, until)
                (hours.breaks if kind else hours.shifts).append(times)
    return hours


def read_time_off(therapist_ids: Sequence[int], window: TimeRange) -> list[Absence]:
    """The therapists' time off that overlaps `window` (one query)."""
    if not therapist_ids:
        return []
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT therapist_id, starts_at, ends_at FROM {_table(TimeOff)}"  # noqa: S608
        f" WHERE therapist_id IN ({_marks(therapist_ids)}) AND ends_at > %s AND starts_at < %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*therapist_ids, adapt(window.start), adapt(window.end)])
        return [
            Absence(therapist_id, TimeRange(_aware(starts), _aware(ends)))
            for therapist_id, starts, ends in cursor
        ]


def read_rooms(location_ids: Sequence[int]) -> dict[int, list[int]]:
    """The active rooms at each location, in the order they are offered (by name)."""
    if not location_ids:
        return {}
    sql = (
        f"SELECT id, location_id FROM {_table(Room)}"  # noqa: S608
        f" WHERE location_id IN ({_marks(location_ids)}) AND is_active ORDER BY name, id"
    )
    rooms: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(location_ids))
        for room_id, location_id in cursor:
            rooms.setdefault(location_id, []).append(room_id)
    return rooms


LocationRow = tuple[int, str, float | None, float | None, str]  # id, kind, lat, long, postal code


def read_locations(practice_id: int) -> list[LocationRow]:
    """Each of the practice's locations: where it is, and whether it is mobile."""
    sql = (
        "SELECT id, kind, latitude, longitude, postal_code"  # noqa: S608
        f" FROM {_table(Location)} WHERE practice_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [practice_id])
        return cursor.fetchall()


def _taken_by(therapist_ids: Sequence[int], room_ids: Sequence[int]) -> tuple[str, list[int]]:
    parts = []
    if therapist_ids:
        parts.append(f"therapist_id IN ({_marks(therapist_ids)})")
    if room_ids:
        parts.append(f"room_id IN ({_marks(room_ids)})")
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
    appointments, holds = _table(Appointment), _table(SlotHold)
    # Our table and column names; every value is bound.
    sql = (
        f"SELECT {columns}, NULL FROM {appointments} WHERE {taken_by}"  # noqa: S608
        f" AND status IN ({_marks(statuses)})"
        " AND busy_until > %s AND busy_from < %s AND id <> %s"
        f" UNION ALL SELECT {columns}, {_seconds('expires_at')} FROM {holds} WHERE {taken_by}"
        " AND expires_at > %s AND busy_until > %s AND busy_from < %s AND token <> %s"
    )
    start, end = adapt(window.start), adapt(window.end)
    params: list[Any] = [*ids, *statuses, start, end, ignore_appointment_id or 0]
    params += [*ids, adapt(now), start, end, ignore_hold_token or ""]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    held_until: int | None = None
    for therapist_id, busy_from, busy_until, room_id, *where, expires in rows:
        found.append(Commitment(therapist_id, busy_from, busy_until, place_of(*where), room_id))
        if expires is not None:
            held_until = expires if held_until is None else min(held_until, expires)
    return Commitments(found, None if held_until is None else moment(held_until))
