"""In-home visits through the API: availability by postal code or address, with the travel
fee quoted; bookings carry the address; unplaceable or unserved addresses get a clear 422."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as WebClient

from fascia.api.tests.test_booking_api import DAY, at, bearer, post
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import MobileWeek


@pytest.fixture
def homes(mobile_week: MobileWeek) -> MobileWeek:
    practice = mobile_week.practice
    practice.works_statutory_holidays = True  # the tests run at today's date
    practice.save()
    mobile = mobile_week.mobile
    mobile.travel_base_fee = Decimal("20.00")
    mobile.travel_free_km = Decimal("15")
    mobile.travel_fee_per_km = Decimal("1.00")
    mobile.save()
    return mobile_week


def availability(homes: MobileWeek, web: WebClient, **where: str) -> Any:
    return web.get(
        "/api/v1/availability",
        {
            "service": str(homes.week.service.pk),
            "start": DAY.isoformat(),
            "end": DAY.isoformat(),
            "therapist": str(homes.week.maya.pk),
            **where,
        },
    )


def test_in_home_availability_by_postal_code_quotes_the_travel_fee(
    homes: MobileWeek, client: WebClient
) -> None:
    response = availability(homes, client, postal_code="m5v3l9")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["home_visit"] == {
        "location": homes.mobile.pk,
        "postal_code": "M5V 3L9",
        "area": "Toronto",
        "days_served": "",
        "travel_fee": "46.20",  # $20 + (41.2 km - 15 km) x $1
        "road_km": "41.2",
    }
    assert body["slots"][0]["start"] == at(9, 45)  # 40 minutes from her start point
    assert {slot["location"] for slot in body["slots"]} == {homes.mobile.pk}
    by_address = availability(homes, client, address="1 Blue Jays Way, Toronto ON M5V 3L9")
    assert by_address.json()["slots"] == body["slots"]


@pytest.mark.parametrize(
    ("where", "detail"),
    [
        ({"postal_code": "K1A 0B1"}, "We don't visit K1A 0B1 yet. Home visits cover: Brampton"),
        ({"postal_code": "ABC"}, "Enter a Canadian postal code such as L6Y 0B3."),
        ({"address": "somewhere in Toronto"}, "Include the postal code in the address"),
    ],
)
def test_unserved_or_malformed_homes_get_a_clear_422(
    homes: MobileWeek, client: WebClient, where: dict[str, str], detail: str
) -> None:
    response = availability(homes, client, **where)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)


def test_booking_a_home_visit_keeps_the_address_and_fee(homes: MobileWeek) -> None:
    web = bearer(homes.week.cast.front_desk)
    body = {
        "service": homes.week.service.pk,
        "therapist": homes.week.maya.pk,
        "location": homes.mobile.pk,
        "client": homes.week.client.pk,
        "start": at(10),
        "minutes": 60,
        "accepts_cancellation_policy": True,
        "address": {"street": "1 Blue Jays Way", "city": "Toronto", "postal_code": "M5V 3L9"},
    }
    response = post(web, "/api/v1/appointments", body)
    assert response.status_code == 201, response.content
    assert response.json()["travel_fee"] == "46.20"
    assert response.json()["in_home_address"] == "1 Blue Jays Way, Toronto, M5V 3L9"
    narrow = post(
        web,
        "/api/v1/appointments",
        {**body, "start": at(14), "window_start": at(14, 30), "window_end": at(16)},
    )
    assert narrow.status_code == 422
    assert narrow.json()["detail"] == "The visit must lie within the client's time window."
    windowed = post(
        web,
        "/api/v1/appointments",
        {**body, "start": at(14), "window_start": at(13), "window_end": at(17)},
    )
    assert windowed.status_code == 201, windowed.content
    assert Appointment.objects.get(pk=windowed.json()["id"]).window_ends_at is not None
    refused = post(
        web,
        "/api/v1/appointments",
        {**body, "address": {"street": "1 Main", "postal_code": "K1A 0B1"}, "start": at(14)},
    )
    assert refused.status_code == 422
    assert "Home visits cover" in refused.json()["detail"]
    assert Appointment.objects.count() == 2


def test_a_therapists_day_plan_and_check_in_through_the_api(
    mobile_week: MobileWeek, monkeypatch: Any
) -> None:
    from django.utils import timezone

    from fascia.mobile.tests.test_planner import TUESDAY, scrambled_day
    from fascia.scheduling.tests.conftest import NOW

    # The day is in 2031: the API's clock stands on the Saturday before, so re-checking each
    # planned time as a booking (not past, within the window) holds.
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    visits = scrambled_day(mobile_week)
    maya = bearer(mobile_week.week.maya.user)
    url = f"/api/v1/therapists/{mobile_week.week.maya.pk}/day"
    day = maya.get(url, {"date": TUESDAY.isoformat()}).json()
    assert day["drive_minutes"] == 195
    assert [leg["minutes"] for leg in day["legs"]] == [40, 72, 54, 29]
    assert day["legs"][0]["destination_appointment"] == visits[0].pk
    plan = post(maya, f"{url}/plan", {"date": TUESDAY.isoformat()}).json()
    assert plan["saved_minutes"] == 18
    desk = bearer(mobile_week.week.cast.front_desk)
    refused = post(
        desk, f"{url}/plan/apply", {"date": TUESDAY.isoformat(), "fingerprint": plan["fingerprint"]}
    )
    assert refused.status_code == 403
    stale = post(maya, f"{url}/plan/apply", {"date": TUESDAY.isoformat(), "fingerprint": "x"})
    assert stale.status_code == 409
    applied = post(
        maya, f"{url}/plan/apply", {"date": TUESDAY.isoformat(), "fingerprint": plan["fingerprint"]}
    )
    assert applied.status_code == 200 and applied.json()["moved"]
    assert maya.get(url, {"date": TUESDAY.isoformat()}).json()["drive_minutes"] == 177
    too_early = post(maya, f"/api/v1/appointments/{visits[0].pk}/check-ins", {"kind": "arrived"})
    assert too_early.status_code == 422
    assert too_early.json()["detail"] == "Check in on the day of the visit."
