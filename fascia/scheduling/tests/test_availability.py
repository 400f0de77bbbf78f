"""The slot pipeline: grids, buffers, rooms, the travel hook and notice windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fascia.scheduling.availability import (
    Commitment,
    Occupancy,
    Place,
    Slot,
    UtcOffsets,
    VisitShape,
    first_grid_second,
    first_grid_start,
    fits,
)
from fascia.scheduling.availability import find_slots as find_slot_seconds
from fascia.scheduling.timeranges import TimeRange

TORONTO = ZoneInfo("America/Toronto")
DAY = date(2031, 3, 3)
CLINIC, HOME = 1, 2
MAYA, DAN = 10, 11
ROOM_A, ROOM_B = 100, 101
SIXTY = VisitShape(timedelta(minutes=60), buffer_after=timedelta(minutes=10))
STEP = timedelta(minutes=15)
EARLY, LATE = datetime(2031, 1, 1, tzinfo=UTC), datetime(2032, 1, 1, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=TORONTO).astimezone(UTC)


def hours(start: int, end: int) -> list[TimeRange]:
    return [TimeRange(at(start), at(end))]


def booked(
    therapist: int, start: datetime, end: datetime, room: int | None = None, location: int = CLINIC
) -> Commitment:
    return Commitment.during(therapist, TimeRange(start, end), Place(location), room)


def find_slots(**question: Any) -> list[Slot]:
    return [Slot.of(found) for found in find_slot_seconds(**question)]


def starts(slots: list[Slot]) -> list[str]:
    return [f"{s.start.astimezone(TORONTO):%H:%M}" for s in slots]


def occupancy(*commitments: Commitment, rooms: list[int] | None = None, travel=None) -> Occupancy:
    kwargs = {"travel": travel} if travel else {}
    return Occupancy.build(
        commitments, place=Place(CLINIC), rooms_by_location={CLINIC: rooms or []}, **kwargs
    )


def test_slots_fall_on_the_grid_and_fit_the_shift_with_buffers() -> None:
    slots = find_slots(
        working={(MAYA, CLINIC): hours(9, 11)},
        occupancy=occupancy(),
        shape=SIXTY,
        step=STEP,
        zone=TORONTO,
        earliest=EARLY,
        latest=LATE,
    )
    assert starts(slots) == ["09:00", "09:15", "09:30", "09:45", "10:00"]
    assert all(slot.end - slot.start == timedelta(minutes=60) for slot in slots)


def test_existing_appointment_and_its_turnover_block_the_time() -> None:
    taken = booked(MAYA, at(10), at(11, 10))  # 10:00-11:00 + 10 min turnover
    slots = find_slots(
        working={(MAYA, CLINIC): hours(9, 13)},
        occupancy=occupancy(taken),
        shape=SIXTY,
        step=STEP,
        zone=TORONTO,
        earliest=EARLY,
        latest=LATE,
    )
    # A 09:00 visit's own turnover would run to 10:10, into the 10:00 booking; after it the
    # next free start on the grid is 11:15.
    assert starts(slots) == ["11:15", "11:30", "11:45", "12:00"]


def test_a_clinic_room_holds_one_treatment_at_a_time() -> None:
    maya_in_a = booked(MAYA, at(9), at(10, 10), room=ROOM_A)
    working = {(MAYA, CLINIC): hours(9, 12), (DAN, CLINIC): hours(9, 12)}
    one_room = find_slots(
        working=working,
        occupancy=occupancy(maya_in_a, rooms=[ROOM_A]),
        shape=SIXTY,
        step=STEP,
        zone=TORONTO,
        earliest=EARLY,
        latest=LATE,
    )
    # Dan is free all morning, but the only room is turned over at 10:10.
    assert [(s.therapist_id, f"{s.start.astimezone(TORONTO):%H:%M}") for s in one_room] == [
        (MAYA, "10:15"),
        (DAN, "10:15"),
        (MAYA, "10:30"),
        (DAN, "10:30"),
        (MAYA, "10:45"),
        (DAN, "10:45"),
        (MAYA, "11:00"),
        (DAN, "11:00"),
    ]
    two_rooms = find_slots(
        working=working,
        occupancy=occupancy(maya_in_a, rooms=[ROOM_A, ROOM_B]),
        shape=SIXTY,
        step=STEP,
        zone=TORONTO,
        earliest=EARLY,
        latest=LATE,
    )
    dan_nine = [s for s in two_rooms if s.therapist_id == DAN and s.start == at(9)]
    assert len(dan_nine) == 1 and dan_nine[0].room_id == ROOM_B


def test_no_room_free_means_no_slot_even_if_the_therapist_is() -> None:
    other = booked(DAN, at(9), at(12), room=ROOM_A)
    slots = find_slots(
        working={(MAYA, CLINIC): hours(9, 11)},
        occupancy=occupancy(other, rooms=[ROOM_A]),
        shape=SIXTY,
        step=STEP,
        zone=TORONTO,
        earliest=EARLY,
        latest=LATE,
    )
    assert slots == []


def test_the_travel_hook_keeps_time_to_get_between_places() -> None:
    def thirty_minutes_between_places(a: Place, b: Place) -> timedelta:
        return timedelta(0) if a.location_id == b.location_id else timedelta(minutes=30)

    home_visit = booked(MAYA, at(9), at(10), location=HOME)
    slots = find_slots(
        working={(MAYA, CLINIC): hours(9, 13)},
        occupancy=occupancy(home_visit, travel=thirty_minutes_between_places),
        shape=VisitShape(timedelta(minutes=60)),
        step=STEP,
        zone=TORONTO,
        earliest=EARLY,
        latest=LATE,
    )
    assert starts(slots)[0] == "10:30"


def test_earliest_and_latest_bound_the_offer() -> None:
    slots = find_slots(
        working={(MAYA, CLINIC): hours(9, 17)},
        occupancy=occupancy(),
        shape=SIXTY,
        step=STEP,
        zone=TORONTO,
        earliest=at(10, 5),
        latest=at(11),
    )
    assert starts(slots) == ["10:15", "10:30", "10:45", "11:00"]


def test_fits_accepts_an_off_grid_start_that_is_free() -> None:
    slot = fits(
        start=at(9, 5),
        therapist_id=MAYA,
        location_id=CLINIC,
        shape=SIXTY,
        working=hours(9, 17),
        occupancy=occupancy(),
    )
    assert slot is not None and slot.start == at(9, 5)
    outside = fits(
        start=at(16, 30),
        therapist_id=MAYA,
        location_id=CLINIC,
        shape=SIXTY,
        working=hours(9, 17),
        occupancy=occupancy(),
    )
    assert outside is None


def test_grid_is_wall_clock_in_the_practice_zone() -> None:
    assert first_grid_start(at(9, 1), STEP, TORONTO) == at(9, 15)
    assert first_grid_start(at(9, 15), STEP, TORONTO) == at(9, 15)
    newfoundland = ZoneInfo("America/St_Johns")  # UTC-3:30
    moment = datetime(2031, 3, 3, 12, 40, tzinfo=newfoundland)
    assert first_grid_start(moment, timedelta(minutes=60), newfoundland) == datetime(
        2031, 3, 3, 13, 0, tzinfo=newfoundland
    )


def on_the_wall_clock_grid(at: int, minutes: int, zone: ZoneInfo) -> int:
    """The first whole minute at or after `at` whose local time is a whole number of steps
    after midnight, found by walking minute by minute (every zone's offset is whole minutes)."""
    candidate = -(-at // 60) * 60
    while True:
        local = datetime.fromtimestamp(candidate, zone)
        if (local.hour * 60 + local.minute) % minutes == 0:
            return candidate
        candidate += 60


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        ["America/Toronto", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
    ),
    st.integers(int(datetime(2031, 1, 1, tzinfo=UTC).timestamp()), 1_956_528_000),
    st.sampled_from([5, 10, 15, 20, 30, 45, 60, 90]),
)
def test_the_grid_in_seconds_is_the_wall_clock_grid(zone_name: str, at: int, minutes: int) -> None:
    """The engine steps in seconds; its grid is the practice's wall-clock grid."""
    zone = ZoneInfo(zone_name)
    expected = on_the_wall_clock_grid(at, minutes, zone)
    assert first_grid_second(at, minutes * 60, UtcOffsets(zone)) == expected
    assert first_grid_start(datetime.fromtimestamp(at, UTC), timedelta(minutes=minutes), zone) == (
        datetime.fromtimestamp(expected, UTC)
    )


@pytest.mark.parametrize(
    ("zone_name", "day"),
    [
        ("America/Toronto", date(2031, 3, 9)),
        ("America/Toronto", date(2031, 11, 2)),
        ("Australia/Lord_Howe", date(2031, 4, 6)),
        ("Australia/Lord_Howe", date(2031, 10, 5)),
    ],
)
def test_the_grid_holds_through_the_night_the_clocks_change(zone_name: str, day: date) -> None:
    """Through the hour that is skipped or repeated, the next start is never before the moment
    asked about, and is on the wall-clock grid."""
    zone = ZoneInfo(zone_name)
    offsets = UtcOffsets(zone)
    first = int(datetime.combine(day, time(0), tzinfo=zone).timestamp())
    for at in range(first, first + 26 * 3600, 7 * 60 + 13):
        assert first_grid_second(at, 15 * 60, offsets) == on_the_wall_clock_grid(at, 15, zone)


def test_a_stretch_through_the_clock_change_starts_each_free_run_on_the_new_grid() -> None:
    """Lord Howe's clocks go forward half an hour at 02:00 on 5 October 2031: after a visit
    that ends past the change, the next start is on the new wall clock's 20-minute grid."""
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    day = date(2031, 10, 5)

    def local(hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=lord_howe).astimezone(UTC)

    slots = find_slots(
        working={(MAYA, CLINIC): [TimeRange(local(0, 0), local(6, 0))]},
        occupancy=occupancy(booked(MAYA, local(1, 0), local(3, 5))),
        shape=VisitShape(timedelta(minutes=40)),
        step=timedelta(minutes=20),
        zone=lord_howe,
        earliest=EARLY,
        latest=LATE,
    )
    after = [s.start.astimezone(lord_howe) for s in slots if s.start >= local(3, 5)]
    assert f"{after[0]:%H:%M}" == "03:20"
    assert f"{slots[0].start.astimezone(lord_howe):%H:%M}" == "00:00"


visits = st.lists(
    st.tuples(
        st.sampled_from([MAYA, DAN]),
        st.integers(0, 40),
        st.integers(2, 8),
        st.sampled_from([ROOM_A, ROOM_B]),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(visits)
def test_every_offered_slot_is_really_free(booked_visits: list[tuple[int, int, int, int]]) -> None:
    """Whatever is booked, no offered slot overlaps the therapist's or its room's bookings,
    every slot lies within working time, and slots come in start, therapist order."""
    commitments = [
        booked(
            therapist,
            at(8) + timedelta(minutes=15 * start),
            at(8) + timedelta(minutes=15 * (start + length)),
            room=room,
        )
        for therapist, start, length, room in booked_visits
    ]
    working = {(DAN, CLINIC): hours(8, 18), (MAYA, CLINIC): hours(8, 18)}  # Dan's id is higher
    slots = find_slots(
        working=working,
        occupancy=occupancy(*commitments, rooms=[ROOM_A, ROOM_B]),
        shape=SIXTY,
        step=STEP,
        zone=TORONTO,
        earliest=EARLY,
        latest=LATE,
    )
    order = [(slot.start, slot.therapist_id) for slot in slots]
    assert order == sorted(order)
    offered = {(slot.start, slot.therapist_id): slot.room_id for slot in slots}
    taken = occupancy(*commitments, rooms=[ROOM_A, ROOM_B])
    for therapist in (MAYA, DAN):
        start = at(8)
        while start <= at(17):
            # Nothing bookable is left out: every grid start that fits is offered.
            fitting = fits(
                start=start,
                therapist_id=therapist,
                location_id=CLINIC,
                shape=SIXTY,
                working=hours(8, 18),
                occupancy=taken,
            )
            assert (fitting is not None) == ((start, therapist) in offered), start
            # ... in the same room: the first free one, in the location's order.
            if fitting is not None:
                assert offered[(start, therapist)] == fitting.room_id, start
            start += STEP
    for slot in slots:
        visit = TimeRange(slot.start, slot.end + timedelta(minutes=10))
        assert TimeRange(at(8), at(18)).contains(TimeRange(slot.start, slot.end))
        for commitment in commitments:
            if commitment.therapist_id == slot.therapist_id:
                assert not commitment.busy.overlaps(visit)
            if commitment.room_id == slot.room_id:
                assert not commitment.busy.overlaps(visit)
