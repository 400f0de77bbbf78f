"""The bookkeeper reads the calendar's times and amounts but never changes appointments or sees
where home visits happen — refused by the actions themselves, not only hidden in the pages."""

from __future__ import annotations

import pytest

from fascia.accounts.models import User
from fascia.api.tests.test_booking_api import DAY, at, bearer, booking, post
from fascia.scheduling.attendance import cancel_appointment, set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.errors import NotPermitted
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.tests.conftest import ClinicWeek


def _booked(week: ClinicWeek) -> Appointment:
    desk = bearer(week.cast.front_desk)
    made = post(desk, "/api/v1/appointments", booking(week, client=week.client.pk))
    assert made.status_code == 201, made.content
    appointment = Appointment.objects.get(pk=made.json()["id"])
    Appointment.objects.filter(pk=appointment.pk).update(
        visit_street="12 Elm St", visit_city="Milton", visit_postal_code="L9T 1A1"
    )
    return appointment


def test_the_bookkeeper_cannot_change_appointments_through_the_api(open_week: ClinicWeek) -> None:
    appointment = _booked(open_week)
    books = bearer(open_week.cast.bookkeeper)
    base = f"/api/v1/appointments/{appointment.pk}"
    refused = [
        post(books, f"{base}/cancel", {"reason": "test", "by_practice": True}),
        post(books, f"{base}/reschedule", {"start": at(14)}),
        post(books, f"{base}/attendance", {"status": "arrived"}),
        post(books, f"{base}/ended-early", {"reason": "unwell"}),
        post(books, "/api/v1/appointments", booking(open_week, client=open_week.client.pk)),
    ]
    assert [answer.status_code for answer in refused] == [403] * 5
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(practice=open_week.practice).count() == 1


def test_the_bookkeeper_sees_times_and_amounts_but_no_home_address(open_week: ClinicWeek) -> None:
    appointment = _booked(open_week)
    window = {"start": DAY.isoformat(), "end": DAY.isoformat()}
    (as_desk,) = bearer(open_week.cast.front_desk).get("/api/v1/appointments", window).json()
    (as_books,) = bearer(open_week.cast.bookkeeper).get("/api/v1/appointments", window).json()
    assert as_desk["in_home_address"] == "12 Elm St, Milton, L9T 1A1"
    assert as_books["in_home_address"] == ""
    assert (as_books["start"], as_books["price"]) == (as_desk["start"], as_desk["price"])
    one = bearer(open_week.cast.bookkeeper).get(f"/api/v1/appointments/{appointment.pk}").json()
    assert one["in_home_address"] == ""
    own = bearer(open_week.cast.client_user).get(f"/api/v1/appointments/{appointment.pk}").json()
    assert own["in_home_address"] == "12 Elm St, Milton, L9T 1A1"


def test_the_actions_refuse_the_bookkeeper_and_other_clients(open_week: ClinicWeek) -> None:
    appointment = _booked(open_week)
    bookkeeper = open_week.cast.bookkeeper
    with pytest.raises(NotPermitted):
        cancel_appointment(appointment, by=bookkeeper, as_staff=True)
    with pytest.raises(NotPermitted):
        set_attendance(appointment, AppointmentStatus.ARRIVED, by=bookkeeper)
    with pytest.raises(NotPermitted):
        reschedule_appointment(appointment, start=appointment.starts_at, by=bookkeeper)
    with pytest.raises(NotPermitted):
        book_appointment(
            open_week.practice,
            open_week.request(appointment.starts_at, by=bookkeeper, as_staff=True),
        )
    stranger = User.objects.create_user("stranger@example.com", "a-long-password-1")
    with pytest.raises(NotPermitted):  # a client (signed in) only changes their own visits
        cancel_appointment(appointment, by=stranger)
    with pytest.raises(NotPermitted):
        reschedule_appointment(appointment, start=appointment.starts_at, by=stranger)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
