"""Moving several visits at once (`move_appointments`): the one way appointments change time,
used by reschedule and the day planner. All or none; every new time re-checked as a booking
would be; clients told and the freed times announced only once the change is saved."""

from __future__ import annotations

from typing import Any

import pytest

from fascia.audit.models import AuditEntry
from fascia.mobile.planner import apply_day_plan, propose_day_plan
from fascia.mobile.tests.test_planner import TUESDAY, scrambled_day
from fascia.notifications.models import OutboundMessage
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.errors import BookingError, NotPermitted, SlotUnavailable
from fascia.scheduling.models import Appointment, TimeOff, WeeklyBreak
from fascia.scheduling.moves import Move, move_appointments
from fascia.scheduling.signals import time_freed
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, MobileWeek, at


def _two_visits(week: ClinicWeek) -> tuple[Appointment, Appointment]:
    first = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    second = book_appointment(
        week.practice, week.request(at(MONDAY, 11, 30), client=week.other_client), now=NOW
    ).appointment
    return first, second


def test_two_visits_trade_places_in_one_change(
    week: ClinicWeek, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = _two_visits(week)
    OutboundMessage.objects.all().delete()
    freed: list[Any] = []

    def listen(sender: Any, **announced: Any) -> None:
        freed.append(announced["start"])

    time_freed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            results = move_appointments(
                week.practice,
                [Move(first, at(MONDAY, 11, 30)), Move(second, at(MONDAY, 10))],
                by=week.cast.front_desk,
                as_staff=True,
                now=NOW,
            )
    finally:
        time_freed.disconnect(listen)
    assert [r.appointment.starts_at for r in results] == [at(MONDAY, 11, 30), at(MONDAY, 10)]
    assert Appointment.objects.get(pk=first.pk).starts_at == at(MONDAY, 11, 30)
    assert Appointment.objects.get(pk=second.pk).busy_from == at(MONDAY, 10)
    assert sorted(freed) == [at(MONDAY, 10), at(MONDAY, 11, 30)]
    assert OutboundMessage.objects.count() == 2  # each client told of the new time
    details = AuditEntry.objects.filter(record_id__in=[str(first.pk), str(second.pk)]).values_list(
        "detail", flat=True
    )
    assert "moved from 2031-03-03 10:00" in details


def test_a_move_into_time_off_or_a_break_is_refused_and_nothing_moves(week: ClinicWeek) -> None:
    first, second = _two_visits(week)
    TimeOff.objects.create(
        practice=week.practice,
        therapist=week.maya,
        starts_at=at(MONDAY, 14),
        ends_at=at(MONDAY, 16),
    )
    with pytest.raises(SlotUnavailable):
        move_appointments(
            week.practice,
            [Move(first, at(MONDAY, 13)), Move(second, at(MONDAY, 14, 30))],
            as_staff=True,
            now=NOW,
        )
    WeeklyBreak.objects.create(
        practice=week.practice,
        therapist=week.maya,
        weekday=MONDAY.weekday(),
        starts_at=at(MONDAY, 12).astimezone(week.practice.zone).time(),
        ends_at=at(MONDAY, 13).astimezone(week.practice.zone).time(),
    )
    with pytest.raises(SlotUnavailable):
        move_appointments(week.practice, [Move(first, at(MONDAY, 12))], as_staff=True, now=NOW)
    assert Appointment.objects.get(pk=first.pk).starts_at == at(MONDAY, 10)
    assert Appointment.objects.get(pk=second.pk).starts_at == at(MONDAY, 11, 30)


def test_moved_visits_may_not_collide_with_each_other(week: ClinicWeek) -> None:
    first, second = _two_visits(week)
    with pytest.raises(SlotUnavailable):
        move_appointments(
            week.practice,
            [Move(first, at(MONDAY, 14)), Move(second, at(MONDAY, 14, 30))],
            as_staff=True,
            now=NOW,
        )
    assert Appointment.objects.get(pk=second.pk).starts_at == at(MONDAY, 11, 30)


def test_a_visit_that_changed_meanwhile_is_refused(week: ClinicWeek) -> None:
    first, _ = _two_visits(week)
    with pytest.raises(BookingError, match="changed since"):
        move_appointments(
            week.practice,
            [Move(first, at(MONDAY, 14), expected_start=at(MONDAY, 9))],
            as_staff=True,
            now=NOW,
        )


def test_only_the_therapist_or_the_owner_applies_a_day_plan(mobile_week: MobileWeek) -> None:
    scrambled_day(mobile_week)
    plan = propose_day_plan(mobile_week.week.maya, TUESDAY)
    cast = mobile_week.week.cast
    for someone in (cast.front_desk, cast.bookkeeper, mobile_week.week.dan.user, None):
        with pytest.raises(NotPermitted):
            apply_day_plan(plan, fingerprint=plan.fingerprint, by=someone, now=NOW)
    assert apply_day_plan(plan, fingerprint=plan.fingerprint, by=cast.owner, now=NOW)


def test_the_planner_refuses_a_plan_that_lands_in_time_off(mobile_week: MobileWeek) -> None:
    """Before the planner went through the booking engine it moved visits into time off."""
    scrambled_day(mobile_week)
    plan = propose_day_plan(mobile_week.week.maya, TUESDAY)
    moving = plan.changes[0]
    TimeOff.objects.create(
        practice=mobile_week.practice,
        therapist=mobile_week.week.maya,
        starts_at=moving.start,
        ends_at=moving.start + moving.appointment.duration,
    )
    with pytest.raises(SlotUnavailable):
        apply_day_plan(plan, fingerprint=plan.fingerprint, by=mobile_week.week.maya.user, now=NOW)
    assert [a.starts_at for a in Appointment.objects.order_by("pk")] == [
        v.previous_start for v in sorted(plan.visits, key=lambda v: v.appointment.pk)
    ]
