"""A clinic week: two therapists working Monday to Friday 9-5 in a clinic with two rooms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fascia.accounts.models import Role, StaffMember, User
from fascia.clients.actions import register_client
from fascia.clients.models import Client
from fascia.conftest import PASSWORD, PracticeCast
from fascia.practices.models import Location, Room, Service, Therapist
from fascia.scheduling.booking import BookingRequest
from fascia.scheduling.models import WeeklyShift

TORONTO = ZoneInfo("America/Toronto")
MONDAY = date(2031, 3, 3)
NOW = datetime(2031, 3, 1, 12, 0, tzinfo=TORONTO).astimezone(UTC)  # the Saturday before


def next_weekday(days_ahead: int = 7) -> date:
    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# For tests that run against the real clock (HTTP, browser): a weekday a week from today.
SOON = next_weekday()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TORONTO).astimezone(UTC)


@dataclass
class ClinicWeek:
    cast: PracticeCast
    clinic: Location
    rooms: list[Room]
    maya: Therapist
    dan: Therapist
    service: Service
    client: Client
    other_client: Client

    @property
    def practice(self) -> Any:
        return self.cast.practice

    def request(self, start: datetime, **changes: Any) -> BookingRequest:
        values: dict[str, Any] = {
            "client": self.client,
            "service": self.service,
            "therapist": self.maya,
            "location": self.clinic,
            "start": start,
            "minutes": 60,
            "accepts_cancellation_policy": True,
            "by": self.cast.front_desk,
        }
        values.update(changes)
        return BookingRequest(**values)


@pytest.fixture
def week(maple: PracticeCast) -> ClinicWeek:
    practice = maple.practice
    practice.cancellation_policy = "24 hours' notice, or 50% of the fee is charged."
    practice.save()
    clinic = Location.objects.get(practice=practice, name="Clinic")
    rooms = [
        Room.objects.create(practice=practice, location=clinic, name=f"Room {n}") for n in (1, 2)
    ]
    dan_user = User.objects.create_user("dan@maple.test", PASSWORD, full_name="Dan")
    StaffMember.objects.create(practice=practice, user=dan_user, role=Role.THERAPIST)
    dan = Therapist.objects.create(
        practice=practice,
        user=dan_user,
        display_name="Dan Okafor",
        registration_number="D1",
        modalities=["swedish"],
    )
    for therapist in (maple.therapist, dan):
        for weekday in range(5):
            WeeklyShift.objects.create(
                practice=practice,
                therapist=therapist,
                location=clinic,
                weekday=weekday,
                starts_at=time(9),
                ends_at=time(17),
            )
    service = maple.service
    service.buffer_after_minutes = 10
    service.save()
    other = register_client(
        practice,
        by=None,
        legal_first_name="Robin",
        legal_last_name="Other",
        email="robin@example.com",
    )
    return ClinicWeek(maple, clinic, rooms, maple.therapist, dan, service, maple.client, other)


@pytest.fixture
def open_week(week: ClinicWeek) -> ClinicWeek:
    """The clinic week for tests that run at today's real date: working on statutory holidays
    too, so they do not depend on the calendar."""
    week.practice.works_statutory_holidays = True
    week.practice.save()
    return week


# Service-area centroids and postal-code prefixes, as the demo practice ships them.
AREAS = {
    "Brampton": (43.7315, -79.7624, ["L6P", "L6R", "L6S", "L6T", "L6V", "L6W", "L6X", "L6Y"]),
    "Toronto": (43.6532, -79.3832, ["M5A", "M5H", "M5J", "M5V"]),
    "Guelph": (43.5448, -80.2482, ["N1E", "N1G", "N1H"]),
    "Mississauga": (43.5890, -79.6441, ["L5B", "L5L"]),
}


@dataclass
class MobileWeek:
    """The clinic week plus a mobile service: Maya visits homes Monday to Friday 9-5, setting
    out from and returning to Brampton; the massage can be booked at home, with five minutes'
    set-up and ten minutes' packing."""

    week: ClinicWeek
    mobile: Location
    areas: dict[str, Any]

    @property
    def practice(self) -> Any:
        return self.week.practice

    def home(self, postal_code: str, street: str = "1 Main St", city: str = "") -> Any:
        from fascia.scheduling.booking import VisitAddress

        return VisitAddress(street, city, postal_code)


@pytest.fixture
def mobile_week(week: ClinicWeek) -> MobileWeek:
    from fascia.practices.models import ServiceArea

    practice = week.practice
    mobile = Location.objects.create(
        practice=practice,
        name="Home visits",
        kind=Location.Kind.MOBILE,
        postal_code="L6Y 0B3",
        latitude=AREAS["Brampton"][0],
        longitude=AREAS["Brampton"][1],
    )
    areas = {}
    for name, (latitude, longitude, prefixes) in AREAS.items():
        areas[name] = ServiceArea.objects.create(
            practice=practice,
            name=name,
            centroid_latitude=latitude,
            centroid_longitude=longitude,
            postal_prefixes=prefixes,
        )
    mobile.service_areas.set(areas.values())
    week.clinic.latitude, week.clinic.longitude = AREAS["Brampton"][:2]
    week.clinic.save()
    maya = week.maya
    maya.home_postal_code = "L6Y 0B3"
    maya.save()
    WeeklyShift.objects.filter(therapist=maya).update(location=mobile)
    service = week.service
    service.in_home = True
    service.buffer_before_minutes = 5
    service.buffer_after_minutes = 10
    service.save()
    return MobileWeek(week, mobile, areas)
