"""Holding a time through the API (`POST /api/v1/holds`): only a time that could be booked now,
one live hold per person, a few per network address, and the booking that uses it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from fascia.accounts.models import User
from fascia.api.tests.test_booking_api import DAY, at, bearer, booking, post
from fascia.scheduling.holds import HOLDS_PER_ADDRESS
from fascia.scheduling.models import Appointment, SlotHold
from fascia.scheduling.tests.conftest import TORONTO, ClinicWeek


def hold_body(week: ClinicWeek, **changes: Any) -> dict[str, Any]:
    body = {
        "service": week.service.pk,
        "therapist": week.maya.pk,
        "location": week.clinic.pk,
        "start": at(10),
        "minutes": 60,
    }
    body.update(changes)
    return body


def test_a_client_holds_a_time_then_books_it(open_week: ClinicWeek) -> None:
    web = bearer(open_week.cast.client_user)
    held = post(web, "/api/v1/holds", hold_body(open_week))
    assert held.status_code == 201, held.json()
    token = held.json()["token"]
    # Someone else cannot take the held time...
    other = post(
        bearer(open_week.cast.front_desk),
        "/api/v1/appointments",
        {
            **booking(open_week),
            "client": open_week.other_client.pk,
        },
    )
    assert other.status_code == 409
    # ...the holder can, with the token, and the hold is then gone.
    booked = post(web, "/api/v1/appointments", {**booking(open_week), "hold_token": token})
    assert booked.status_code == 201, booked.json()
    assert not SlotHold.objects.exists()
    assert Appointment.objects.filter(client=open_week.client).count() == 1


def test_a_new_hold_releases_the_persons_old_one(open_week: ClinicWeek) -> None:
    web = bearer(open_week.cast.client_user)
    post(web, "/api/v1/holds", hold_body(open_week))
    post(web, "/api/v1/holds", hold_body(open_week, start=at(14)))
    assert SlotHold.objects.count() == 1
    assert SlotHold.objects.get().busy_from == datetime.combine(DAY, time(14), tzinfo=TORONTO)


def test_a_hold_is_checked_as_a_booking_would_be(open_week: ClinicWeek) -> None:
    web = bearer(open_week.cast.client_user)
    cases = {
        "passed": hold_body(open_week, start=at(10, day=DAY - timedelta(days=30))),
        "days ahead": hold_body(open_week, start=at(10, day=DAY + timedelta(days=400))),
        "Choose a length": hold_body(open_week, minutes=17),
        "time zone": hold_body(open_week, start=f"{DAY.isoformat()}T10:00:00"),
    }
    for expected, body in cases.items():
        refused = post(web, "/api/v1/holds", body)
        assert refused.status_code == 422, (expected, refused.json())
        assert expected in refused.json()["detail"]
    open_week.maya.modalities = ["sports"]
    open_week.maya.save()
    refused = post(web, "/api/v1/holds", hold_body(open_week))
    assert refused.status_code == 422 and "does not offer" in refused.json()["detail"]
    open_week.service.bookable_online = False
    open_week.service.save()
    refused = post(web, "/api/v1/holds", hold_body(open_week, therapist=open_week.dan.pk))
    assert refused.status_code == 422 and "cannot be booked online" in refused.json()["detail"]
    # Staff may hold what clients cannot book online.
    desk = post(
        bearer(open_week.cast.front_desk),
        "/api/v1/holds",
        hold_body(open_week, therapist=open_week.dan.pk),
    )
    assert desk.status_code == 201
    assert SlotHold.objects.count() == 1


def test_a_taken_time_cannot_be_held(open_week: ClinicWeek) -> None:
    post(
        bearer(open_week.cast.front_desk),
        "/api/v1/appointments",
        {
            **booking(open_week),
            "client": open_week.other_client.pk,
        },
    )
    refused = post(bearer(open_week.cast.client_user), "/api/v1/holds", hold_body(open_week))
    assert refused.status_code == 409


def test_one_address_holds_only_a_few_times_and_anonymous_none(
    open_week: ClinicWeek, client: Any
) -> None:
    assert post(client, "/api/v1/holds", hold_body(open_week)).status_code == 401
    starts = [
        (hour, therapist)
        for hour in (9, 11, 13, 15)
        for therapist in (open_week.maya, open_week.dan)
    ]
    answers = []
    for n, (hour, therapist) in enumerate(starts[: HOLDS_PER_ADDRESS + 1]):
        user = User.objects.create_user(f"holder{n}@example.com", "a-long-password-1")
        answers.append(
            post(
                bearer(user),
                "/api/v1/holds",
                hold_body(open_week, start=at(hour), therapist=therapist.pk),
            )
        )
    assert [a.status_code for a in answers] == [201] * HOLDS_PER_ADDRESS + [429]
    assert "Too many times" in answers[-1].json()["detail"]
