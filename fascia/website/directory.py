"""Find a therapist: search one practice's therapists, or every practice on this server that
lists its therapists in the directory (like a professional association's referral service), by
town or postal code (distance to their clinics, and whether they visit homes there), technique,
language, gender, home visits, direct billing and "has a time this week".

Everything but "a time this week" is decided from a handful of queries loaded up front (one
each for practices, therapists, where they work, locations, service areas and websites) and
filtered in memory, so the search stays fast across hundreds of practices; the availability
engine is asked only about the page of results shown (`bench/directory.py`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.practices.models import (
    FSA_PATTERN,
    Location,
    Practice,
    Service,
    ServiceArea,
    ServiceDuration,
    Therapist,
)
from fascia.professional.standing import in_good_standing
from fascia.scheduling.availability import Place
from fascia.scheduling.geography import Point, great_circle_km
from fascia.scheduling.models import WeeklyShift
from fascia.scheduling.schedule import AvailabilityRequest, available_slots, offers
from fascia.website.models import PracticeWebsite

# A clinic this far (straight line) from the place asked about still counts as "near".
NEAR_KM = 30.0
RESULTS_SHOWN = 20
# Languages people type in either official language, folded to one name.
LANGUAGE_NAMES = {"français": "french", "francais": "french", "anglais": "english"}


class PlaceUnknown(ValueError):
    """The town or postal code asked about is not one any listed practice knows."""


@dataclass(frozen=True)
class TherapistSearch:
    place: str = ""  # a town, a postal code or its first three characters
    technique: str = ""  # a Modality value
    language: str = ""
    gender: str = ""
    home_visits: bool = False
    direct_billing: bool = False
    free_this_week: bool = False


@dataclass
class Match:
    therapist_id: int
    name: str
    practice: Practice
    clinic_km: float | None = None  # to the nearest of their clinics, when a place was asked
    clinic_name: str = ""
    visits_home_here: bool = False
    area_name: str = ""
    visits_homes: bool = False
    direct_billing: bool = False
    free_this_week: bool | None = None  # None: not asked
    languages: list[str] = field(default_factory=list)
    therapist: Therapist | None = None  # loaded for the matches shown


@dataclass(frozen=True)
class _Where:
    """Where the place asked about is: a point, and how to tell a service area covers it."""

    point: Point | None
    prefix: str  # a postal code's first three characters, or ""
    town: str  # a town's name, folded, or ""
    postal_code: str = ""  # as typed and normalised ("L9T 2X5"), or the prefix alone

    def area_covers(self, area: dict[str, Any]) -> bool:
        if self.prefix:
            return self.prefix in (area["postal_prefixes"] or [])
        return area["name"].casefold() == self.town


def fold_language(name: str) -> str:
    folded = " ".join(name.split()).casefold()
    return LANGUAGE_NAMES.get(folded, folded)


def listed_practices() -> QuerySet[Practice]:
    """Practices whose owners list their therapists in the directory, taking bookings."""
    return Practice.objects.filter(
        booking_open=True,
        pk__in=PracticeWebsite.objects.filter(in_directory=True).values("practice_id"),
    )


def find_therapists(
    search: TherapistSearch,
    practices: QuerySet[Practice],
    *,
    limit: int = RESULTS_SHOWN,
    now: Any = None,
) -> list[Match]:
    """The therapists of `practices` that fit the search, nearest first (those who visit homes
    in the place asked about, then by distance to their clinic), at most `limit`."""
    now = now or timezone.now()
    by_practice = {practice.pk: practice for practice in practices}
    if not by_practice:
        return []
    today = timezone.localdate(now)
    standing = in_good_standing(
        Therapist.objects.filter(
            practice_id__in=by_practice,
            is_active=True,
            registration_status=Therapist.RegistrationStatus.GENERAL,
        ),
        today,
    )
    if search.gender:
        standing = standing.filter(gender=search.gender)
    # Plain rows, not model instances: only the page shown becomes Therapist objects.
    rows = list(
        standing.order_by().values_list(
            "pk", "practice_id", "display_name", "modalities", "languages"
        )
    )
    works_at: dict[int, set[int]] = defaultdict(set)
    for therapist_id, location_id in (
        WeeklyShift.objects.filter(practice_id__in=by_practice)
        .order_by()
        .values_list("therapist_id", "location_id")
        .distinct()
    ):
        works_at[therapist_id].add(location_id)
    locations = {
        row["pk"]: row
        for row in Location.objects.filter(practice_id__in=by_practice, is_active=True).values(
            "pk", "practice_id", "name", "kind", "city", "latitude", "longitude"
        )
    }
    areas_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Location.service_areas.through.objects.filter(location_id__in=locations).values(
        "location_id",
        "servicearea__name",
        "servicearea__postal_prefixes",
        "servicearea__centroid_latitude",
        "servicearea__centroid_longitude",
    ):
        areas_of[row["location_id"]].append(
            {
                "name": row["servicearea__name"],
                "postal_prefixes": row["servicearea__postal_prefixes"],
                "centre": Point(
                    float(row["servicearea__centroid_latitude"]),
                    float(row["servicearea__centroid_longitude"]),
                ),
            }
        )
    billing_directly = set(
        PracticeWebsite.objects.filter(
            practice_id__in=by_practice, direct_billing=True
        ).values_list("practice_id", flat=True)
    )
    where = _where(search.place, locations, areas_of) if search.place.strip() else None
    language = fold_language(search.language) if search.language.strip() else ""

    matches = []
    for pk, practice_id, name, modalities, languages in rows:
        if search.technique and search.technique not in (modalities or []):
            continue
        if language and language not in {fold_language(n) for n in languages or []}:
            continue
        direct = practice_id in billing_directly
        if search.direct_billing and not direct:
            continue
        places = [locations[at] for at in works_at[pk] if at in locations]
        if not places:
            continue  # no working hours anywhere yet: nothing to book
        mobiles = [place for place in places if place["kind"] == Location.Kind.MOBILE]
        if search.home_visits and not mobiles:
            continue
        match = Match(
            pk,
            name,
            by_practice[practice_id],
            visits_homes=bool(mobiles),
            direct_billing=direct,
            languages=list(languages or []),
        )
        if where is not None and not _near(match, where, places, mobiles, areas_of):
            continue
        if search.home_visits and where is not None and not match.visits_home_here:
            continue
        matches.append(match)
    matches.sort(
        key=lambda m: (
            not m.visits_home_here,
            m.clinic_km if m.clinic_km is not None else float("inf"),
            m.name,
        )
    )
    if not search.free_this_week:
        return _with_therapists(matches[:limit])
    found: list[Match] = []
    for first in range(0, len(matches), limit):  # a page of therapists loaded at a time
        for match in _with_therapists(matches[first : first + limit]):
            match.free_this_week = has_time_this_week(match, works_at, locations, where, now)
            if match.free_this_week:
                found.append(match)
                if len(found) == limit:
                    return found
    return found


def _with_therapists(matches: list[Match]) -> list[Match]:
    """Load the therapist of each match (one query)."""
    stored = Therapist.objects.in_bulk([match.therapist_id for match in matches])
    for match in matches:
        match.therapist = stored[match.therapist_id]
    return matches


def _where(
    place: str, locations: dict[int, dict[str, Any]], areas_of: dict[int, list[dict[str, Any]]]
) -> _Where:
    compact = re.sub(r"\s+", "", place).upper()
    if len(compact) in (3, 6) and FSA_PATTERN.match(compact[:3]):
        prefix = compact[:3]
        covering = [
            area
            for areas in areas_of.values()
            for area in areas
            if prefix in area["postal_prefixes"]
        ]
        point = covering[0]["centre"] if covering else None
        postal_code = f"{compact[:3]} {compact[3:]}" if len(compact) == 6 else prefix
        return _Where(point, prefix, "", postal_code)
    town = " ".join(place.split()).casefold()
    for areas in areas_of.values():
        for area in areas:
            if area["name"].casefold() == town:
                return _Where(area["centre"], "", town)
    for location in locations.values():
        if (location["city"] or "").casefold() == town and location["latitude"] is not None:
            return _Where(Point(location["latitude"], location["longitude"]), "", town)
    if any((location["city"] or "").casefold() == town for location in locations.values()):
        return _Where(None, "", town)
    raise PlaceUnknown(
        _("We know no practice near %(place)s. Try a postal code, or a nearby town.")
        % {"place": place.strip()}
    )


def _near(
    match: Match,
    where: _Where,
    places: list[dict[str, Any]],
    mobiles: list[dict[str, Any]],
    areas_of: dict[int, list[dict[str, Any]]],
) -> bool:
    for mobile in mobiles:
        for area in areas_of[mobile["pk"]]:
            if where.area_covers(area):
                match.visits_home_here, match.area_name = True, area["name"]
                break
        if match.visits_home_here:
            break
    for clinic in (place for place in places if place["kind"] == Location.Kind.CLINIC):
        if where.town and (clinic["city"] or "").casefold() == where.town:
            km = 0.0
        elif where.point is not None and clinic["latitude"] is not None:
            km = great_circle_km(where.point, Point(clinic["latitude"], clinic["longitude"]))
        else:
            continue
        if km <= NEAR_KM and (match.clinic_km is None or km < match.clinic_km):
            match.clinic_km, match.clinic_name = round(km, 1), clinic["name"]
    return match.visits_home_here or match.clinic_km is not None


def has_time_this_week(
    match: Match,
    works_at: dict[int, set[int]],
    locations: dict[int, dict[str, Any]],
    where: _Where | None,
    now: Any,
) -> bool:
    """Whether the therapist has a bookable online time in the next seven days, for the
    shortest of the services they offer, at one of their clinics (or, for a postal code they
    visit, at that home)."""
    practice, therapist = match.practice, match.therapist
    if therapist is None:
        raise ValueError("has_time_this_week needs the match's therapist loaded")
    today = timezone.localdate(now, timezone=practice.zone)
    services = [
        service
        for service in Service.objects.for_practice(practice).filter(
            is_active=True, bookable_online=True
        )
        if offers(therapist, service)
    ]
    lengths = dict(
        ServiceDuration.objects.filter(service__in=services)
        .order_by("service_id", "-minutes")
        .values_list("service_id", "minutes")
    )
    mine = [locations[pk] for pk in works_at[therapist.pk] if pk in locations]
    for service in services:
        if service.pk not in lengths:
            continue
        for location in mine:
            place = None
            if location["kind"] == Location.Kind.MOBILE:
                if not (service.in_home and where and where.prefix and match.visits_home_here):
                    continue
                area = next(
                    a
                    for a in ServiceArea.objects.filter(locations=location["pk"])
                    if where.prefix in a.postal_prefixes
                )
                latitude, longitude = area.centroid
                place = Place(location["pk"], latitude, longitude, where.postal_code, area.pk)
            elif not service.in_clinic:
                continue
            slots = available_slots(
                practice,
                AvailabilityRequest(
                    service=service,
                    minutes=lengths[service.pk],
                    first_day=today,
                    last_day=today + timedelta(days=6),
                    therapist=therapist,
                    location=Location.objects.get(pk=location["pk"]),
                    place=place,
                ),
                now=now,
            )
            if slots:
                return True
    return False
