"""When each therapist works where: weekly shifts, one-off changes, breaks, time off and
statutory holidays turned into time ranges. Pure functions over plain values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

from fascia.scheduling.timeranges import TimeRange, normalise, subtract

TherapistAtLocation = tuple[int, int]  # (therapist id, location id)


class WeeklyTimes(NamedTuple):
    """A weekly shift (location set) or break (location None). Named tuples, like the
    others here: a question about a month reads a few hundred."""

    therapist_id: int
    weekday: int
    starts: time
    ends: time
    location_id: int | None = None
    effective_from: date | None = None
    effective_until: date | None = None

    def applies_on(self, day: date) -> bool:
        return day.weekday() == self.weekday and self.in_effect_on(day)

    def in_effect_on(self, day: date) -> bool:
        """Whether `day` is within its dates (whatever the weekday)."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_until is None or day <= self.effective_until
        )


class DayChange(NamedTuple):
    """A one-off change replacing a therapist's weekly shifts on one date; no location means
    a day off."""

    therapist_id: int
    day: date
    location_id: int | None = None
    starts: time | None = None
    ends: time | None = None


class Absence(NamedTuple):
    therapist_id: int
    period: TimeRange


def local_range(day: date, starts: time, ends: time, zone: ZoneInfo) -> TimeRange:
    """Wall-clock times on a day in the clinic's zone, as a UTC range."""
    return TimeRange(
        datetime.combine(day, starts, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, ends, tzinfo=zone).astimezone(UTC),
    )


@lru_cache(maxsize=64)
def statutory_holidays(province: str, year: int) -> dict[date, str]:
    """The province's statutory holidays in a year (e.g. Ontario's nine)."""
    return dict(holidays.country_holidays("CA", subdiv=province, years=year))


def holidays_between(province: str, first: date, last: date) -> dict[date, str]:
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update(
            (day, name)
            for day, name in statutory_holidays(province, year).items()
            if first <= day <= last
        )
    return found


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def scheduled_hours(
    *,
    days: Iterable[date],
    zone: ZoneInfo,
    shifts: Iterable[WeeklyTimes],
    changes: Iterable[DayChange] = (),
    closed_days: Iterable[date] = (),
) -> dict[TherapistAtLocation, list[TimeRange]]:
    """Each therapist's shifts at each location over `days`, before breaks and time off: a
    day's one-off changes replace its weekly shifts (and open a closed day, such as a statutory
    holiday the therapist chose to work)."""
    closed = set(closed_days)
    weekly: dict[int, dict[int, list[WeeklyTimes]]] = defaultdict(lambda: defaultdict(list))
    for shift in shifts:
        weekly[shift.therapist_id][shift.weekday].append(shift)
    changed: dict[int, dict[date, list[DayChange]]] = defaultdict(lambda: defaultdict(list))
    for change in changes:
        changed[change.therapist_id][change.day].append(change)

    calendar = [(day, day.weekday(), day in closed) for day in days]
    hours_by_place: dict[TherapistAtLocation, list[TimeRange]] = defaultdict(list)
    # Therapists mostly keep the same hours: each day's wall-clock hours are turned into UTC
    # once, however many work them.
    in_utc: dict[tuple[date, time, time], TimeRange] = {}
    for therapist_id in sorted(weekly.keys() | changed.keys()):
        their_week, their_changes = weekly.get(therapist_id, {}), changed.get(therapist_id, {})
        for day, weekday, is_closed in calendar:
            day_changes = their_changes.get(day)
            hours: list[tuple[int, time, time]]
            if day_changes is not None:
                hours = [
                    (change.location_id, change.starts, change.ends)
                    for change in day_changes
                    if change.location_id is not None and change.starts and change.ends
                ]
            elif is_closed or weekday not in their_week:
                continue
            else:
                hours = [
                    (shift.location_id, shift.starts, shift.ends)
                    for shift in their_week[weekday]
                    if shift.location_id is not None and shift.in_effect_on(day)
                ]
            for location_id, starts, ends in hours:
                utc = in_utc.get((day, starts, ends))
                if utc is None:
                    utc = in_utc[(day, starts, ends)] = local_range(day, starts, ends, zone)
                hours_by_place[(therapist_id, location_id)].append(utc)
    return {key: normalise(ranges) for key, ranges in hours_by_place.items()}


def working_ranges(
    *,
    days: Iterable[date],
    zone: ZoneInfo,
    shifts: Iterable[WeeklyTimes],
    breaks: Iterable[WeeklyTimes] = (),
    changes: Iterable[DayChange] = (),
    absences: Iterable[Absence] = (),
    closed_days: Iterable[date] = (),
    scheduled: dict[TherapistAtLocation, list[TimeRange]] | None = None,
) -> dict[TherapistAtLocation, list[TimeRange]]:
    """Each therapist's bookable working time at each location over `days`: their scheduled
    hours (`scheduled_hours`, or as given) with breaks and absences taken out."""
    days = list(days)
    if scheduled is None:
        scheduled = scheduled_hours(
            days=days, zone=zone, shifts=shifts, changes=changes, closed_days=closed_days
        )
    breaks_by_therapist: dict[int, list[WeeklyTimes]] = defaultdict(list)
    for pause in breaks:
        breaks_by_therapist[pause.therapist_id].append(pause)
    absences_by_therapist: dict[int, list[TimeRange]] = defaultdict(list)
    for absence in absences:
        absences_by_therapist[absence.therapist_id].append(absence.period)

    result: dict[TherapistAtLocation, list[TimeRange]] = {}
    for (therapist_id, location_id), ranges in scheduled.items():
        taken_out = list(absences_by_therapist.get(therapist_id, ()))
        for pause in breaks_by_therapist.get(therapist_id, ()):
            taken_out.extend(
                local_range(r_day, pause.starts, pause.ends, zone)
                for r_day in {r.start.astimezone(zone).date() for r in ranges}
                if pause.applies_on(r_day)
            )
        remaining = subtract(ranges, taken_out)
        if remaining:
            result[(therapist_id, location_id)] = remaining
    return result
