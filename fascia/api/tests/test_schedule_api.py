"""The schedule board over the API: a column per therapist (or room), working time and the
shaded rest, each visit's icons; the price quote with tax and travel; the client's
confirmation; and staff choosing not to tell the client of a move or cancellation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fascia.api.tests.test_booking_api import DAY, at, bearer, post
from fascia.notifications.models import OutboundMessage
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import ClinicWeek, MobileWeek
from fascia.scheduling.tests.conftest import at as moment


def schedule(web: Any, **query: str) -> Any:
    return web.get("/api/v1/schedule", {"start": DAY.isoformat(), "end": DAY.isoformat(), **query})


def test_the_board_has_a_column_per_therapist_and_shades_the_hours_nobody_works(
    open_week: ClinicWeek,
) -> None:
    web = bearer(open_week.cast.front_desk)
    board = schedule(web).json()
    assert {c["title"] for c in board["columns"]} == {"Dan Okafor", open_week.maya.display_name}
    maya = str(open_week.maya.pk)
    (stretch,) = [s for s in board["working"] if s["column"] == maya]
    assert (stretch["start"][11:16], stretch["end"][11:16]) == ("09:00", "17:00")
    shaded = [
        (s["start"][11:16], s["end"][11:16]) for s in board["off_hours"] if s["column"] == maya
    ]
    assert shaded == [("00:00", "09:00"), ("17:00", "00:00")]

    rooms = schedule(web, columns="rooms").json()
    assert [c["title"] for c in rooms["columns"]][:2] == ["Clinic · Room 1", "Clinic · Room 2"]
    assert rooms["off_hours"] == []
    assert schedule(web, columns="everything").status_code == 422


def test_each_visit_says_its_status_and_what_is_left_to_do(
    week: ClinicWeek, monkeypatch: pytest.MonkeyPatch
) -> None:
    week.practice.works_statutory_holidays = True
    week.practice.save()
    visit = book_appointment(week.practice, week.request(moment(DAY, 10))).appointment
    web = bearer(week.cast.front_desk)
    (shown,) = schedule(web).json()["visits"]
    assert shown["flags"] == ["booked"] and shown["column"] == str(week.maya.pk)

    assert post(web, f"/api/v1/appointments/{visit.pk}/confirm", {}).status_code == 200
    (shown,) = schedule(web).json()["visits"]
    assert shown["flags"] == ["confirmed"] and shown["confirmed"] is True

    # Later that day: treated, not yet paid, note not signed.
    later = visit.ends_at + timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    set_attendance(visit, "completed", by=week.cast.front_desk)
    (shown,) = schedule(web).json()["visits"]
    assert shown["flags"] == ["completed", "unpaid", "note_unsigned"]
    # The bookkeeper sees money, not the clinical to-dos.
    (kept,) = schedule(bearer(week.cast.bookkeeper)).json()["visits"]
    assert kept["flags"] == ["completed", "unpaid"]


def test_the_quote_adds_tax_and_the_travel_fee_before_booking(mobile_week: MobileWeek) -> None:
    week = mobile_week.week
    week.practice.tax_number = "123456789RT0001"
    week.practice.save()
    mobile_week.mobile.travel_base_fee = Decimal("15.00")
    mobile_week.mobile.save()
    web = bearer(week.cast.front_desk)
    clinic = web.get("/api/v1/quote", {"service": str(week.service.pk), "minutes": "60"}).json()
    assert (clinic["price"], clinic["tax"], clinic["total"]) == ("120.00", "15.60", "135.60")
    home = web.get(
        "/api/v1/quote",
        {"service": str(week.service.pk), "minutes": "60", "postal_code": "L6Y 1N2"},
    ).json()
    assert (home["travel_fee"], home["tax"], home["total"]) == ("15.00", "17.55", "152.55")
    assert home["tax_name"] == "HST" and home["area"] == "Brampton"
    unserved = web.get(
        "/api/v1/quote",
        {"service": str(week.service.pk), "minutes": "60", "postal_code": "K1A 0B1"},
    )
    assert unserved.status_code == 422
    assert (
        web.get("/api/v1/quote", {"service": str(week.service.pk), "minutes": "7"}).status_code
        == 422
    )


def test_staff_may_move_or_cancel_without_telling_the_client(
    open_week: ClinicWeek, django_capture_on_commit_callbacks: Any
) -> None:
    week = open_week
    visit = book_appointment(week.practice, week.request(moment(DAY, 10))).appointment
    web = bearer(week.cast.front_desk)
    before = OutboundMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        moved = post(
            web,
            f"/api/v1/appointments/{visit.pk}/reschedule",
            {"start": at(14), "therapist": week.dan.pk, "tell_client": False},
        )
        cancelled = post(
            web, f"/api/v1/appointments/{visit.pk}/cancel", {"reason": "", "tell_client": False}
        )
    assert moved.status_code == 200, moved.content
    assert moved.json()["therapist"] == week.dan.pk
    assert cancelled.status_code == 200
    assert OutboundMessage.objects.count() == before  # nothing sent

    other = book_appointment(week.practice, week.request(moment(DAY, 11))).appointment
    before = OutboundMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        post(web, f"/api/v1/appointments/{other.pk}/cancel", {"reason": "Unwell"})
    assert OutboundMessage.objects.count() > before  # told, by default


def test_a_client_confirms_only_their_own_visit_still_to_come(
    open_week: ClinicWeek, signed_in: Any
) -> None:
    week = open_week
    visit = book_appointment(week.practice, week.request(moment(DAY, 10))).appointment
    other = book_appointment(
        week.practice, week.request(moment(DAY, 12), client=week.other_client)
    ).appointment
    client_web = signed_in(week.cast.client_user)
    assert post(client_web, f"/api/v1/appointments/{visit.pk}/confirm", {}).status_code == 200
    assert post(client_web, f"/api/v1/appointments/{other.pk}/confirm", {}).status_code == 404
    visit.refresh_from_db()
    assert visit.confirmed_at is not None
    Appointment.objects.filter(pk=visit.pk).update(status="cancelled")
    refused = post(bearer(week.cast.front_desk), f"/api/v1/appointments/{visit.pk}/confirm", {})
    assert refused.status_code == 422 and "cannot be confirmed" in refused.json()["detail"]
