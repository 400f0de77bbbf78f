"""The state of one online booking as it moves through the steps, carried in the URL so each
step is a plain link that can be reloaded or shared."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

from django.http import Http404, HttpRequest

from fascia.practices.models import Location, Practice, Service, Therapist

ANYONE = "any"


@dataclass(frozen=True)
class BookingChoice:
    service: int | None = None
    minutes: int | None = None
    therapist: str | None = None  # a therapist id, or ANYONE
    location: int | None = None
    postal_code: str = ""
    week: date | None = None
    reschedule: int | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> BookingChoice:
        data = request.GET  # every step's choice is in its URL; forms post back to it

        def number(name: str) -> int | None:
            value = data.get(name, "")
            return int(value) if value.isdigit() else None

        week = None
        if data.get("week"):
            try:
                week = date.fromisoformat(data["week"])
            except ValueError:
                week = None
        therapist = data.get("therapist") or None
        if therapist not in (None, ANYONE) and not str(therapist).isdigit():
            therapist = None
        return cls(
            service=number("service"),
            minutes=number("minutes"),
            therapist=therapist,
            location=number("location"),
            postal_code=data.get("postal_code", "").strip(),
            week=week,
            reschedule=number("reschedule"),
        )

    def with_(self, **changes: object) -> BookingChoice:
        return replace(self, **changes)  # type: ignore[arg-type]

    def query(self) -> str:
        values = {
            "service": self.service,
            "minutes": self.minutes,
            "therapist": self.therapist,
            "location": self.location,
            "postal_code": self.postal_code,
            "week": self.week.isoformat() if self.week else None,
            "reschedule": self.reschedule,
        }
        return urlencode({key: value for key, value in values.items() if value})


@dataclass(frozen=True)
class ResolvedChoice:
    service: Service
    therapist: Therapist | None
    location: Location | None


def resolve(practice: Practice, choice: BookingChoice) -> ResolvedChoice:
    """The records a choice names, all of this practice's and bookable online; 404 otherwise."""
    service = (
        Service.objects.for_practice(practice)
        .filter(pk=choice.service, is_active=True, bookable_online=True)
        .first()
    )
    if service is None:
        raise Http404("No such service.")
    therapist = None
    if choice.therapist not in (None, ANYONE):
        therapist = (
            Therapist.objects.for_practice(practice)
            .filter(pk=int(str(choice.therapist)), is_active=True)
            .first()
        )
        if therapist is None:
            raise Http404("No such therapist.")
    location = None
    if choice.location is not None:
        location = (
            Location.objects.for_practice(practice)
            .filter(pk=choice.location, is_active=True)
            .first()
        )
        if location is None:
            raise Http404("No such location.")
    return ResolvedChoice(service, therapist, location)
