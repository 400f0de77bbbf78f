"""The waitlist through the API and the offer's one-click page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client as WebClient

from fascia.api.tests.test_booking_api import DAY, bearer, booking, post
from fascia.scheduling.models import WaitlistOffer
from fascia.scheduling.tests.conftest import ClinicWeek
from fascia.scheduling.waitlist import offer_token


def test_a_client_joins_and_a_freed_time_is_booked_from_the_offer_page(
    open_week: ClinicWeek, client: WebClient, django_capture_on_commit_callbacks: Any
) -> None:
    desk = bearer(open_week.cast.front_desk)
    booked = post(
        desk, "/api/v1/appointments", booking(open_week, client=open_week.other_client.pk)
    )
    assert booked.status_code == 201
    me = bearer(open_week.client.user)
    joined = post(
        me,
        "/api/v1/waitlist",
        {
            "service": open_week.service.pk,
            "location": open_week.clinic.pk,
            "minutes": 60,
            "earliest_date": DAY.isoformat(),
            "latest_date": (DAY + timedelta(days=3)).isoformat(),
            "times_of_day": ["morning"],
        },
    )
    assert joined.status_code == 201, joined.content
    assert joined.json()["client"] == open_week.client.pk
    assert [e["id"] for e in me.get("/api/v1/waitlist").json()] == [joined.json()["id"]]
    assert len(desk.get("/api/v1/waitlist").json()) == 1
    someone_else = post(
        me, "/api/v1/waitlist", {**joined.json(), "client": open_week.other_client.pk}
    )
    assert someone_else.status_code in (403, 422)

    with django_capture_on_commit_callbacks(execute=True):
        post(desk, f"/api/v1/appointments/{booked.json()['id']}/cancel", {})
    offer = WaitlistOffer.objects.get()
    page = client.get(f"/waitlist/offers/{offer_token(offer)}/")
    assert "An earlier time is free for you" in page.content.decode()
    done = client.post(
        f"/waitlist/offers/{offer_token(offer)}/", {"accepts_cancellation_policy": "1"}
    )
    assert "You're booked" in done.content.decode()
    again = post(client, f"/api/v1/waitlist/offers/{offer_token(offer)}/accept", {})
    assert again.status_code == 422 and "lapsed" in again.json()["detail"]
    assert me.get("/api/v1/waitlist").json() == []


def test_withdrawing_and_bad_requests(open_week: ClinicWeek) -> None:
    me = bearer(open_week.client.user)
    bad = post(
        me,
        "/api/v1/waitlist",
        {
            "service": open_week.service.pk,
            "location": open_week.clinic.pk,
            "earliest_date": (DAY + timedelta(days=3)).isoformat(),
            "latest_date": DAY.isoformat(),
        },
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == "The last date must not be before the first."
    entry = post(
        me,
        "/api/v1/waitlist",
        {
            "service": open_week.service.pk,
            "location": open_week.clinic.pk,
            "earliest_date": DAY.isoformat(),
            "latest_date": DAY.isoformat(),
        },
    ).json()
    assert me.delete(f"/api/v1/waitlist/{entry['id']}").status_code == 204
    assert me.get("/api/v1/waitlist").json() == []
    assert bearer(open_week.cast.front_desk).delete("/api/v1/waitlist/999999").status_code == 404
