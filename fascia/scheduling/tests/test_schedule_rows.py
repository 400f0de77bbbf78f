"""What the engine reads for a question: working time, and what is already taken (appointments
and holds in whole seconds)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from fascia.scheduling.availability import Place
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.holds import hold_slot
from fascia.scheduling.models import (
    Appointment,
    AppointmentStatus,
    ShiftChange,
    SlotHold,
    TimeOff,
    WeeklyBreak,
)
from fascia.scheduling.schedule_rows import Commitments, read_commitments, read_working_time
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at
from fascia.scheduling.timeranges import TimeRange


def seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def read(week: ClinicWeek, **changes: Any) -> Commitments:
    question: dict[str, Any] = {
        "therapist_ids": [week.maya.pk],
        "room_ids": [room.pk for room in week.rooms],
        "window": TimeRange(at(MONDAY, 0), at(MONDAY, 23)),
        "now": NOW,
        "place_of": lambda location_id, postal_code, latitude, longitude: Place(
            location_id, latitude, longitude, postal_code
        ),
        **changes,
    }
    return read_commitments(**question)


def monday_visit_and_hold(week: ClinicWeek) -> tuple[Appointment, SlotHold]:
    """Maya's visit on Monday at 10, and a client's hold on her 14:00."""
    booked = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    hold = hold_slot(
        week.practice,
        service=week.service,
        minutes=60,
        therapist=week.maya,
        location=week.clinic,
        start=at(MONDAY, 14),
        now=NOW,
    )
    return booked, hold


def test_appointments_and_live_holds_are_read_in_whole_seconds(week: ClinicWeek) -> None:
    booked, hold = monday_visit_and_hold(week)
    committed = read(week)
    found = sorted(
        (c.busy_from, c.busy_until, c.therapist_id, c.room_id, c.place.location_id)
        for c in committed.found
    )
    assert found == [
        (
            seconds(at(MONDAY, 10)),
            seconds(at(MONDAY, 11, 10)),  # ten minutes' turnover
            week.maya.pk,
            booked.room_id,
            week.clinic.pk,
        ),
        (
            seconds(hold.busy_from),
            seconds(hold.busy_until),
            week.maya.pk,
            hold.room_id,
            week.clinic.pk,
        ),
    ]
    assert committed.held_until == hold.expires_at.replace(microsecond=0)
    # The appointment being moved and the hold being booked are left out when asked.
    assert not read(week, ignore_appointment_id=booked.pk, ignore_hold_token=hold.token).found
    # A hold that has expired, and a cancelled visit, take nothing.
    later = hold.expires_at + timedelta(seconds=1)
    Appointment.objects.filter(pk=booked.pk).update(status=AppointmentStatus.CANCELLED)
    assert not read(week, now=later).found


def test_a_fraction_of_a_second_rounds_taken_time_outwards(week: ClinicWeek) -> None:
    booked = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    Appointment.objects.filter(pk=booked.pk).update(
        busy_from=booked.busy_from - timedelta(microseconds=250),
        busy_until=booked.busy_until + timedelta(microseconds=250),
    )
    (commitment,) = read(week).found
    assert commitment.busy_from == seconds(booked.busy_from) - 1
    assert commitment.busy_until == seconds(booked.busy_until) + 1


def test_busy_time_is_read_only_around_the_window(week: ClinicWeek) -> None:
    book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    just_before = TimeRange(at(MONDAY, 11, 10), at(MONDAY, 12))  # it is busy until 11:10
    assert not read(week, window=just_before).found
    overlapping = TimeRange(at(MONDAY, 11, 9), at(MONDAY, 12))
    assert len(read(week, window=overlapping).found) == 1


def test_working_time_is_read_in_one_statement(
    week: ClinicWeek, django_assert_num_queries: Any
) -> None:
    """Weekly shifts and breaks, the one-off changes inside the days asked, and time off
    overlapping the window (in whole seconds, rounded outwards)."""
    maya = week.maya
    WeeklyBreak.objects.create(
        practice=week.practice, therapist=maya, weekday=0, starts_at=time(12), ends_at=time(13)
    )
    ShiftChange.objects.create(
        practice=week.practice,
        therapist=maya,
        date=MONDAY + timedelta(days=1),
        location=week.clinic,
        starts_at=time(10),
        ends_at=time(14),
    )
    ShiftChange.objects.create(  # after the days asked
        practice=week.practice, therapist=maya, date=MONDAY + timedelta(days=9)
    )
    TimeOff.objects.create(
        practice=week.practice,
        therapist=maya,
        starts_at=at(MONDAY, 15) + timedelta(microseconds=500),
        ends_at=at(MONDAY, 16) + timedelta(microseconds=500),
    )
    window = TimeRange(at(MONDAY, 0), at(MONDAY + timedelta(days=2), 0))
    with django_assert_num_queries(1):
        rows = read_working_time([maya.pk], MONDAY, MONDAY + timedelta(days=2), window)
    assert {(s.weekday, s.starts, s.ends, s.location_id) for s in rows.shifts} >= {
        (0, time(9), time(17), week.clinic.pk)
    }
    assert all(s.therapist_id == maya.pk for s in rows.shifts)
    assert [(b.weekday, b.starts, b.ends, b.location_id) for b in rows.breaks] == [
        (0, time(12), time(13), None)
    ]
    assert [(c.day, c.location_id, c.starts, c.ends) for c in rows.changes] == [
        (MONDAY + timedelta(days=1), week.clinic.pk, time(10), time(14))
    ]
    (absence,) = rows.absences
    assert absence.period == TimeRange(at(MONDAY, 15), at(MONDAY, 16, 0) + timedelta(seconds=1))


def test_the_database_refuses_a_visit_or_hold_busy_for_more_than_a_day(week: ClinicWeek) -> None:
    """The appointments read is ranged on both sides because nothing is busy longer than a
    day, whatever wrote it."""
    booked, hold = monday_visit_and_hold(week)
    for model, row in ((Appointment, booked), (SlotHold, hold)):
        too_long = row.busy_from + timedelta(days=1, seconds=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=row.pk).update(busy_until=too_long)
        model.objects.filter(pk=row.pk).update(busy_until=row.busy_from + timedelta(days=1))


def test_a_visit_that_began_the_day_before_is_still_read(week: ClinicWeek) -> None:
    booked = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    Appointment.objects.filter(pk=booked.pk).update(
        busy_from=at(MONDAY, 10) - timedelta(hours=23), busy_until=at(MONDAY, 11)
    )
    window = TimeRange(at(MONDAY, 10, 30), at(MONDAY, 12))
    (commitment,) = read(week, window=window).found
    assert commitment.busy_from == seconds(at(MONDAY, 10) - timedelta(hours=23))


def prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
@pytest.mark.django_db(transaction=True)  # connections closed and opened
def test_on_postgresql_the_appointments_read_is_prepared_once_per_connection(
    week: ClinicWeek, settings: Any, django_assert_num_queries: Any
) -> None:
    book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    settings.FASCIA_PREPARED_READS = False
    as_written = read(week).found
    connection.close()  # a new connection has prepared nothing
    assert "fascia_commitments" not in prepared_here()
    settings.FASCIA_PREPARED_READS = True
    with django_assert_num_queries(1):  # preparing it is not a query of the request's
        first = read(week).found
    assert "fascia_commitments" in prepared_here()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert read(week).found == first
        raise RuntimeError("rolled back")
    # A rollback keeps the prepared statement; the same rows come back, for any number of
    # therapists and rooms (none at all included).
    assert read(week).found == first == as_written and len(first) == 1
    assert read(week, room_ids=[]).found == first
    assert read(week, therapist_ids=[week.dan.pk], room_ids=[]).found == []
    assert len(read(week, therapist_ids=[week.maya.pk, week.dan.pk]).found) == 1
