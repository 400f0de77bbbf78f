"""How long the drive is between two places, and what an in-home visit's travel fee is.

The availability engine asks its travel hook (`availability.TravelTime`) for the time between
two `Place`s. `travel_time()` returns the configured hook:

- `TRAVEL_URL=estimate://` (default, offline): great-circle distance times a circuity factor gives
  road km; the drive takes road km over an average speed that rises from city to highway speed as
  trips get longer; parking is added at the destination. Query parameters tune it, e.g.
  `estimate://?circuity=1.3&city_kmh=30&highway_kmh=85&parking_minutes=5`.
- `TRAVEL_URL=osrm+http://osrm.internal:5000`: an OSRM server's table service (road network
  durations), falling back to the estimate when it cannot answer.

Inside one clinic, travel is zero.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext

from fascia.billing.money import as_money
from fascia.practices.models import Location
from fascia.scheduling.availability import Place
from fascia.scheduling.geography import Point, great_circle_km

logger = logging.getLogger(__name__)

CENTS = Decimal("0.01")


class TravelBackend(Protocol):
    @property
    def parking_minutes(self) -> float: ...

    def matrix(self, origins: list[Point], destinations: list[Point]) -> list[list[float]]:
        """Driving minutes from each origin to each destination, parking included."""

    def road_km(self, origin: Point, destination: Point) -> float: ...


@dataclass(frozen=True)
class EstimatedTravel:
    """Offline: straight-line distance, made road-like and timed at a distance-dependent speed."""

    circuity: float = 1.3
    city_kmh: float = 30.0
    highway_kmh: float = 85.0
    parking_minutes: float = 5.0

    def road_km(self, origin: Point, destination: Point) -> float:
        return great_circle_km(origin, destination) * self.circuity

    def minutes_for_km(self, km: float) -> float:
        if km <= 0:
            return 0.0
        # Short trips crawl through streets; long ones are mostly highway.
        speed = self.city_kmh + (self.highway_kmh - self.city_kmh) * (1 - math.exp(-km / 30))
        return km / speed * 60 + self.parking_minutes

    def matrix(self, origins: list[Point], destinations: list[Point]) -> list[list[float]]:
        return [
            [self.minutes_for_km(self.road_km(origin, destination)) for destination in destinations]
            for origin in origins
        ]


@dataclass(frozen=True)
class OsrmTravel:
    """An OSRM server's /table/v1/driving; the estimate for anything it cannot answer."""

    base_url: str
    fallback: EstimatedTravel = field(default_factory=EstimatedTravel)
    timeout: float = 5.0

    @property
    def parking_minutes(self) -> float:
        return self.fallback.parking_minutes

    def _table(self, points: list[Point], sources: list[int], destinations: list[int]) -> dict:
        coordinates = ";".join(f"{p.longitude:.6f},{p.latitude:.6f}" for p in points)
        query = urllib.parse.urlencode(
            {
                "sources": ";".join(map(str, sources)),
                "destinations": ";".join(map(str, destinations)),
                "annotations": "duration,distance",
            }
        )
        url = f"{self.base_url.rstrip('/')}/table/v1/driving/{coordinates}?{query}"
        with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310 - configured URL
            answer = json.loads(response.read())
        if answer.get("code") != "Ok":
            raise ValueError(answer.get("message") or answer.get("code"))
        return answer

    def matrix(self, origins: list[Point], destinations: list[Point]) -> list[list[float]]:
        points = origins + destinations
        try:
            table = self._table(
                points,
                list(range(len(origins))),
                list(range(len(origins), len(points))),
            )
        except (OSError, ValueError) as error:
            logger.warning("Routing server unavailable (%s); estimating travel.", error)
            return self.fallback.matrix(origins, destinations)
        parking = self.fallback.parking_minutes
        return [
            [(seconds / 60 + parking) if seconds else 0.0 for seconds in row]
            for row in table["durations"]
        ]

    def road_km(self, origin: Point, destination: Point) -> float:
        try:
            table = self._table([origin, destination], [0], [1])
            return float(table["distances"][0][0]) / 1000
        except (OSError, ValueError, KeyError, TypeError):
            return self.fallback.road_km(origin, destination)


@cache
def _backend_for(url: str) -> TravelBackend:
    scheme, _, rest = url.partition("://")
    if scheme == "estimate":
        options = dict(urllib.parse.parse_qsl(rest.partition("?")[2]))
        return EstimatedTravel(**{name: float(value) for name, value in options.items()})
    if scheme.startswith("osrm+"):
        return OsrmTravel(f"{scheme.removeprefix('osrm+')}://{rest}")
    raise ValueError(f"TRAVEL_URL {url!r}: use estimate:// or osrm+http://host:port")


def travel_backend() -> TravelBackend:
    return _backend_for(getattr(settings, "TRAVEL_URL", "estimate://"))


def point_of(place: Place) -> Point | None:
    if place.latitude is None or place.longitude is None:
        return None
    return Point(place.latitude, place.longitude)


class TravelTimes:
    """The availability engine's travel hook over a backend, remembering every pair it was
    asked for (one request asks about the same few places many times)."""

    def __init__(self, backend: TravelBackend | None = None) -> None:
        self.backend = backend or travel_backend()
        self._minutes: dict[tuple[Point, Point], float] = {}

    def __call__(self, origin: Place, destination: Place) -> timedelta:
        if origin.location_id == destination.location_id and not (
            origin.postal_code or destination.postal_code
        ):
            return timedelta(0)  # between rooms of one clinic
        a, b = point_of(origin), point_of(destination)
        if a is None or b is None:
            return timedelta(0)
        if a == b:
            # Two places the geocoder puts at one point (say, the same area's centroid) are
            # still a move and a parking spot apart, unless they are the same address.
            same = origin.postal_code == destination.postal_code
            return (
                timedelta(0) if same else timedelta(minutes=math.ceil(self.backend.parking_minutes))
            )
        minutes = self._minutes.get((a, b))
        if minutes is None:
            self.prime([a], [b])
            minutes = self._minutes[(a, b)]
        return timedelta(minutes=math.ceil(minutes))

    def prime(self, origins: list[Point], destinations: list[Point]) -> None:
        """Ask the backend about many pairs at once (one routing-server call)."""
        wanted_origins = list(dict.fromkeys(origins))
        wanted_destinations = list(dict.fromkeys(destinations))
        if not wanted_origins or not wanted_destinations:
            return
        table = self.backend.matrix(wanted_origins, wanted_destinations)
        for origin, row in zip(wanted_origins, table, strict=True):
            for destination, minutes in zip(wanted_destinations, row, strict=True):
                self._minutes[(origin, destination)] = minutes


def travel_time() -> TravelTimes:
    """A fresh hook for one request or one booking."""
    return TravelTimes()


def location_point(location: Location) -> Point | None:
    if location.latitude is None or location.longitude is None:
        return None
    return Point(location.latitude, location.longitude)


@dataclass(frozen=True)
class TravelFee:
    amount: Decimal
    road_km: Decimal | None

    def describe(self) -> str:
        if not self.amount:
            return gettext("No travel fee")
        if self.road_km is None:
            return gettext("Travel fee %(fee)s") % {"fee": as_money(self.amount)}
        return gettext("Travel fee %(fee)s (%(km)s km)") % {
            "fee": as_money(self.amount),
            "km": number_format(self.road_km, 1),
        }


def fee_for_distance(location: Location, road_km: Decimal | None) -> Decimal:
    """Call-out fee, then the per-km rate for every km beyond the free radius."""
    fee = location.travel_base_fee
    if road_km is not None and road_km > location.travel_free_km:
        fee += (road_km - location.travel_free_km) * location.travel_fee_per_km
    return fee.quantize(CENTS, rounding=ROUND_HALF_UP)


def travel_fee(location: Location, home: Point) -> TravelFee:
    """The fee for visiting `home` from the mobile service's base, before any time is picked."""
    base = location_point(location)
    road_km = (
        Decimal(str(travel_backend().road_km(base, home))).quantize(Decimal("0.1"))
        if base is not None
        else None
    )
    return TravelFee(fee_for_distance(location, road_km), road_km)
