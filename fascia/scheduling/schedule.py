"""Loads what the availability engine needs, in a fixed number of queries however many
therapists, days or past appointments there are, and runs it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any, cast

from django.utils import timezone

from fascia.practices.models import (
    Location,
    Practice,
    Service,
    ServiceArea,
    ServiceAreaDay,
    ServiceDuration,
    Therapist,
)
from fascia.scheduling.availability import (
    Commitment,
    Occupancy,
    Place,
    Slot,
    SlotSeconds,
    TravelTime,
    VisitShape,
    day_edges,
    find_slots,
)
from fascia.scheduling.geography import locate_postal_code, served_days
from fascia.scheduling.models import TrafficWindow
from fascia.scheduling.practice_setup import KEPT_HOURS, PracticeSetup, practice_setup
from fascia.scheduling.remembered import Answer, Question, Scope, remember
from fascia.scheduling.schedule_rows import read_commitments, read_working_time
from fascia.scheduling.timeranges import TimeRange, moment
from fascia.scheduling.travel import TravelTimes
from fascia.scheduling.working_time import (
    TherapistAtLocation,
    days_between,
    holidays_between,
    scheduled_hours,
    working_ranges,
)

# Commitments this far either side of the asked-for days still matter (buffers, travel).
EDGE = timedelta(days=1)


def offers(therapist: Therapist, service: Service) -> bool:
    return therapist.may_treat and service.modality in (therapist.modalities or [])


def location_offers(location: Location, service: Service) -> bool:
    return location.is_active and (service.in_home if location.is_mobile else service.in_clinic)


def visit_shape(service: Service, minutes: int) -> VisitShape:
    return VisitShape(
        duration=timedelta(minutes=minutes),
        buffer_before=timedelta(minutes=service.buffer_before_minutes),
        buffer_after=timedelta(minutes=service.buffer_after_minutes),
    )


def visit_place(location: Location, home: Place | None) -> Place:
    """Where a new visit would be: the clinic, or the client's home for a mobile location."""
    if location.is_mobile and home is not None:
        return Place(location.pk, home.latitude, home.longitude, home.postal_code, home.area_id)
    return Place(location.pk, location.latitude, location.longitude)


@dataclass(frozen=True, slots=True)
class NoStartWindow:
    """Local hours on some weekdays when no in-home visit may start (traffic)."""

    weekdays: frozenset[int]
    starts: time
    ends: time

    def blocks(self, local_start: datetime) -> bool:
        return local_start.weekday() in self.weekdays and (
            self.starts <= local_start.time() < self.ends
        )


@dataclass
class Schedule:
    """Working time and commitments for some therapists and locations over some days."""

    working: dict[TherapistAtLocation, list[TimeRange]]
    commitments: list[Commitment]
    rooms_by_location: dict[int, list[int]]
    zone: Any
    scheduled: dict[TherapistAtLocation, list[TimeRange]] = field(default_factory=dict)
    places: dict[int, Place] = field(default_factory=dict)  # clinics (and mobile bases)
    homes: dict[int, Place] = field(default_factory=dict)  # therapists' start points
    mobile_ids: frozenset[int] = frozenset()
    no_start_windows: dict[int, list[NoStartWindow]] = field(default_factory=dict)
    held_until: datetime | None = None  # when the first slot hold counted here expires

    def occupancy_for(
        self, place: Place, travel: TravelTime, location_id: int | None = None
    ) -> Occupancy:
        """What is taken, as seen from a visit at `place` (travel padding depends on it). For
        a mobile location, the drive from the day's start point and back to its end counts."""
        commitments = self.commitments
        if location_id in self.mobile_ids:
            commitments = commitments + day_edges(
                self.scheduled,
                location_id=location_id,
                zone=self.zone,
                homes=self.homes,
                places=self.places,
            )
        prime = getattr(travel, "prime", None)
        if prime is not None:
            points = [
                (c.place.latitude, c.place.longitude)
                for c in commitments
                if c.place.latitude is not None and c.place.longitude is not None
            ]
            if place.latitude is not None and place.longitude is not None and points:
                from fascia.scheduling.geography import Point

                here = Point(place.latitude, place.longitude)
                others = [Point(*point) for point in dict.fromkeys(points)]
                prime([here], others)
                prime(others, [here])
        return Occupancy.build(
            commitments, place=place, travel=travel, rooms_by_location=self.rooms_by_location
        )

    def working_at(self, location_id: int) -> dict[TherapistAtLocation, list[TimeRange]]:
        return {key: ranges for key, ranges in self.working.items() if key[1] == location_id}

    def start_blocked(self, location_id: int, start: datetime) -> NoStartWindow | None:
        local = start.astimezone(self.zone)
        return next(
            (w for w in self.no_start_windows.get(location_id, ()) if w.blocks(local)), None
        )


class PositionsByPostalCode:
    """A position for a clinic or start point with a postal code but no coordinates: the
    centroid of the practice's service area covering it (areas are read once, if needed)."""

    def __init__(self, practice: Practice) -> None:
        self.practice = practice
        self._areas: list[ServiceArea] | None = None

    def position(self, postal_code: str) -> tuple[float | None, float | None]:
        if not postal_code:
            return None, None
        if self._areas is None:
            self._areas = list(ServiceArea.objects.for_practice(self.practice))
        point = locate_postal_code(postal_code, self._areas)
        return (point.latitude, point.longitude) if point else (None, None)


def load_schedule(
    practice: Practice,
    *,
    therapists: Sequence[Therapist],
    locations: Sequence[Location],
    first_day: date,
    last_day: date,
    ignore_appointment_id: int | None = None,
    ignore_hold_token: str | None = None,
    now: datetime | None = None,
) -> Schedule:
    """One plain query (`schedule_rows`) for the appointments and holds; the practice's
    locations, rooms and working time (weekly hours, one-off changes and time off) come from
    its set-up (`practice_setup`), read only for days before the set-up keeps; another query
    for a mobile location's traffic windows."""
    zone = practice.zone
    now = now or timezone.now()
    therapist_ids = [therapist.pk for therapist in therapists]
    location_ids = [location.pk for location in locations]
    window = TimeRange(
        datetime.combine(first_day, time.min, tzinfo=zone).astimezone(UTC) - EDGE,
        datetime.combine(last_day, time.max, tzinfo=zone).astimezone(UTC) + EDGE,
    )

    setup = practice_setup(practice.pk)
    scheduled, working = _working_hours(
        practice, setup, therapist_ids, location_ids, first_day, last_day, window
    )

    places: dict[int, Place] = {}
    mobile_ids = set()
    areas = PositionsByPostalCode(practice)
    for location in setup.locations:
        latitude, longitude = location.latitude, location.longitude
        if latitude is None or longitude is None:
            latitude, longitude = areas.position(location.postal_code)
        places[location.pk] = Place(location.pk, latitude, longitude)
        if location.is_mobile:
            mobile_ids.add(location.pk)
    homes = {}
    for therapist in therapists:
        latitude, longitude = therapist.home_latitude, therapist.home_longitude
        if latitude is None or longitude is None:
            latitude, longitude = areas.position(therapist.home_postal_code)
        if latitude is not None and longitude is not None:
            homes[therapist.pk] = Place(0, latitude, longitude)

    # Only the therapists working at the asked-for locations in these days can be offered, so
    # only their commitments (and the rooms there, with other therapists' visits in them) count.
    working_at = {location_id for (_, location_id) in working}
    working_therapist_ids = sorted({therapist_id for (therapist_id, _) in working})
    rooms_by_location = {
        location_id: setup.rooms[location_id]
        for location_id in sorted(working_at)
        if location_id in setup.rooms
    }
    room_ids = [room_id for ids in rooms_by_location.values() for room_id in ids]

    no_start_windows: dict[int, list[NoStartWindow]] = {}
    asked_mobile = [pk for pk in location_ids if pk in mobile_ids]
    if asked_mobile:
        for rule in TrafficWindow.objects.filter(location_id__in=asked_mobile):
            no_start_windows.setdefault(rule.location_id, []).append(
                NoStartWindow(frozenset(rule.weekdays), rule.starts_at, rule.ends_at)
            )

    def place_of(location_id: int, postal_code: str, latitude: Any, longitude: Any) -> Place:
        if postal_code:  # a client's home
            return Place(location_id, latitude, longitude, postal_code)
        return places.get(location_id) or Place(location_id)

    committed = read_commitments(
        therapist_ids=working_therapist_ids,
        room_ids=room_ids,
        window=window,
        now=now,
        place_of=place_of,
        ignore_appointment_id=ignore_appointment_id,
        ignore_hold_token=ignore_hold_token,
    )
    return Schedule(
        held_until=committed.held_until,
        working=working,
        commitments=committed.found,
        rooms_by_location=rooms_by_location,
        zone=zone,
        scheduled=scheduled,
        places=places,
        homes=homes,
        mobile_ids=frozenset(mobile_ids),
        no_start_windows=no_start_windows,
    )


WorkingHours = dict[TherapistAtLocation, list[TimeRange]]


def _working_hours(
    practice: Practice,
    setup: PracticeSetup,
    therapist_ids: list[int],
    location_ids: list[int],
    first_day: date,
    last_day: date,
    window: TimeRange,
) -> tuple[WorkingHours, WorkingHours]:
    """The therapists' scheduled hours everywhere (a day's other shifts say where an in-home
    stretch starts from and goes on to) and their bookable working time at the asked-for
    locations. Worked out from the set-up's working time, and kept with it, for days it
    covers; read afresh for earlier ones. Shared by the questions: never change them."""
    rules = (practice.zone.key, practice.province, practice.works_statutory_holidays)
    key = (tuple(therapist_ids), tuple(location_ids), first_day, last_day, rules)
    found = setup.hours.get(key)
    if found is not None:
        return cast(tuple[WorkingHours, WorkingHours], found)
    rows = setup.working_time_within(therapist_ids, first_day, last_day, window)
    kept = rows is not None
    if rows is None:
        rows = read_working_time(therapist_ids, first_day, last_day, window)
    closed = (
        []
        if practice.works_statutory_holidays
        else list(holidays_between(practice.province, first_day, last_day))
    )
    days = days_between(first_day, last_day)
    scheduled = scheduled_hours(
        days=days, zone=practice.zone, shifts=rows.shifts, changes=rows.changes, closed_days=closed
    )
    working = working_ranges(
        days=days,
        zone=practice.zone,
        shifts=(),
        breaks=rows.breaks,
        absences=rows.absences,
        scheduled={key: hours for key, hours in scheduled.items() if key[1] in location_ids},
    )
    if kept:
        if len(setup.hours) >= KEPT_HOURS:
            setup.hours.clear()
        setup.hours[key] = (scheduled, working)
    return scheduled, working


def served_working(
    working: dict[TherapistAtLocation, list[TimeRange]], zone: Any, days: set[date]
) -> dict[TherapistAtLocation, list[TimeRange]]:
    """Working time only on the days a home's service area is visited."""
    kept = {
        key: [r for r in ranges if r.start.astimezone(zone).date() in days]
        for key, ranges in working.items()
    }
    return {key: ranges for key, ranges in kept.items() if ranges}


def area_days(area_id: int, first_day: date, last_day: date) -> set[date]:
    """The days from `first_day` to `last_day` a service area is visited (two queries)."""
    area = ServiceArea.objects.get(pk=area_id)
    exceptions = ServiceAreaDay.objects.filter(
        area_id=area_id, date__gte=first_day, date__lte=last_day
    )
    return served_days(area, exceptions, days_between(first_day, last_day))


@dataclass(frozen=True)
class AvailabilityRequest:
    service: Service
    minutes: int
    first_day: date
    last_day: date
    therapist: Therapist | None = None
    location: Location | None = None
    place: Place | None = None
    as_staff: bool = False


def candidates(
    practice: Practice, request: AvailabilityRequest
) -> tuple[list[Therapist], list[Location]]:
    """Therapists who may be booked today and offer the service, and locations where it is
    offered (from the practice's set-up: `practice_setup`)."""
    setup = practice_setup(practice.pk, timezone.localdate(timezone=practice.zone))
    therapists = [
        therapist
        for therapist in setup.bookable
        if offers(therapist, request.service)
        and (request.therapist is None or therapist.pk == request.therapist.pk)
    ]
    locations = [
        location
        for location in setup.locations
        if location_offers(location, request.service)
        and (request.location is None or location.pk == request.location.pk)
    ]
    return therapists, locations


def booking_window(practice: Practice, *, as_staff: bool, now: datetime) -> TimeRange:
    """When starts may be offered: from the minimum notice to the end of the booking window
    for clients; from now on for staff."""
    if as_staff:
        return TimeRange(now, now + timedelta(days=366 * 2))
    return TimeRange(
        now + timedelta(minutes=practice.minimum_notice_minutes),
        now + timedelta(days=practice.booking_window_days),
    )


def available_slots(
    practice: Practice,
    request: AvailabilityRequest,
    *,
    travel: TravelTime | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """Bookable starts for a service inside the practice's booking window."""
    now = now or timezone.now()
    window = booking_window(practice, as_staff=request.as_staff, now=now)
    if travel is not None:
        earliest, latest = window.start.timestamp(), window.end.timestamp()
        found = whole_days_slots(practice, request, travel, now)
        return [Slot.of(slot) for slot in found if earliest <= slot[0] <= latest]
    return whole_days_answer(practice, request, now=now).slots_between(window.start, window.end)


def whole_days_answer(practice: Practice, request: AvailabilityRequest, *, now: datetime) -> Answer:
    """Every bookable start on the asked-for days (with the deployment's travel times),
    remembered until the schedule changes (`remembered.py`); callers apply the booking window."""
    place = request.place
    key = (
        request.service.pk,
        request.minutes,
        request.first_day,
        request.last_day,
        request.therapist.pk if request.therapist else "",
        request.location.pk if request.location else "",
        f"{place.location_id}/{place.latitude}/{place.longitude}/{place.postal_code}/"
        f"{place.area_id}"
        if place
        else "",
    )

    scope = Scope(
        request.first_day, request.last_day, request.therapist.pk if request.therapist else None
    )
    return remember(
        Question.of("slots", key, practice.pk, scope),
        now,
        lambda: worked_out_answer(practice, request, now=now),
    )


Candidates = tuple[list[Therapist], list[Location]]


def worked_out_answer(
    practice: Practice,
    request: AvailabilityRequest,
    *,
    now: datetime,
    chosen: Candidates | None = None,
) -> Answer:
    """`whole_days_answer` worked out now, for a caller that remembers its own answer (the
    API's checked question), given the `candidates` when it has already chosen them."""
    loaded: list[Schedule] = []
    slots = whole_days_slots(practice, request, TravelTimes(), now, loaded, chosen)
    return Answer.of(slots, loaded[0].held_until if loaded else None)


def whole_days_slots(
    practice: Practice,
    request: AvailabilityRequest,
    travel: TravelTime,
    now: datetime,
    loaded: list[Schedule] | None = None,
    chosen: Candidates | None = None,
) -> list[SlotSeconds]:
    """Every bookable start on the asked-for days, ignoring the booking window, in a fixed
    number of queries whatever the range: the appointments and holds in a clinic, and the
    practice's stamp twice (its set-up, `practice_setup`, once known); three more for a home
    (traffic windows and the service area's days).
    `loaded` receives the schedule read; `chosen` is `candidates(practice, request)` when the
    caller already has it."""
    therapists, locations = chosen or candidates(practice, request)
    home = request.place
    # A home asks about the mobile services; no home, about the clinics.
    locations = [location for location in locations if location.is_mobile == (home is not None)]
    if not therapists or not locations:
        return []
    schedule = load_schedule(
        practice,
        therapists=therapists,
        locations=locations,
        first_day=request.first_day,
        last_day=request.last_day,
        now=now,
    )
    if loaded is not None:
        loaded.append(schedule)
    day_start = datetime.combine(request.first_day, time.min, tzinfo=schedule.zone)
    day_end = datetime.combine(request.last_day, time.max, tzinfo=schedule.zone)
    slots: list[SlotSeconds] = []
    for location in locations:
        place = visit_place(location, home)
        working = schedule.working_at(location.pk)
        if location.is_mobile and home is not None and home.area_id is not None:
            served = area_days(home.area_id, request.first_day, request.last_day)
            working = served_working(working, schedule.zone, served)
        found = find_slots(
            working=working,
            occupancy=schedule.occupancy_for(place, travel, location.pk),
            shape=visit_shape(request.service, request.minutes),
            step=timedelta(minutes=practice.slot_step_minutes),
            zone=schedule.zone,
            earliest=day_start.astimezone(UTC),
            latest=day_end.astimezone(UTC),
        )
        if location.is_mobile:
            found = [s for s in found if not schedule.start_blocked(location.pk, moment(s[0]))]
        slots += found
    if len(locations) > 1:
        slots.sort(key=itemgetter(0, 2, 3))
    return slots


def duration_for(service: Service, minutes: int | None) -> ServiceDuration | None:
    """The service's length of `minutes`, or its only length when none is given."""
    durations = list(service.durations.all())
    if minutes is None:
        return durations[0] if len(durations) == 1 else None
    return next((d for d in durations if d.minutes == minutes), None)
