"""The availability engine: which start times can be booked. Pure functions over plain values;
`fascia.scheduling.schedule` loads what they need in a fixed number of queries.

The pipeline, for one service and a set of therapists and locations:

1. working time per (therapist, location)           -> `working_time.working_ranges`
2. each therapist's occupied time: appointments and holds, widened by their buffers and by the
   travel time between that visit's place and the wanted place (the travel hook)
3. each room's occupied time (a room holds one treatment at a time, turnover included)
4. step through working time on the practice's grid; a start fits when the treatment lies within
   working time, the buffered visit clashes with nothing the therapist has, and (in a clinic) one
   room is free for it                                   -> `find_slots`, `fits`
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fascia.scheduling.timeranges import OccupiedTimeline, TimeRange, containing
from fascia.scheduling.working_time import TherapistAtLocation


@dataclass(frozen=True, slots=True)
class Place:
    """Where a visit happens: a clinic, or a client's home (with coordinates when known)."""

    location_id: int
    latitude: float | None = None
    longitude: float | None = None
    postal_code: str = ""  # set for a client's home
    area_id: int | None = None  # the service area a home is in

    @property
    def is_home(self) -> bool:
        return bool(self.postal_code)


TravelTime = Callable[[Place, Place], timedelta]


def no_travel_within_a_clinic(origin: Place, destination: Place) -> timedelta:
    """A travel hook for a practice that only works in one clinic: moving between its rooms
    takes no time. Everything else uses `travel.TravelTimes` (road travel between places)."""
    return timedelta(0)


@dataclass(frozen=True, slots=True)
class Commitment:
    """Time a therapist (and perhaps a room) is already committed: an appointment or a hold,
    `busy` already widened by its own buffers."""

    therapist_id: int
    busy: TimeRange
    place: Place
    room_id: int | None = None


@dataclass(frozen=True, slots=True)
class VisitShape:
    """What is being booked: treatment length and the buffers around it."""

    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)

    def at(self, start: datetime) -> tuple[TimeRange, TimeRange]:
        treatment = TimeRange(start, start + self.duration)
        return treatment, treatment.widened(self.buffer_before, self.buffer_after)


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    therapist_id: int
    location_id: int
    room_id: int | None = None


@dataclass
class Occupancy:
    """Per-request timelines of what is taken, with travel to and from `place` included."""

    therapists: dict[int, OccupiedTimeline]
    rooms: dict[int, OccupiedTimeline]
    rooms_by_location: Mapping[int, Sequence[int]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        commitments: Iterable[Commitment],
        *,
        place: Place,
        travel: TravelTime = no_travel_within_a_clinic,
        rooms_by_location: Mapping[int, Sequence[int]] | None = None,
    ) -> Occupancy:
        by_therapist: dict[int, list[TimeRange]] = {}
        by_room: dict[int, list[TimeRange]] = {}
        for commitment in commitments:
            # The travel hook: the visit must leave time to get here from the commitment
            # before it, and on to the one after it.
            padded = commitment.busy.widened(
                travel(place, commitment.place), travel(commitment.place, place)
            )
            by_therapist.setdefault(commitment.therapist_id, []).append(padded)
            if commitment.room_id is not None:
                by_room.setdefault(commitment.room_id, []).append(commitment.busy)
        return cls(
            therapists={key: OccupiedTimeline(value) for key, value in by_therapist.items()},
            rooms={key: OccupiedTimeline(value) for key, value in by_room.items()},
            rooms_by_location=rooms_by_location or {},
        )

    def therapist_is_free(self, therapist_id: int, visit: TimeRange) -> bool:
        timeline = self.therapists.get(therapist_id)
        return timeline is None or timeline.is_free(visit)

    def free_room(self, location_id: int, visit: TimeRange) -> int | bool | None:
        """A free room's id; None when the location has no rooms; False when all are taken."""
        rooms = self.rooms_by_location.get(location_id)
        if not rooms:
            return None
        for room_id in rooms:
            timeline = self.rooms.get(room_id)
            if timeline is None or timeline.is_free(visit):
                return room_id
        return False


def day_edges(
    scheduled: Mapping[TherapistAtLocation, Sequence[TimeRange]],
    *,
    location_id: int,
    zone: ZoneInfo,
    homes: Mapping[int, Place],
    places: Mapping[int, Place],
) -> list[Commitment]:
    """Where each stretch of in-home work at `location_id` begins and ends, as zero-length
    commitments the travel hook pads: the therapist sets out from home (their start point) at
    the stretch's start, or from the clinic they were working at when that shift ends, and must
    be back home by the stretch's end, or at the next clinic by its shift's start. A mixed day
    (clinic in the morning, homes in the afternoon) thus counts the drive between."""
    stretches: dict[int, list[tuple[TimeRange, int]]] = {}
    for (therapist_id, at_location), ranges in scheduled.items():
        stretches.setdefault(therapist_id, []).extend((r, at_location) for r in ranges)
    edges: list[Commitment] = []
    for therapist_id, day in stretches.items():
        day.sort()
        for index, (stretch, at_location) in enumerate(day):
            if at_location != location_id:
                continue
            local_day = stretch.start.astimezone(zone).date()
            before = day[index - 1] if index else None
            after = day[index + 1] if index + 1 < len(day) else None
            if before and before[0].end.astimezone(zone).date() != local_day:
                before = None
            if after and after[0].start.astimezone(zone).date() != local_day:
                after = None
            origin = (
                (places.get(before[1]), before[0].end)
                if before
                else (homes.get(therapist_id), stretch.start)
            )
            destination = (
                (places.get(after[1]), after[0].start)
                if after
                else (homes.get(therapist_id), stretch.end)
            )
            for neighbour, (place, moment) in ((before, origin), (after, destination)):
                if place is not None and not (neighbour and neighbour[1] == location_id):
                    edges.append(Commitment(therapist_id, TimeRange(moment, moment), place))
    return edges


def first_grid_start(moment: datetime, step: timedelta, zone: ZoneInfo) -> datetime:
    """The first start on the practice's wall-clock grid (e.g. :00/:15/:30/:45) at or after
    `moment`, in UTC."""
    local = moment.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = local - midnight
    steps = -(-elapsed // step)  # ceiling division of timedeltas
    return (midnight + steps * step).astimezone(UTC)


def fits(
    *,
    start: datetime,
    therapist_id: int,
    location_id: int,
    shape: VisitShape,
    working: Sequence[TimeRange],
    occupancy: Occupancy,
) -> Slot | None:
    """The slot if a visit of `shape` starting at `start` can be booked, else None."""
    treatment, visit = shape.at(start)
    if containing(working, treatment) is None:
        return None
    if not occupancy.therapist_is_free(therapist_id, visit):
        return None
    room = occupancy.free_room(location_id, visit)
    if room is False:
        return None
    return Slot(treatment.start, treatment.end, therapist_id, location_id, room or None)


def find_slots(
    *,
    working: Mapping[TherapistAtLocation, Sequence[TimeRange]],
    occupancy: Occupancy,
    shape: VisitShape,
    step: timedelta,
    zone: ZoneInfo,
    earliest: datetime,
    latest: datetime,
) -> list[Slot]:
    """Every bookable start between `earliest` and `latest`, sorted by time then therapist.

    For each stretch of working time, the therapist's free starts come from one pass over their
    busy ranges; only grid points inside those are tried against the rooms."""
    slots: list[Slot] = []
    before, after = shape.buffer_before, shape.duration + shape.buffer_after
    no_commitments = OccupiedTimeline(())
    for (therapist_id, location_id), ranges in working.items():
        timeline = occupancy.therapists.get(therapist_id, no_commitments)
        for working_range in ranges:
            first = max(working_range.start, earliest)
            last = min(working_range.end - shape.duration, latest)
            if first > last:
                continue
            for free_from, free_until in timeline.free_starts(first, last, before, after):
                start = first_grid_start(free_from, step, zone)
                while start <= free_until:
                    room = occupancy.free_room(
                        location_id, TimeRange(start - before, start + after)
                    )
                    if room is not False:
                        slots.append(
                            Slot(
                                start,
                                start + shape.duration,
                                therapist_id,
                                location_id,
                                room or None,
                            )
                        )
                    start += step
    slots.sort(key=lambda slot: (slot.start, slot.therapist_id, slot.location_id))
    return slots
