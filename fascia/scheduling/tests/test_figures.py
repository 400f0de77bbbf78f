"""How a week went, counted by hand and by `scheduling.figures`: visits, no-show and
late-cancellation rates out of the visits that were due, each therapist's schedule fill, and
new versus returning clients."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fascia.scheduling.booking import book_appointment
from fascia.scheduling.figures import (
    attendance,
    client_mix,
    clients_new_and_returning,
    schedule_fill,
    visits_by_therapist,
)
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at

SUNDAY = MONDAY + timedelta(days=6)


def visit(week: ClinicWeek, day: date, hour: int, status: str, **changes: object) -> Appointment:
    booked = book_appointment(
        week.practice, week.request(at(day, hour), **changes), now=NOW
    ).appointment
    Appointment.objects.filter(pk=booked.pk).update(status=status)
    return booked


def a_week_of_visits(week: ClinicWeek) -> None:
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    visit(week, MONDAY, 10, AppointmentStatus.COMPLETED)
    visit(week, MONDAY, 14, AppointmentStatus.NO_SHOW)
    visit(week, tuesday, 10, AppointmentStatus.LATE_CANCELLED)
    visit(week, wednesday, 9, AppointmentStatus.CANCELLED)
    visit(
        week, tuesday, 11, AppointmentStatus.COMPLETED, therapist=week.dan, client=week.other_client
    )
    # Casey came once before, in February: this week she is a returning client.
    earlier = visit(week, wednesday, 15, AppointmentStatus.COMPLETED)
    Appointment.objects.filter(pk=earlier.pk).update(
        starts_at=earlier.starts_at - timedelta(days=30),
        ends_at=earlier.ends_at - timedelta(days=30),
        busy_from=earlier.busy_from - timedelta(days=30),
        busy_until=earlier.busy_until - timedelta(days=30),
    )


def test_rates_are_out_of_the_visits_that_were_due(week: ClinicWeek) -> None:
    a_week_of_visits(week)
    counted = attendance(week.practice, MONDAY, SUNDAY)
    # Two given, one no-show, one late cancellation; the cancellation in time is not due.
    assert (counted.completed, counted.no_shows, counted.late_cancellations) == (2, 1, 1)
    assert counted.cancellations == 1 and counted.due == 4
    assert counted.no_show_rate == Decimal("25.0")
    assert counted.late_cancellation_rate == Decimal("25.0")
    assert attendance(week.practice, MONDAY, MONDAY, therapist=week.dan).completed == 0
    assert attendance(week.practice, date(2031, 4, 1), date(2031, 4, 30)).no_show_rate == 0


def test_schedule_fill_is_booked_time_over_working_time(week: ClinicWeek) -> None:
    a_week_of_visits(week)
    fills = {fill.therapist.pk: fill for fill in schedule_fill(week.practice, MONDAY, SUNDAY)}
    maya, dan = fills[week.maya.pk], fills[week.dan.pk]
    # 9 to 5, Monday to Friday: 2,400 minutes each. Maya was booked for the visit given and
    # the no-show (the cancellations freed their time); Dan for one visit.
    assert (maya.working_minutes, maya.booked_minutes, maya.percent) == (2400, 120, Decimal("5.0"))
    assert (dan.working_minutes, dan.booked_minutes, dan.percent) == (2400, 60, Decimal("2.5"))
    one_day = {f.therapist.pk: f for f in schedule_fill(week.practice, MONDAY, MONDAY)}
    assert one_day[week.maya.pk].percent == Decimal("25.0")  # 120 of 480 minutes


def test_a_client_is_new_in_the_period_of_their_first_visit(week: ClinicWeek) -> None:
    a_week_of_visits(week)
    mix = client_mix(week.practice, MONDAY, SUNDAY)
    assert (mix.new, mix.returning, mix.returning_share) == (1, 1, Decimal("50.0"))
    february = client_mix(week.practice, date(2031, 1, 27), date(2031, 2, 28))
    assert (february.new, february.returning) == (1, 0)
    report = clients_new_and_returning(week.practice, MONDAY, SUNDAY)
    assert report.totals == ("Total", 2)


def test_visits_by_therapist_adds_up_and_draws_its_chart(week: ClinicWeek) -> None:
    a_week_of_visits(week)
    report = visits_by_therapist(week.practice, MONDAY, SUNDAY)
    rows = {row[0]: row[1:] for row in report.rows}
    assert rows[week.maya.display_name] == (1, 1, 1, "5.0%")
    assert rows["Dan Okafor"] == (1, 0, 0, "2.5%")
    assert report.totals == ("Total", 2, 1, 1, "")
    assert report.chart is not None
    assert {bar.label: bar.value_text for bar in report.chart.bars}["Dan Okafor"] == "1"
