"""Booking, moving, cancelling and attendance through the booking actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from fascia.accounts.models import User
from fascia.audit.models import AuditAction, AuditEntry
from fascia.clients.actions import register_client
from fascia.notifications.models import OutboundMessage
from fascia.practices.models import Location, Service, ServiceArea, ServiceDuration, Therapist
from fascia.scheduling.attendance import cancel_appointment, set_attendance
from fascia.scheduling.booking import (
    BookingError,
    SlotUnavailable,
    VisitAddress,
    book_appointment,
    policy_acceptance_needed,
)
from fascia.scheduling.holds import hold_slot, release_expired_holds
from fascia.scheduling.models import (
    Appointment,
    AppointmentStatus,
    PhysiotherapyAppointment,
    PolicyAcceptance,
    SlotHold,
    WeeklyShift,
)
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.schedule import AvailabilityRequest, available_slots
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at


def book(week: ClinicWeek, start: Any, **changes: Any) -> Any:
    return book_appointment(week.practice, week.request(start, **changes), now=NOW)


def test_booking_a_free_slot(week: ClinicWeek, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = book(week, at(MONDAY, 10))
    appointment = result.appointment
    assert result.created
    assert (appointment.starts_at, appointment.ends_at) == (at(MONDAY, 10), at(MONDAY, 11))
    assert appointment.busy_until == at(MONDAY, 11, 10)  # ten minutes' turnover
    assert appointment.room_id == week.rooms[0].pk
    assert str(appointment.price) == "120.00"
    assert appointment.status == AppointmentStatus.BOOKED
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE,
        record_type="scheduling.appointment",
        record_id=str(appointment.pk),
        client=week.client,
    ).exists()
    confirmation = OutboundMessage.objects.get(to=week.client.email)
    assert confirmation.subject == "Your appointment is booked"
    assert "Monday, March 3 at 10:00 AM" in confirmation.body
    assert "BEGIN:VCALENDAR" in confirmation.calendar_file


def test_the_cancellation_policy_is_accepted_before_the_first_booking(week: ClinicWeek) -> None:
    with pytest.raises(BookingError, match="accept the cancellation policy"):
        book(week, at(MONDAY, 10), accepts_cancellation_policy=False)
    assert not Appointment.objects.exists()
    book(week, at(MONDAY, 10))
    acceptance = PolicyAcceptance.objects.get(client=week.client)
    assert acceptance.policy_text == week.practice.cancellation_policy
    assert acceptance.recorded_by == week.cast.front_desk
    # Accepted once: the next booking needs no acceptance ...
    book(week, at(MONDAY, 14), accepts_cancellation_policy=False)
    # ... until the policy changes.
    week.practice.cancellation_policy = "48 hours' notice now."
    week.practice.save()
    week.client.refresh_from_db()
    assert policy_acceptance_needed(week.client)


def test_a_taken_slot_is_refused_with_409_and_nothing_saved(week: ClinicWeek) -> None:
    book(week, at(MONDAY, 10))
    before = (Appointment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(SlotUnavailable) as refused:
        book(week, at(MONDAY, 10, 30), client=week.other_client)
    assert refused.value.status == 409
    assert (Appointment.objects.count(), AuditEntry.objects.count()) == before


def test_turnover_is_respected(week: ClinicWeek) -> None:
    book(week, at(MONDAY, 10))  # busy until 11:10
    with pytest.raises(SlotUnavailable):
        book(week, at(MONDAY, 11), client=week.other_client)
    assert book(week, at(MONDAY, 11, 10), client=week.other_client).created


def test_a_client_cannot_be_in_two_appointments_at_once(week: ClinicWeek) -> None:
    book(week, at(MONDAY, 10))
    with pytest.raises(SlotUnavailable, match="client already has an appointment"):
        book(week, at(MONDAY, 10, 30), therapist=week.dan)


def test_rooms_run_out_before_therapists_do(week: ClinicWeek) -> None:
    user = User.objects.create_user("kim@maple.test", "x", full_name="Kim")
    kim = Therapist.objects.create(
        practice=week.practice,
        user=user,
        display_name="Kim",
        registration_number="K1",
        modalities=["swedish"],
    )
    WeeklyShift.objects.create(
        practice=week.practice,
        therapist=kim,
        location=week.clinic,
        weekday=0,
        starts_at=time(9),
        ends_at=time(17),
    )
    third = register_client(week.practice, by=None, legal_first_name="Sam", legal_last_name="T")
    book(week, at(MONDAY, 10))
    book(week, at(MONDAY, 10), therapist=week.dan, client=week.other_client)
    with pytest.raises(SlotUnavailable):  # two rooms, both taken
        book(week, at(MONDAY, 10), therapist=kim, client=third)
    assert book(week, at(MONDAY, 11, 15), therapist=kim, client=third).created


@pytest.mark.parametrize(
    ("start_offset", "as_staff", "message"),
    [
        (timedelta(hours=-1), True, "already passed"),
        (timedelta(minutes=30), False, "hours' notice"),
        (timedelta(days=200), False, "Bookings open 90 days ahead"),
    ],
)
def test_start_times_outside_the_booking_window_are_refused(
    week: ClinicWeek, start_offset: timedelta, as_staff: bool, message: str
) -> None:
    with pytest.raises(BookingError, match=message):
        book(week, NOW + start_offset, as_staff=as_staff)
    assert not Appointment.objects.exists()


def test_staff_can_book_inside_the_minimum_notice(week: ClinicWeek) -> None:
    week.practice.minimum_notice_minutes = 60 * 24 * 3
    week.practice.save()
    with pytest.raises(BookingError, match="notice"):
        book(week, at(MONDAY, 10))
    assert book(week, at(MONDAY, 10), as_staff=True).created


def test_bad_requests_say_what_is_wrong(week: ClinicWeek, birch: Any) -> None:
    naive = at(MONDAY, 10).replace(tzinfo=None)
    with pytest.raises(BookingError, match="time zone"):
        book(week, naive)
    with pytest.raises(BookingError, match="Unknown service"):
        book(week, at(MONDAY, 10), service=birch.service)
    with pytest.raises(BookingError, match="Choose a length"):
        book(week, at(MONDAY, 10), minutes=45)
    mobile = Location.objects.create(practice=week.practice, name="Mobile", kind="mobile")
    with pytest.raises(BookingError, match="not offered at Mobile"):
        book(week, at(MONDAY, 10), location=mobile)
    cupping = Service.objects.create(practice=week.practice, name="Cupping", modality="cupping")
    ServiceDuration.objects.create(practice=week.practice, service=cupping, minutes=30, price=60)
    with pytest.raises(BookingError, match="does not offer Cupping"):
        book(week, at(MONDAY, 10), service=cupping, minutes=30)
    with pytest.raises(SlotUnavailable, match="not working"):
        book(week, at(MONDAY, 10) + timedelta(days=5))  # Saturday
    with pytest.raises(SlotUnavailable):
        book(week, at(MONDAY, 16, 30))  # would run past 17:00
    assert not Appointment.objects.exists()


def test_an_in_home_visit_needs_an_address_in_a_served_area(week: ClinicWeek) -> None:
    mobile = Location.objects.create(practice=week.practice, name="Mobile", kind="mobile")
    area = ServiceArea.objects.create(
        practice=week.practice,
        name="Brampton",
        centroid_latitude=43.7,
        centroid_longitude=-79.7,
        postal_prefixes=["L6Y"],
    )
    mobile.service_areas.add(area)
    week.service.in_home = True
    week.service.save()
    WeeklyShift.objects.create(
        practice=week.practice,
        therapist=week.maya,
        location=mobile,
        weekday=1,
        starts_at="09:00",
        ends_at="17:00",
    )
    tuesday = MONDAY + timedelta(days=1)
    WeeklyShift.objects.filter(therapist=week.maya, weekday=1, location=week.clinic).delete()
    with pytest.raises(BookingError, match="street address and postal code"):
        book(week, at(tuesday, 10), location=mobile)
    with pytest.raises(
        BookingError, match=r"We don't visit M5J 2N8 yet\. Home visits cover: Brampton\."
    ):
        book(
            week,
            at(tuesday, 10),
            location=mobile,
            address=VisitAddress("1 Bay St", "Toronto", "M5J 2N8"),
        )
    visit = book(
        week,
        at(tuesday, 10),
        location=mobile,
        address=VisitAddress("12 Main St N", "Brampton", "l6y1n6"),
    ).appointment
    assert (visit.visit_postal_code, visit.room_id, visit.is_in_home) == ("L6Y 1N6", None, True)


def test_idempotency_key_returns_the_first_booking(week: ClinicWeek) -> None:
    first = book(week, at(MONDAY, 10), idempotency_key="click-1")
    again = book(week, at(MONDAY, 10), idempotency_key="click-1")
    assert (first.created, again.created) == (True, False)
    assert again.appointment.pk == first.appointment.pk
    assert Appointment.objects.count() == 1
    with pytest.raises(BookingError, match="already used for a different booking"):
        book(week, at(MONDAY, 14), idempotency_key="click-1")


def test_moving_a_visit_keeps_it_and_frees_the_old_time(week: ClinicWeek) -> None:
    appointment = book(week, at(MONDAY, 10)).appointment
    reschedule_appointment(
        appointment,
        start=at(MONDAY, 14),
        therapist=week.dan,
        by=week.cast.front_desk,
        as_staff=True,
        now=NOW,
    )
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.therapist) == (at(MONDAY, 14), week.dan)
    assert book(week, at(MONDAY, 10), client=week.other_client).created
    with pytest.raises(SlotUnavailable):
        reschedule_appointment(
            appointment, start=at(MONDAY, 10), therapist=week.maya, as_staff=True, now=NOW
        )


def test_clients_cannot_move_a_visit_inside_the_notice_window(week: ClinicWeek) -> None:
    appointment = book(week, at(MONDAY, 10)).appointment
    day_before = at(MONDAY, 9) - timedelta(hours=12)
    with pytest.raises(BookingError, match="up to 24 hours before"):
        reschedule_appointment(appointment, start=at(MONDAY, 14), now=day_before)


def test_cancelling_early_is_free_and_frees_the_slot(week: ClinicWeek) -> None:
    appointment = book(week, at(MONDAY, 10)).appointment
    cancel_appointment(appointment, by=week.cast.front_desk, reason="Flu", now=NOW)
    assert appointment.status == AppointmentStatus.CANCELLED
    assert not appointment.late_cancellation_fee_due
    assert book(week, at(MONDAY, 10), client=week.other_client).created
    with pytest.raises(BookingError, match="already cancelled"):
        cancel_appointment(appointment, now=NOW)


def test_cancelling_inside_the_notice_window_flags_the_fee(week: ClinicWeek) -> None:
    appointment = book(week, at(MONDAY, 10)).appointment
    late = cancel_appointment(appointment, now=at(MONDAY, 8))
    assert (late.status, late.late_cancellation_fee_due) == (AppointmentStatus.LATE_CANCELLED, True)
    practice_cancels = book(week, at(MONDAY, 14)).appointment
    cancel_appointment(practice_cancels, by_practice=True, now=at(MONDAY, 8))
    assert practice_cancels.status == AppointmentStatus.LATE_CANCELLED
    assert not practice_cancels.late_cancellation_fee_due


def test_attendance_follows_the_visit(week: ClinicWeek) -> None:
    appointment = book(week, at(MONDAY, 10)).appointment
    with pytest.raises(BookingError, match="too early"):
        set_attendance(appointment, AppointmentStatus.ARRIVED, now=at(MONDAY, 6))
    set_attendance(appointment, AppointmentStatus.ARRIVED, now=at(MONDAY, 9, 55))
    with pytest.raises(BookingError, match="too early"):
        set_attendance(appointment, AppointmentStatus.COMPLETED, now=at(MONDAY, 9, 58))
    set_attendance(appointment, AppointmentStatus.COMPLETED, now=at(MONDAY, 11))
    assert appointment.completed_at == at(MONDAY, 11)
    with pytest.raises(BookingError, match="cannot be marked no-show"):
        set_attendance(appointment, AppointmentStatus.NO_SHOW, now=at(MONDAY, 12))
    missed = book(week, at(MONDAY, 14)).appointment
    set_attendance(missed, AppointmentStatus.NO_SHOW, now=at(MONDAY, 14, 20))
    assert (missed.status, missed.late_cancellation_fee_due) == (AppointmentStatus.NO_SHOW, True)


def test_a_hold_keeps_the_slot_for_its_client_only(week: ClinicWeek) -> None:
    hold = hold_slot(
        week.practice,
        service=week.service,
        minutes=60,
        therapist=week.maya,
        location=week.clinic,
        start=at(MONDAY, 10),
        now=NOW,
    )
    request = AvailabilityRequest(
        service=week.service, minutes=60, first_day=MONDAY, last_day=MONDAY, therapist=week.maya
    )
    offered = {slot.start for slot in available_slots(week.practice, request, now=NOW)}
    assert at(MONDAY, 10) not in offered
    with pytest.raises(SlotUnavailable):
        book(week, at(MONDAY, 10), client=week.other_client)
    assert book(week, at(MONDAY, 10), hold_token=hold.token).created
    assert not SlotHold.objects.filter(pk=hold.pk).exists()


def test_an_expired_hold_releases_itself(week: ClinicWeek) -> None:
    hold_slot(
        week.practice,
        service=week.service,
        minutes=60,
        therapist=week.maya,
        location=week.clinic,
        start=at(MONDAY, 10),
        now=NOW,
    )
    later = NOW + timedelta(minutes=week.practice.slot_hold_minutes + 1)
    assert book_appointment(week.practice, week.request(at(MONDAY, 10)), now=later).created
    assert release_expired_holds(now=later) == 1


def test_same_day_physiotherapy_gets_a_gentle_warning(week: ClinicWeek) -> None:
    PhysiotherapyAppointment.objects.create(
        practice=week.practice, client=week.client, starts_at=at(MONDAY, 8), provider="Peel Physio"
    )
    result = book(week, at(MONDAY, 15))
    assert result.created
    (warning,) = result.warnings
    assert "physiotherapy appointment with Peel Physio that day at 8:00 AM" in warning
    assert "Tuesday March 4 or Wednesday March 5" in warning
    assert book(week, at(MONDAY, 15) + timedelta(days=1)).warnings == []


@pytest.mark.parametrize(
    ("rule", "changes"),
    [
        ("therapist", {"client": "other"}),
        ("client", {"therapist": "dan"}),
        ("room", {"client": "other", "therapist": "dan"}),
    ],
)
def test_the_database_itself_refuses_overlaps(week: ClinicWeek, rule: str, changes: dict) -> None:
    first = book(week, at(MONDAY, 10)).appointment
    values = {
        "practice": week.practice,
        "client": week.client,
        "therapist": week.maya,
        "service": week.service,
        "duration_minutes": 60,
        "price": 120,
        "location": week.clinic,
        "room": week.rooms[1],
        "starts_at": at(MONDAY, 10, 30),
        "ends_at": at(MONDAY, 11, 30),
        "busy_from": at(MONDAY, 10, 30),
        "busy_until": at(MONDAY, 11, 40),
        "channel": "staff",
    }
    if changes.get("client") == "other":
        values["client"] = week.other_client
    if changes.get("therapist") == "dan":
        values["therapist"] = week.dan
    if rule == "room":
        values["room"] = first.room
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Appointment.objects.create(**values)
    assert f"appointment_{rule}_no_overlap" in str(refused.value)
    # A cancelled visit occupies nothing, so the same row is accepted once cancelled.
    values["status"] = AppointmentStatus.CANCELLED
    Appointment.objects.create(**values)


def test_availability_uses_a_fixed_number_of_queries(
    week: ClinicWeek, django_assert_num_queries: Any
) -> None:
    for hour in (10, 12, 14):
        book(
            week,
            at(MONDAY, hour),
            as_staff=True,
            client=week.other_client if hour == 12 else week.client,
            accepts_cancellation_policy=True,
        )
    for days in (0, 29):
        request = AvailabilityRequest(
            service=week.service,
            minutes=60,
            first_day=MONDAY,
            last_day=MONDAY + timedelta(days=days),
        )
        # The schedule stamps, the practice's stamp (its set-up is known), then the schedule.
        available_slots(week.practice, replace(request, minutes=90), now=NOW)
        with django_assert_num_queries(4):
            slots = available_slots(week.practice, request, now=NOW)
        assert slots


def test_good_friday_is_closed_unless_the_practice_works_holidays(week: ClinicWeek) -> None:
    from datetime import date

    good_friday = date(2031, 4, 11)
    request = AvailabilityRequest(
        service=week.service, minutes=60, first_day=good_friday, last_day=good_friday
    )
    assert available_slots(week.practice, request, now=NOW) == []
    week.practice.works_statutory_holidays = True
    week.practice.save()
    assert available_slots(week.practice, request, now=NOW)


def test_booking_a_service_the_health_history_advises_against_warns(week: Any) -> None:
    """A "no deep tissue" alert and a deep-tissue booking: the person booking is warned."""
    from fascia.records.history import submit_health_history

    submit_health_history(
        week.client, answers={"medication_flags": ["anticoagulant"]}, source="staff"
    )
    week.service.modality = "deep_tissue"
    week.service.save()
    week.maya.modalities = ["deep_tissue", "swedish"]
    week.maya.save()
    result = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    assert any(
        "advises against Swedish massage" in warning and "Blood thinners" in warning
        for warning in result.warnings
    ), result.warnings
    week.service.modality = "swedish"
    week.service.save()
    calm = book_appointment(
        week.practice, week.request(at(MONDAY, 14), client=week.client), now=NOW
    )
    assert not any("advises against" in warning for warning in calm.warnings)
