"""Loads what the availability engine needs, in a fixed number of queries however many
therapists, days or past appointments there are, and runs it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from fascia.practices.models import Location, Practice, Room, Service, ServiceDuration, Therapist
from fascia.scheduling.availability import (
    Commitment,
    Occupancy,
    Place,
    Slot,
    TravelTime,
    VisitShape,
    find_slots,
    no_travel_within_a_clinic,
)
from fascia.scheduling.models import (
    OCCUPYING_STATUSES,
    Appointment,
    ShiftChange,
    SlotHold,
    TimeOff,
    WeeklyBreak,
    WeeklyShift,
)
from fascia.scheduling.timeranges import TimeRange
from fascia.scheduling.working_time import (
    Absence,
    DayChange,
    TherapistAtLocation,
    WeeklyTimes,
    days_between,
    holidays_between,
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


def commitment_place(location_id: int, postal_code: str = "") -> Place:
    return Place(location_id=location_id, postal_code=postal_code)


def visit_place(location: Location, home: Place | None) -> Place:
    """Where a new visit would be: the clinic, or the client's home for a mobile location."""
    if location.is_mobile and home is not None:
        return Place(
            home.location_id or location.pk, home.latitude, home.longitude, home.postal_code
        )
    return Place(location_id=location.pk)


@dataclass
class Schedule:
    """Working time and commitments for some therapists and locations over some days."""

    working: dict[TherapistAtLocation, list[TimeRange]]
    commitments: list[Commitment]
    rooms_by_location: dict[int, list[int]]
    zone: Any

    def occupancy_for(self, place: Place, travel: TravelTime) -> Occupancy:
        """What is taken, as seen from a visit at `place` (travel padding depends on it)."""
        return Occupancy.build(
            self.commitments, place=place, travel=travel, rooms_by_location=self.rooms_by_location
        )

    def working_at(self, location_id: int) -> dict[TherapistAtLocation, list[TimeRange]]:
        return {key: ranges for key, ranges in self.working.items() if key[1] == location_id}


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
    """Seven queries: shifts, breaks, one-off changes, time off, rooms, appointments, holds."""
    zone = practice.zone
    now = now or timezone.now()
    therapist_ids = [therapist.pk for therapist in therapists]
    location_ids = [location.pk for location in locations]
    window = TimeRange(
        datetime.combine(first_day, time.min, tzinfo=zone).astimezone(UTC) - EDGE,
        datetime.combine(last_day, time.max, tzinfo=zone).astimezone(UTC) + EDGE,
    )

    shifts = [
        WeeklyTimes(
            s.therapist_id,
            s.weekday,
            s.starts_at,
            s.ends_at,
            s.location_id,
            s.effective_from,
            s.effective_until,
        )
        for s in WeeklyShift.objects.filter(
            therapist_id__in=therapist_ids, location_id__in=location_ids
        )
    ]
    breaks = [
        WeeklyTimes(
            b.therapist_id,
            b.weekday,
            b.starts_at,
            b.ends_at,
            None,
            b.effective_from,
            b.effective_until,
        )
        for b in WeeklyBreak.objects.filter(therapist_id__in=therapist_ids)
    ]
    changes = [
        # A change at a location not asked about still replaces that day's weekly shifts.
        DayChange(
            c.therapist_id,
            c.date,
            c.location_id if c.location_id in location_ids else None,
            c.starts_at,
            c.ends_at,
        )
        for c in ShiftChange.objects.filter(
            therapist_id__in=therapist_ids, date__gte=first_day, date__lte=last_day
        )
    ]
    absences = [
        Absence(t.therapist_id, TimeRange(t.starts_at, t.ends_at))
        for t in TimeOff.objects.filter(
            therapist_id__in=therapist_ids, ends_at__gt=window.start, starts_at__lt=window.end
        )
    ]
    closed = (
        []
        if practice.works_statutory_holidays
        else list(holidays_between(practice.province, first_day, last_day))
    )
    working = working_ranges(
        days=days_between(first_day, last_day),
        zone=zone,
        shifts=shifts,
        breaks=breaks,
        changes=changes,
        absences=absences,
        closed_days=closed,
    )

    rooms_by_location: dict[int, list[int]] = {}
    for room in Room.objects.filter(location_id__in=location_ids, is_active=True).order_by(
        "name", "id"
    ):
        rooms_by_location.setdefault(room.location_id, []).append(room.pk)
    room_ids = [room_id for ids in rooms_by_location.values() for room_id in ids]

    occupied = Q(therapist_id__in=therapist_ids) | Q(room_id__in=room_ids)
    appointments = Appointment.objects.filter(
        occupied,
        status__in=OCCUPYING_STATUSES,
        busy_until__gt=window.start,
        busy_from__lt=window.end,
    ).exclude(pk=ignore_appointment_id or 0)
    commitments = [
        Commitment(
            a.therapist_id,
            TimeRange(a.busy_from, a.busy_until),
            commitment_place(a.location_id, a.visit_postal_code),
            a.room_id,
        )
        for a in appointments.only(
            "therapist_id",
            "busy_from",
            "busy_until",
            "location_id",
            "visit_postal_code",
            "room_id",
        )
    ]
    holds = SlotHold.objects.filter(
        occupied, expires_at__gt=now, busy_until__gt=window.start, busy_from__lt=window.end
    ).exclude(token=ignore_hold_token or "")
    commitments += [
        Commitment(
            h.therapist_id,
            TimeRange(h.busy_from, h.busy_until),
            commitment_place(h.location_id),
            h.room_id,
        )
        for h in holds
    ]
    return Schedule(
        working=working, commitments=commitments, rooms_by_location=rooms_by_location, zone=zone
    )


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
    """Therapists who offer the service and locations where it is offered (two queries)."""
    therapists = [
        therapist
        for therapist in Therapist.objects.for_practice(practice).filter(is_active=True)
        if offers(therapist, request.service)
        and (request.therapist is None or therapist.pk == request.therapist.pk)
    ]
    locations = [
        location
        for location in Location.objects.for_practice(practice)
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
    travel: TravelTime = no_travel_within_a_clinic,
    now: datetime | None = None,
) -> list[Slot]:
    """Bookable starts for a service: nine queries in all, whatever the range."""
    now = now or timezone.now()
    therapists, locations = candidates(practice, request)
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
    window = booking_window(practice, as_staff=request.as_staff, now=now)
    day_end = datetime.combine(request.last_day, time.max, tzinfo=schedule.zone)
    slots: list[Slot] = []
    for location in locations:
        place = visit_place(location, request.place)
        slots += find_slots(
            working=schedule.working_at(location.pk),
            occupancy=schedule.occupancy_for(place, travel),
            shape=visit_shape(request.service, request.minutes),
            step=timedelta(minutes=practice.slot_step_minutes),
            zone=schedule.zone,
            earliest=window.start,
            latest=min(window.end, day_end.astimezone(UTC)),
        )
    slots.sort(key=lambda slot: (slot.start, slot.therapist_id, slot.location_id))
    return slots


def duration_for(service: Service, minutes: int | None) -> ServiceDuration | None:
    """The service's length of `minutes`, or its only length when none is given."""
    durations = list(service.durations.all())
    if minutes is None:
        return durations[0] if len(durations) == 1 else None
    return next((d for d in durations if d.minutes == minutes), None)
