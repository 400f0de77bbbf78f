"""Interval arithmetic checked against the obvious model: sets of minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from fascia.scheduling.timeranges import (
    OccupiedTimeline,
    TimeRange,
    containing,
    inner_seconds,
    intersect,
    normalise,
    outer_seconds,
    subtract,
    union,
)

ORIGIN = datetime(2031, 3, 3, tzinfo=UTC)


def minute(n: int) -> datetime:
    return ORIGIN + timedelta(minutes=n)


def seconds(n: int) -> int:
    """Minute `n` in seconds since the epoch."""
    return int(minute(n).timestamp())


ranges = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 60)).map(
        lambda pair: TimeRange(minute(pair[0]), minute(pair[0] + pair[1]))
    ),
    max_size=12,
)


def minutes_of(items: list[TimeRange]) -> set[int]:
    covered: set[int] = set()
    for item in items:
        start = int((item.start - ORIGIN).total_seconds() // 60)
        end = int((item.end - ORIGIN).total_seconds() // 60)
        covered.update(range(start, end))
    return covered


def is_normal(items: list[TimeRange]) -> bool:
    return all(a.end < b.start for a, b in pairwise(items)) and all(r.end > r.start for r in items)


@given(ranges)
def test_normalise_keeps_coverage_and_merges(items: list[TimeRange]) -> None:
    result = normalise(items)
    assert minutes_of(result) == minutes_of(items)
    assert is_normal(result)


@given(ranges, ranges)
def test_subtract_removes_exactly_the_covered_minutes(
    a: list[TimeRange], b: list[TimeRange]
) -> None:
    result = subtract(a, b)
    assert minutes_of(result) == minutes_of(a) - minutes_of(b)
    assert is_normal(result)


@given(ranges, ranges)
def test_intersect_and_union_match_set_operations(a: list[TimeRange], b: list[TimeRange]) -> None:
    assert minutes_of(intersect(a, b)) == minutes_of(a) & minutes_of(b)
    assert minutes_of(union(a, b)) == minutes_of(a) | minutes_of(b)
    assert is_normal(intersect(a, b)) and is_normal(union(a, b))


@given(ranges, st.integers(0, 320), st.integers(1, 90))
def test_timeline_is_free_exactly_when_nothing_overlaps(
    busy: list[TimeRange], start: int, length: int
) -> None:
    wanted = TimeRange(minute(start), minute(start + length))
    expected = not any(item.overlaps(wanted) for item in busy if item.end > item.start)
    assert OccupiedTimeline.of(busy).is_free_during(wanted) is expected


@given(ranges, st.integers(0, 200), st.integers(0, 120), st.integers(0, 20), st.integers(1, 90))
def test_free_starts_are_exactly_the_starts_that_are_free(
    busy: list[TimeRange], first: int, span: int, before: int, after: int
) -> None:
    timeline = OccupiedTimeline.of(busy)
    free = timeline.free_starts(seconds(first), seconds(first + span), before * 60, after * 60)
    assert all(a <= b for a, b in free) and all(b < c for (_, b), (c, _) in pairwise(free))
    for start in range(first, first + span + 1):
        wanted = TimeRange(minute(start - before), minute(start + after))
        inside = any(a <= seconds(start) <= b for a, b in free)
        assert inside is timeline.is_free_during(wanted), start


@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 60))),
    st.integers(0, 59),
    st.integers(1, 999_999),
)
def test_seconds_round_taken_time_outwards_and_offered_time_inwards(
    pairs: list[tuple[int, int]], second: int, micro: int
) -> None:
    """A range with a fraction of a second never shrinks when taken, never grows when offered."""
    for start, length in pairs:
        ragged = TimeRange(
            minute(start) + timedelta(microseconds=micro),
            minute(start + length) + timedelta(seconds=second, microseconds=micro),
        )
        begins, ends = ragged.start.timestamp(), ragged.end.timestamp()
        taken_from, taken_until = outer_seconds(ragged)
        offered_from, offered_until = inner_seconds(ragged)
        assert taken_from <= begins < taken_from + 1 and taken_until - 1 < ends <= taken_until
        assert (
            offered_from - 1 < begins <= offered_from and offered_until <= ends < offered_until + 1
        )


@given(ranges, st.integers(0, 320), st.integers(1, 90))
def test_containing_finds_the_range_holding_a_visit(
    working: list[TimeRange], start: int, length: int
) -> None:
    wanted = TimeRange(minute(start), minute(start + length))
    merged = normalise(working)
    found = containing(merged, wanted)
    wanted_minutes = set(range(start, start + length))
    if found is None:
        assert not any(wanted_minutes <= minutes_of([r]) for r in merged)
    else:
        assert found.contains(wanted)


def test_a_range_cannot_end_before_it_starts() -> None:
    try:
        TimeRange(minute(10), minute(5))
    except ValueError as error:
        assert "before it starts" in str(error)
    else:
        raise AssertionError("expected ValueError")
