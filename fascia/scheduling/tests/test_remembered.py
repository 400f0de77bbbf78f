"""Remembered availability: a repeated question is answered without reading the schedule again,
a booking forgets only the answers about that therapist's (or room's) days, and every change to
the schedule — through an action, the admin, a bulk update, a rolled-back transaction, or simply
the clock — is seen by the very next question."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction

from fascia.scheduling.attendance import cancel_appointment
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.holds import hold_slot
from fascia.scheduling.models import Appointment, AppointmentStatus, TimeOff, WeeklyShift
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.remembered import Scope, stamps_digest
from fascia.scheduling.schedule import AvailabilityRequest, available_slots
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at


def monday(week: ClinicWeek, **changes: Any) -> AvailabilityRequest:
    values: dict[str, Any] = {
        "service": week.service,
        "minutes": 60,
        "first_day": MONDAY,
        "last_day": MONDAY,
        "therapist": week.maya,
    }
    values.update(changes)
    return AvailabilityRequest(**values)


def starts(week: ClinicWeek, now: Any = NOW, **changes: Any) -> list[int]:
    """Maya's Monday start hours (local), as offered at `now`."""
    slots = available_slots(week.practice, monday(week, **changes), now=now)
    return sorted({slot.start.astimezone(week.practice.zone).hour for slot in slots})


def first_start(week: ClinicWeek, now: Any) -> str:
    slots = available_slots(week.practice, monday(week), now=now)
    return f"{slots[0].start.astimezone(week.practice.zone):%H:%M}"


def test_a_repeated_question_reads_only_the_stamps(
    week: ClinicWeek, django_assert_num_queries: Any
) -> None:
    # The stamps; the practice's stamp and its set-up (read once); then the schedule.
    with django_assert_num_queries(12):
        first = available_slots(week.practice, monday(week), now=NOW)
    with django_assert_num_queries(1):
        again = available_slots(week.practice, monday(week), now=NOW)
    assert again == first and first
    # Another question is worked out afresh: the set-up, rooms and working time included, is
    # known while its stamp is unchanged.
    with django_assert_num_queries(4):
        available_slots(week.practice, monday(week, minutes=60, therapist=week.dan), now=NOW)


def test_with_a_dummy_cache_every_question_is_worked_out_without_reading_stamps(
    week: ClinicWeek, django_assert_num_queries: Any, settings: Any
) -> None:
    """`CACHE_URL=dummycache://` turns remembering off: nothing is kept in the process either,
    and no stamps are read for an answer that will not be kept."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    available_slots(week.practice, monday(week), now=NOW)  # the set-up is read once
    for _ in range(2):
        # The appointments with holds; the practice's stamp twice (its set-up, rooms and
        # working time included, known).
        with django_assert_num_queries(3):
            assert starts(week) == [9, 10, 11, 12, 13, 14, 15, 16]
    book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    assert 10 not in starts(week)


def test_a_booking_forgets_only_what_it_touches(
    week: ClinicWeek, django_assert_num_queries: Any
) -> None:
    """Bookings a fortnight later leave Monday's answers remembered, Maya's and anyone's; a
    booking of Dan's on Monday takes one of the rooms Maya could use, so her Monday is worked
    out again (and still has a room at 10)."""
    anyone = monday(week, therapist=None)
    assert 10 in starts(week)
    available_slots(week.practice, anyone, now=NOW)
    later = MONDAY + timedelta(days=14)
    book_appointment(week.practice, week.request(at(later, 10), therapist=week.dan), now=NOW)
    book_appointment(week.practice, week.request(at(later, 12)), now=NOW)
    with django_assert_num_queries(1):
        assert 10 in starts(week)
    with django_assert_num_queries(1):
        available_slots(week.practice, anyone, now=NOW)
    book_appointment(week.practice, week.request(at(MONDAY, 10), therapist=week.dan), now=NOW)
    with django_assert_num_queries(4):
        assert 10 in starts(week)
    at_ten = [
        s for s in available_slots(week.practice, anyone, now=NOW) if s.start == at(MONDAY, 10)
    ]
    assert {s.therapist_id for s in at_ten} == {week.maya.pk}


def test_another_therapists_booking_in_the_last_free_room_is_seen(week: ClinicWeek) -> None:
    week.rooms[1].delete()  # one room left
    assert 10 in starts(week)
    book_appointment(week.practice, week.request(at(MONDAY, 10), therapist=week.dan), now=NOW)
    assert 10 not in starts(week)


def test_moving_a_visit_onto_or_off_the_asked_days_is_seen(week: ClinicWeek) -> None:
    later = MONDAY + timedelta(days=14)
    booked = book_appointment(week.practice, week.request(at(later, 10)), now=NOW).appointment
    assert 10 in starts(week)
    moved = reschedule_appointment(booked, start=at(MONDAY, 10), by=week.cast.front_desk, now=NOW)
    assert 10 not in starts(week)
    reschedule_appointment(moved.appointment, start=at(later, 11), by=week.cast.front_desk, now=NOW)
    assert 10 in starts(week)
    # A bulk update stamps the days the rows occupied and the days they occupy now.
    Appointment.objects.filter(pk=booked.pk).update(
        starts_at=at(MONDAY, 14),
        ends_at=at(MONDAY, 15),
        busy_from=at(MONDAY, 14),
        busy_until=at(MONDAY, 15),
    )
    assert 14 not in starts(week)


def test_booking_and_cancelling_are_seen_at_once(week: ClinicWeek) -> None:
    assert 10 in starts(week)
    booked = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    assert 10 not in starts(week)
    cancel_appointment(booked, by=week.cast.front_desk, now=NOW)
    assert 10 in starts(week)


def test_changes_made_outside_the_actions_are_seen_too(week: ClinicWeek) -> None:
    assert starts(week)
    # The admin saves models one by one: signals.
    off = TimeOff.objects.create(
        practice=week.practice,
        therapist=week.maya,
        starts_at=at(MONDAY, 0),
        ends_at=at(MONDAY, 23),
        reason="Conference",
    )
    assert starts(week) == []
    off.delete()
    assert starts(week)
    # Deleting through a queryset sends a signal per row.
    WeeklyShift.objects.filter(therapist=week.maya, weekday=0).delete()
    assert starts(week) == []


def test_bulk_updates_of_appointments_change_the_stamps(week: ClinicWeek) -> None:
    booked = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    assert 10 not in starts(week)
    scope = Scope(MONDAY, MONDAY, week.maya.pk)
    before = stamps_digest(week.practice.pk, scope)
    Appointment.objects.filter(pk=booked.pk).update(status=AppointmentStatus.CANCELLED)
    assert stamps_digest(week.practice.pk, scope) != before
    assert 10 in starts(week)


def test_the_clock_moves_on_a_remembered_answer(week: ClinicWeek) -> None:
    """Minimum notice and expired holds are applied to remembered answers as time passes."""
    week.practice.minimum_notice_minutes = 60
    week.practice.save()
    assert first_start(week, now=at(MONDAY, 8, 30)) == "09:30"
    assert first_start(week, now=at(MONDAY, 11, 5)) == "12:15"  # the same answer, read later

    hold = hold_slot(
        week.practice,
        service=week.service,
        minutes=60,
        therapist=week.maya,
        location=week.clinic,
        start=at(MONDAY, 15),
        hold_minutes=10,
        now=NOW,
    )
    assert 15 not in starts(week)
    assert 15 in starts(week, now=hold.expires_at + timedelta(seconds=1))


def test_an_answer_from_a_rolled_back_booking_is_never_read(week: ClinicWeek) -> None:
    """Stamps are written in the writer's transaction: an answer worked out inside it, from
    the booking that was then rolled back, carries stamps that no longer exist."""
    with transaction.atomic():
        book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
        assert 10 not in starts(week)
        transaction.set_rollback(True)
    assert 10 in starts(week)


def test_every_scheduling_and_practice_model_is_judged_for_availability() -> None:
    """A new model in these apps must either start a new schedule generation when it changes
    or be named here as one availability never reads."""
    from django.apps import apps

    from fascia.scheduling.remembered import schedule_models

    never_read = {
        "PolicyAcceptance",
        "PhysiotherapyAppointment",
        "CalendarFeed",
        "WaitlistEntry",
        "WaitlistOffer",
        "ScheduleStamp",
        # Weekly shifts are kept inside a clinic's opening hours when either is saved.
        "OpeningHours",
    }
    judged = {model.__name__ for model in schedule_models()} | never_read
    for label in ("practices", "scheduling"):
        for model in apps.get_app_config(label).get_models():
            assert model.__name__ in judged, f"{model.__name__}: does availability read it?"
