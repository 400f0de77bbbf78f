"""Weekly shifts, one-off changes, breaks, time off and statutory holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from fascia.scheduling.timeranges import TimeRange
from fascia.scheduling.working_time import (
    Absence,
    DayChange,
    WeeklyTimes,
    days_between,
    holidays_between,
    working_ranges,
)

TORONTO = ZoneInfo("America/Toronto")
MONDAY = date(2031, 3, 3)
CLINIC, MOBILE = 1, 2
MAYA = 10


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TORONTO).astimezone(UTC)


def shift(weekday: int, start: int, end: int, location: int = CLINIC, **dates: date) -> WeeklyTimes:
    return WeeklyTimes(MAYA, weekday, time(start), time(end), location, **dates)


def test_weekly_shift_minus_lunch_break() -> None:
    result = working_ranges(
        days=[MONDAY],
        zone=TORONTO,
        shifts=[shift(0, 9, 17)],
        breaks=[WeeklyTimes(MAYA, 0, time(12), time(13))],
    )
    assert result == {
        (MAYA, CLINIC): [
            TimeRange(local(MONDAY, 9), local(MONDAY, 12)),
            TimeRange(local(MONDAY, 13), local(MONDAY, 17)),
        ]
    }


def test_mixed_day_clinic_morning_home_visits_afternoon() -> None:
    result = working_ranges(
        days=[MONDAY], zone=TORONTO, shifts=[shift(0, 9, 12), shift(0, 13, 18, MOBILE)]
    )
    assert result[(MAYA, CLINIC)] == [TimeRange(local(MONDAY, 9), local(MONDAY, 12))]
    assert result[(MAYA, MOBILE)] == [TimeRange(local(MONDAY, 13), local(MONDAY, 18))]


def test_one_off_change_replaces_the_days_weekly_hours() -> None:
    result = working_ranges(
        days=[MONDAY],
        zone=TORONTO,
        shifts=[shift(0, 9, 17)],
        changes=[DayChange(MAYA, MONDAY, MOBILE, time(10), time(14))],
    )
    assert result == {(MAYA, MOBILE): [TimeRange(local(MONDAY, 10), local(MONDAY, 14))]}


def test_a_day_off_change_closes_the_day() -> None:
    assert (
        working_ranges(
            days=[MONDAY], zone=TORONTO, shifts=[shift(0, 9, 17)], changes=[DayChange(MAYA, MONDAY)]
        )
        == {}
    )


def test_time_off_is_taken_out_across_days() -> None:
    tuesday = date(2031, 3, 4)
    result = working_ranges(
        days=[MONDAY, tuesday],
        zone=TORONTO,
        shifts=[shift(0, 9, 17), shift(1, 9, 17)],
        absences=[Absence(MAYA, TimeRange(local(MONDAY, 15), local(tuesday, 11)))],
    )
    assert result[(MAYA, CLINIC)] == [
        TimeRange(local(MONDAY, 9), local(MONDAY, 15)),
        TimeRange(local(tuesday, 11), local(tuesday, 17)),
    ]


def test_effective_dates_limit_a_weekly_shift() -> None:
    later = date(2031, 3, 10)
    result = working_ranges(
        days=[MONDAY, later], zone=TORONTO, shifts=[shift(0, 9, 17, effective_from=later)]
    )
    assert result[(MAYA, CLINIC)] == [TimeRange(local(later, 9), local(later, 17))]


def test_statutory_holiday_closes_unless_the_therapist_chose_to_work_it() -> None:
    victoria_day = date(2031, 5, 19)
    closed = holidays_between("ON", victoria_day, victoria_day)
    assert "Victoria Day" in closed[victoria_day]
    assert (
        working_ranges(
            days=[victoria_day], zone=TORONTO, shifts=[shift(0, 9, 17)], closed_days=closed
        )
        == {}
    )
    opened = working_ranges(
        days=[victoria_day],
        zone=TORONTO,
        shifts=[shift(0, 9, 17)],
        closed_days=closed,
        changes=[DayChange(MAYA, victoria_day, CLINIC, time(10), time(14))],
    )
    assert opened[(MAYA, CLINIC)] == [TimeRange(local(victoria_day, 10), local(victoria_day, 14))]


def test_ontario_has_its_nine_statutory_holidays() -> None:
    found = holidays_between("ON", date(2031, 1, 1), date(2031, 12, 31))
    names = " ".join(found.values())
    for holiday in (
        "New Year",
        "Family Day",
        "Good Friday",
        "Victoria Day",
        "Canada Day",
        "Labo",
        "Thanksgiving",
        "Christmas",
        "Boxing Day",
    ):
        assert holiday in names
    assert "Civic Holiday" not in names  # not statutory in Ontario


def test_a_shift_on_the_day_clocks_change_has_its_real_length() -> None:
    spring_forward = date(2031, 3, 9)  # a Sunday: 02:00 becomes 03:00
    result = working_ranges(days=[spring_forward], zone=TORONTO, shifts=[shift(6, 0, 6)])
    (only,) = result[(MAYA, CLINIC)]
    assert only.duration.total_seconds() == 5 * 3600


def test_days_between_is_inclusive() -> None:
    assert days_between(MONDAY, date(2031, 3, 5)) == [MONDAY, date(2031, 3, 4), date(2031, 3, 5)]
