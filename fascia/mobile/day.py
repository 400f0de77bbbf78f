"""A therapist's day as it will be driven: each visit in order, and the legs between them (from
their start point, between visits, and back), with minutes and km from the travel backend."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from urllib.parse import quote

from fascia.practices.models import ServiceArea, Therapist
from fascia.scheduling.geography import Point, locate_postal_code
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment
from fascia.scheduling.travel import TravelBackend, location_point, travel_backend


@dataclass(frozen=True)
class Stop:
    """Somewhere the therapist is during the day: a visit, or their start or end point."""

    label: str
    point: Point | None
    appointment: Appointment | None = None
    postal_code: str = ""


@dataclass(frozen=True)
class Leg:
    origin: Stop
    destination: Stop
    minutes: int
    km: Decimal
    leave_by: datetime | None  # to arrive for the destination's set-up

    @property
    def is_drive(self) -> bool:
        return self.minutes > 0

    @property
    def same_area(self) -> bool:
        """Two homes the offline geocoder places at one point (the same service area's centre,
        different postal codes): the minutes are parking, the distance unknown but short."""
        return (
            self.minutes > 0
            and self.origin.point is not None
            and self.origin.point == self.destination.point
        )


@dataclass
class TherapistDay:
    therapist: Therapist
    day: date
    visits: list[Appointment]
    legs: list[Leg] = field(default_factory=list)

    @property
    def drive_minutes(self) -> int:
        return sum(leg.minutes for leg in self.legs)

    @property
    def drive_km(self) -> Decimal:
        return sum((leg.km for leg in self.legs), Decimal("0"))

    def leg_before(self, appointment: Appointment) -> Leg | None:
        return next((leg for leg in self.legs if leg.destination.appointment == appointment), None)


def visit_point(appointment: Appointment) -> Point | None:
    if appointment.visit_latitude is not None and appointment.visit_longitude is not None:
        return Point(appointment.visit_latitude, appointment.visit_longitude)
    return location_point(appointment.location)


def visit_stop(appointment: Appointment) -> Stop:
    if appointment.is_in_home:
        label = f"{appointment.client.display_name}, {appointment.visit_street}"
    else:
        label = appointment.location.name
    return Stop(label, visit_point(appointment), appointment, appointment.visit_postal_code)


def maps_link(appointment: Appointment) -> str:
    """A `geo:` link that opens the phone's own maps app at the visit's address (no map is
    drawn by Fascia, and nothing is sent anywhere until the therapist taps it)."""
    address = ", ".join(
        part
        for part in (
            appointment.visit_street,
            appointment.visit_city,
            appointment.visit_postal_code,
        )
        if part
    )
    point = visit_point(appointment)
    centre = f"{point.latitude},{point.longitude}" if point is not None else "0,0"
    return f"geo:{centre}?q={quote(address)}"


def start_point(therapist: Therapist) -> Stop:
    if therapist.home_latitude is not None and therapist.home_longitude is not None:
        point: Point | None = Point(therapist.home_latitude, therapist.home_longitude)
    else:
        areas = ServiceArea.objects.for_practice(therapist.practice)
        point = locate_postal_code(therapist.home_postal_code, areas)
    return Stop("Start point", point, postal_code=therapist.home_postal_code)


def drive(backend: TravelBackend, origin: Stop, destination: Stop) -> tuple[int, Decimal]:
    """Minutes (parking included) and road km between two stops; zero within one place (the
    same clinic, or the same home)."""
    if origin.point is None or destination.point is None:
        return 0, Decimal("0")
    if origin.point == destination.point:
        if origin.postal_code == destination.postal_code:
            return 0, Decimal("0")
        return math.ceil(backend.parking_minutes), Decimal("0")  # the geocoder could not tell
    minutes = backend.matrix([origin.point], [destination.point])[0][0]
    km = Decimal(str(backend.road_km(origin.point, destination.point))).quantize(Decimal("0.1"))
    return math.ceil(minutes), km


def legs_for(
    stops: list[Stop], backend: TravelBackend, set_up: dict[int, timedelta] | None = None
) -> list[Leg]:
    legs = []
    for origin, destination in pairwise(stops):
        minutes, km = drive(backend, origin, destination)
        leave_by = None
        if destination.appointment is not None and minutes:
            buffer = timedelta(minutes=destination.appointment.service.buffer_before_minutes)
            leave_by = destination.appointment.starts_at - buffer - timedelta(minutes=minutes)
        legs.append(Leg(origin, destination, minutes, km, leave_by))
    return legs


def day_visits(therapist: Therapist, day: date) -> list[Appointment]:
    first, last = therapist.practice.day_bounds(day)
    return list(
        Appointment.objects.filter(
            therapist=therapist,
            status__in=OCCUPYING_STATUSES,
            starts_at__gte=first,
            starts_at__lt=last,
        )
        .select_related("client", "service", "location")
        .order_by("starts_at")
    )


def therapist_day(therapist: Therapist, day: date) -> TherapistDay:
    """The day's visits in time order with the drive before, between and after them. Legs
    appear only on days with an in-home visit (a clinic day is not driven)."""
    visits = day_visits(therapist, day)
    result = TherapistDay(therapist, day, visits)
    if not any(visit.is_in_home for visit in visits):
        return result
    home = start_point(therapist)
    stops = [home, *(visit_stop(visit) for visit in visits), Stop("Back home", home.point)]
    result.legs = legs_for(stops, travel_backend())
    return result
