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

Steps 2 to 4 count in whole seconds since the epoch (`timeranges.Seconds`): a month of
"anyone" is thousands of starts, and integers are several times cheaper than aware datetimes.
`find_slots` answers with `SlotSeconds` tuples, the form answers are remembered in; `Slot` is
the same slot as datetimes, for callers that read a few.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import ceil, floor
from operator import itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from fascia.scheduling.timeranges import (
    OccupiedTimeline,
    Seconds,
    TimeRange,
    containing,
    inner_seconds,
    moment,
    outer_seconds,
)
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


class Commitment(NamedTuple):
    """Time a therapist (and perhaps a room) is already committed: an appointment or a hold,
    busy from `busy_from` to `busy_until` (seconds), already widened by its own buffers. A
    named tuple: a month's read makes hundreds."""

    therapist_id: int
    busy_from: Seconds
    busy_until: Seconds
    place: Place
    room_id: int | None = None

    @classmethod
    def during(
        cls, therapist_id: int, busy: TimeRange, place: Place, room_id: int | None = None
    ) -> Commitment:
        return cls(therapist_id, *outer_seconds(busy), place, room_id)

    @property
    def busy(self) -> TimeRange:
        return TimeRange(moment(self.busy_from), moment(self.busy_until))


@dataclass(frozen=True, slots=True)
class VisitShape:
    """What is being booked: treatment length and the buffers around it."""

    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)

    def at(self, start: datetime) -> tuple[TimeRange, TimeRange]:
        treatment = TimeRange(start, start + self.duration)
        return treatment, treatment.widened(self.buffer_before, self.buffer_after)


# A bookable start as the engine finds it: (start, end, therapist id, location id, room id).
SlotSeconds = tuple[Seconds, Seconds, int, int, int | None]


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    therapist_id: int
    location_id: int
    room_id: int | None = None

    @classmethod
    def of(cls, found: SlotSeconds) -> Slot:
        start, end, therapist_id, location_id, room_id = found
        return cls(moment(start), moment(end), therapist_id, location_id, room_id)


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
        by_therapist: dict[int, list[tuple[Seconds, Seconds]]] = defaultdict(list)
        by_room: dict[int, list[tuple[Seconds, Seconds]]] = defaultdict(list)
        # Travel to and from each place, asked once per place (a clinic's visits share one).
        padding: dict[int, tuple[Place, Seconds, Seconds]] = {}
        for therapist_id, busy_from, busy_until, commitment_place, room_id in commitments:
            # The travel hook: the visit must leave time to get here from the commitment
            # before it, and on to the one after it.
            pad = padding.get(id(commitment_place))
            if pad is None:
                pad = padding[id(commitment_place)] = (
                    commitment_place,  # kept, so that its id is not reused
                    ceil(travel(place, commitment_place).total_seconds()),
                    ceil(travel(commitment_place, place).total_seconds()),
                )
            by_therapist[therapist_id].append((busy_from - pad[1], busy_until + pad[2]))
            if room_id is not None:
                by_room[room_id].append((busy_from, busy_until))
        return cls(
            therapists={key: OccupiedTimeline(value) for key, value in by_therapist.items()},
            rooms={key: OccupiedTimeline(value) for key, value in by_room.items()},
            rooms_by_location=rooms_by_location or {},
        )

    def therapist_is_free(self, therapist_id: int, start: Seconds, end: Seconds) -> bool:
        timeline = self.therapists.get(therapist_id)
        return timeline is None or timeline.is_free(start, end)

    def free_room(self, location_id: int, start: Seconds, end: Seconds) -> int | bool | None:
        """A free room's id; None when the location has no rooms; False when all are taken."""
        rooms = self.rooms_by_location.get(location_id)
        if not rooms:
            return None
        for room_id in rooms:
            timeline = self.rooms.get(room_id)
            if timeline is None or timeline.is_free(start, end):
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
            for neighbour, (place, when) in ((before, origin), (after, destination)):
                if place is not None and not (neighbour and neighbour[1] == location_id):
                    edges.append(Commitment.during(therapist_id, TimeRange(when, when), place))
    return edges


def first_grid_start(when: datetime, step: timedelta, zone: ZoneInfo) -> datetime:
    """The first start on the practice's wall-clock grid (e.g. :00/:15/:30/:45) at or after
    `when`, in UTC."""
    return moment(first_grid_second(ceil(when.timestamp()), int(step.total_seconds()), zone))


class UtcOffsets:
    """The zone's offset from UTC at a moment in seconds, worked out once per UTC day (a day
    without a daylight-saving change has one offset all through)."""

    DAY = 86_400

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._by_day: dict[int, int | None] = {}

    def __call__(self, at: Seconds) -> Seconds:
        day = at // self.DAY
        if day not in self._by_day:
            first, last = self._exact(day * self.DAY), self._exact((day + 1) * self.DAY - 1)
            self._by_day[day] = first if first == last else None
        found = self._by_day[day]
        return self._exact(at) if found is None else found

    def _exact(self, at: Seconds) -> Seconds:
        offset = datetime.fromtimestamp(at, self.zone).utcoffset()
        assert offset is not None
        return int(offset.total_seconds())


def first_grid_second(at: Seconds, step: Seconds, offsets: UtcOffsets | ZoneInfo) -> Seconds:
    """The first moment at or after `at` whose wall-clock time in the practice's zone is on
    its grid (a whole number of `step`s after midnight), in seconds."""
    if isinstance(offsets, ZoneInfo):
        offsets = UtcOffsets(offsets)
    offset = offsets(at)
    start = _next_on_grid(at, step, offset)
    if offsets(start) == offset:
        return start
    # The clocks change before that grid point: find when (to the second), and lay the grid
    # out from there on the new wall clock.
    before, after = at, start  # offsets(before) == offset != offsets(after)
    while after - before > 1:
        middle = (before + after) // 2
        before, after = (middle, after) if offsets(middle) == offset else (before, middle)
    return _next_on_grid(after, step, offsets(after))


def _next_on_grid(at: Seconds, step: Seconds, offset: Seconds) -> Seconds:
    wall = at + offset
    into_day = wall % UtcOffsets.DAY
    return wall - into_day - (-into_day // step) * step - offset


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
    busy_from, busy_until = outer_seconds(visit)
    if not occupancy.therapist_is_free(therapist_id, busy_from, busy_until):
        return None
    room = occupancy.free_room(location_id, busy_from, busy_until)
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
) -> list[SlotSeconds]:
    """Every bookable start between `earliest` and `latest`, sorted by time then therapist.

    For each stretch of working time, the therapist's free starts come from one pass over their
    busy ranges, and the rooms' from one pass over each room's near them (`_with_rooms`): the
    grid points are laid only over what is free, a run of starts at a time."""
    found: list[SlotSeconds] = []
    duration = ceil(shape.duration.total_seconds())
    before = ceil(shape.buffer_before.total_seconds())
    after = duration + ceil(shape.buffer_after.total_seconds())
    every = int(step.total_seconds())
    first_allowed, last_allowed = ceil(earliest.timestamp()), floor(latest.timestamp())
    offsets = UtcOffsets(zone)
    no_commitments = OccupiedTimeline(())
    # Therapist and location order: the sort below keeps it among slots sharing a start.
    for (therapist_id, location_id), ranges in sorted(working.items(), key=itemgetter(0)):
        timeline = occupancy.therapists.get(therapist_id, no_commitments)
        rooms = [
            (room_id, occupancy.rooms.get(room_id, no_commitments))
            for room_id in occupancy.rooms_by_location.get(location_id, ())
        ]
        for working_range in ranges:
            range_start, range_end = inner_seconds(working_range)
            first = max(range_start, first_allowed)
            last = min(range_end - duration, last_allowed)
            if first > last:
                continue
            offset = offsets(first)
            steady = offsets(last) == offset  # the clocks do not change in this stretch
            free = timeline.free_starts(first, last, before, after)
            for free_from, free_until, room_id in _with_rooms(free, rooms, before, after):
                start = (
                    _next_on_grid(free_from, every, offset)
                    if steady
                    else first_grid_second(free_from, every, offsets)
                )
                found.extend(
                    [
                        (start, start + duration, therapist_id, location_id, room_id)
                        for start in range(start, free_until + 1, every)
                    ]
                )
    # In start, therapist, location order: every slot here lasts `duration`, so its end
    # follows its start, and a therapist has one slot per start and location, so a stable sort
    # by start (comparing numbers, not tuples) keeps the order they were found in among equals.
    found.sort(key=itemgetter(0))
    return found


def _with_rooms(
    free: list[tuple[Seconds, Seconds]],
    rooms: Sequence[tuple[int, OccupiedTimeline]],
    before: Seconds,
    after: Seconds,
) -> list[tuple[Seconds, Seconds, int | None]]:
    """The therapist's `free` starts (closed intervals) with the room each would be in: the
    first room, in the location's order, that is free for the visit; starts with no room free
    are left out. A location without rooms needs none (room None)."""
    if not rooms:
        return [(first, last, None) for first, last in free]
    placed: list[tuple[Seconds, Seconds, int | None]] = []
    unplaced = free
    for room_id, taken in rooms:
        still_unplaced = []
        for first, last in unplaced:
            cursor = first
            for room_first, room_last in taken.free_starts(first, last, before, after):
                placed.append((room_first, room_last, room_id))
                if room_first > cursor:
                    still_unplaced.append((cursor, room_first - 1))
                cursor = room_last + 1
            if cursor <= last:
                still_unplaced.append((cursor, last))
        unplaced = still_unplaced
        if not unplaced:
            break
    return placed
