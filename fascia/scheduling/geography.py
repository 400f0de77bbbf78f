"""Where a client's home is: postal code → service area → coordinates, through a pluggable
geocoder, and which days each area is visited.

The offline default (`GEOCODER_URL=service-areas://`) places a home at the centroid of the
service area whose postal-code prefixes (FSAs) cover it: no network, always the same answer.
`GEOCODER_URL=nominatim+https://nominatim.example.org` asks a Nominatim server for the street
address and falls back to the area centroid when the server cannot answer.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext as _

from fascia.practices.models import Location, ServiceArea, ServiceAreaDay, normalise_postal_code
from fascia.scheduling.availability import Place
from fascia.scheduling.errors import NotServed

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088
WEEKDAY_NAMES = [
    pgettext_lazy("every week", "Mondays"),
    pgettext_lazy("every week", "Tuesdays"),
    pgettext_lazy("every week", "Wednesdays"),
    pgettext_lazy("every week", "Thursdays"),
    pgettext_lazy("every week", "Fridays"),
    pgettext_lazy("every week", "Saturdays"),
    pgettext_lazy("every week", "Sundays"),
]


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


def great_circle_km(a: Point, b: Point) -> float:
    """Distance over the earth's surface (haversine)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class VisitLocation:
    """A home Fascia can visit: its normalised postal code, position and service area."""

    postal_code: str
    point: Point
    area: ServiceArea

    def place(self, location_id: int) -> Place:
        return Place(
            location_id, self.point.latitude, self.point.longitude, self.postal_code, self.area.pk
        )


class Geocoder(Protocol):
    def locate(self, area: ServiceArea, postal_code: str, street: str, city: str) -> Point | None:
        """The position of an address inside `area` (which covers its postal code)."""


class ServiceAreaGeocoder:
    """Offline: the service area's centroid."""

    def locate(self, area: ServiceArea, postal_code: str, street: str, city: str) -> Point | None:
        latitude, longitude = area.centroid
        return Point(latitude, longitude)


class NominatimGeocoder:
    """A Nominatim server's /search; the area centroid when it cannot answer."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def locate(self, area: ServiceArea, postal_code: str, street: str, city: str) -> Point | None:
        query = ", ".join(part for part in (street, city, postal_code, "Canada") if part)
        url = f"{self.base_url}/search?" + urllib.parse.urlencode(
            {"q": query, "format": "jsonv2", "limit": 1, "countrycodes": "ca"}
        )
        request = urllib.request.Request(url, headers={"User-Agent": "Fascia/1 (practice)"})  # noqa: S310 - configured URL
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                found = json.loads(response.read())
        except (OSError, ValueError) as error:
            logger.warning("Geocoder unavailable (%s); using the %s centroid.", error, area)
            found = []
        if found:
            return Point(float(found[0]["lat"]), float(found[0]["lon"]))
        return ServiceAreaGeocoder().locate(area, postal_code, street, city)


@cache
def _geocoder_for(url: str) -> Geocoder:
    scheme, _, rest = url.partition("://")
    if scheme == "service-areas":
        return ServiceAreaGeocoder()
    if scheme.startswith("nominatim+"):
        return NominatimGeocoder(f"{scheme.removeprefix('nominatim+')}://{rest}")
    raise ValueError(f"GEOCODER_URL {url!r}: use service-areas:// or nominatim+https://host")


def geocoder() -> Geocoder:
    return _geocoder_for(getattr(settings, "GEOCODER_URL", "service-areas://"))


def clean_postal_code(postal_code: str) -> str:
    try:
        return normalise_postal_code(postal_code)
    except ValidationError as error:
        raise NotServed(_("Enter a Canadian postal code such as L6Y 0B3.")) from error


def area_for(areas: Sequence[ServiceArea], postal_code: str) -> ServiceArea:
    """The service area covering a normalised postal code, or NotServed naming those served."""
    for area in areas:
        if area.covers(postal_code):
            return area
    served = ", ".join(area.name for area in areas) or "none yet"
    raise NotServed(
        _("We don't visit %(postal_code)s yet. Home visits cover: %(served)s.")
        % {"postal_code": postal_code, "served": served}
    )


def locate_visit(
    location: Location, postal_code: str, *, street: str = "", city: str = ""
) -> VisitLocation:
    """Where an in-home visit of a mobile location would be, or NotServed with the reason."""
    normal = clean_postal_code(postal_code)
    area = area_for(list(location.service_areas.all()), normal)
    point = geocoder().locate(area, normal, street.strip(), city.strip())
    if point is None:
        raise NotServed(
            _("We could not find %(normal)s on the map; please check it.") % {"normal": normal},
            field="address",
        )
    return VisitLocation(normal, point, area)


def locate_postal_code(postal_code: str, areas: Iterable[ServiceArea]) -> Point | None:
    """A rough position for any postal code the practice's areas cover (a therapist's start
    point, say); None when none covers it."""
    try:
        area = area_for(list(areas), clean_postal_code(postal_code))
    except NotServed:
        return None
    latitude, longitude = area.centroid
    return Point(latitude, longitude)


def served_days(
    area: ServiceArea, exceptions: Iterable[ServiceAreaDay], days: Iterable[date]
) -> set[date]:
    """The days among `days` on which the area is visited: its weekdays (all when none are
    set), plus or minus its one-off exceptions."""
    override = {
        exception.date: exception.served for exception in exceptions if exception.area_id == area.pk
    }
    weekdays = set(area.weekdays or range(7))
    return {day for day in days if override.get(day, day.weekday() in weekdays)}


def describe_days(area: ServiceArea) -> str:
    """'Tuesdays', 'Mondays and Thursdays', or '' for every day."""
    if not area.weekdays or len(area.weekdays) == 7:
        return ""
    names = [str(WEEKDAY_NAMES[day]) for day in sorted(area.weekdays)]
    if len(names) == 1:
        return names[0]
    return gettext("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}
