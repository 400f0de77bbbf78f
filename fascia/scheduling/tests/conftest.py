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
