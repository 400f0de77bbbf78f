"""Half-open time ranges [start, end) and the arithmetic availability is built from.

Every function takes and returns lists sorted by start. Times are timezone-aware and, inside the
engine, in UTC: Python compares two datetimes that share a tzinfo by wall-clock time, which is
wrong across a daylight-saving change, so local time is used only to lay out days and grids.

Where the engine steps through a month of starts (`OccupiedTimeline`, `availability.find_slots`)
it counts in whole seconds since the epoch instead: comparing and adding integers is several
times cheaper than aware datetimes, and a month of a busy practice is thousands of them.
`outer_seconds` and `inner_seconds` turn a range into seconds, rounding outwards (what is taken
never shrinks) or inwards (working time never grows).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from math import ceil, floor
from typing import TypeVar

Seconds = int  # whole seconds since the epoch (UTC)
Moment = TypeVar("Moment", datetime, int)


@dataclass(frozen=True, order=True, slots=True)
class TimeRange:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A time range cannot end ({self.end}) before it starts.")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: TimeRange) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: TimeRange) -> bool:
        return self.start <= other.start and other.end <= self.end

    def widened(self, before: timedelta, after: timedelta) -> TimeRange:
        return TimeRange(self.start - before, self.end + after)


def outer_seconds(moments: TimeRange) -> tuple[Seconds, Seconds]:
    """The range in whole seconds, rounded outwards (for time that is taken)."""
    return floor(moments.start.timestamp()), ceil(moments.end.timestamp())


def inner_seconds(moments: TimeRange) -> tuple[Seconds, Seconds]:
    """The range in whole seconds, rounded inwards (for time that is offered)."""
    return ceil(moments.start.timestamp()), floor(moments.end.timestamp())


def moment(seconds: float) -> datetime:
    """Seconds since the epoch as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)


def merged(pairs: Iterable[tuple[Moment, Moment]]) -> tuple[list[Moment], list[Moment]]:
    """(start, end) pairs sorted, with overlapping or touching ones merged and empty ones
    dropped, as the starts and the ends."""
    starts: list[Moment] = []
    ends: list[Moment] = []
    for start, end in sorted(pairs):
        if end <= start:
            continue
        if ends and start <= ends[-1]:
            if end > ends[-1]:
                ends[-1] = end
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def normalise(ranges: Iterable[TimeRange]) -> list[TimeRange]:
    """Sorted, with overlapping or touching ranges merged and empty ones dropped."""
    ranges = list(ranges)
    # Most lists already are (a therapist's days, in order): checking is cheaper than merging.
    if all(r.start < r.end for r in ranges) and all(a.end < b.start for a, b in pairwise(ranges)):
        return ranges
    starts, ends = merged((r.start, r.end) for r in ranges)
    return [TimeRange(start, end) for start, end in zip(starts, ends, strict=True)]


def union(*range_lists: Iterable[TimeRange]) -> list[TimeRange]:
    return normalise(r for ranges in range_lists for r in ranges)


def subtract(ranges: Sequence[TimeRange], removals: Sequence[TimeRange]) -> list[TimeRange]:
    """The parts of `ranges` not covered by `removals` (both normalised)."""
    result: list[TimeRange] = []
    removals = normalise(removals)
    index = 0
    for kept in normalise(ranges):
        start = kept.start
        while index < len(removals) and removals[index].end <= start:
            index += 1
        scan = index
        while scan < len(removals) and removals[scan].start < kept.end:
            cut = removals[scan]
            if cut.start > start:
                result.append(TimeRange(start, cut.start))
            start = max(start, cut.end)
            scan += 1
        if start < kept.end:
            result.append(TimeRange(start, kept.end))
    return result


def intersect(first: Sequence[TimeRange], second: Sequence[TimeRange]) -> list[TimeRange]:
    a, b = normalise(first), normalise(second)
    result: list[TimeRange] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        if start < end:
            result.append(TimeRange(start, end))
        if a[i].end < b[j].end:
            i += 1
        else:
            j += 1
    return result


class OccupiedTimeline:
    """Busy time in whole seconds (`(start, end)` pairs, merged) answering "is this range
    free?" in O(log n)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, busy: Iterable[tuple[Seconds, Seconds]]) -> None:
        self._starts, self._ends = merged(busy)

    @classmethod
    def of(cls, busy: Iterable[TimeRange]) -> OccupiedTimeline:
        return cls(outer_seconds(r) for r in busy)

    def is_free(self, start: Seconds, end: Seconds) -> bool:
        """Whether [start, end) clashes with nothing."""
        # The only busy range that can overlap is the last one starting before `end`.
        index = bisect_left(self._starts, end) - 1
        return index < 0 or self._ends[index] <= start

    def is_free_during(self, wanted: TimeRange) -> bool:
        return self.is_free(*outer_seconds(wanted))

    def free_starts(
        self, first: Seconds, last: Seconds, before: Seconds, after: Seconds
    ) -> list[tuple[Seconds, Seconds]]:
        """The starts `s` from `first` to `last` (both included) at which [s - before,
        s + after) is free, as closed intervals: one pass over the busy ranges near them."""
        free: list[tuple[Seconds, Seconds]] = []
        cursor = first
        # Busy ranges ending by `first - before` cannot touch any wanted range.
        index = bisect_right(self._ends, first - before)
        while index < len(self._starts) and cursor <= last:
            latest_before = self._starts[index] - after  # a visit may end as this one starts
            if latest_before > last:
                break
            if latest_before >= cursor:
                free.append((cursor, latest_before))
            cursor = max(cursor, self._ends[index] + before)
            index += 1
        if cursor <= last:
            free.append((cursor, last))
        return free

    def __len__(self) -> int:
        return len(self._starts)


def containing(ranges: Sequence[TimeRange], wanted: TimeRange) -> TimeRange | None:
    """The range of normalised `ranges` that wholly contains `wanted`, if any."""
    starts = [r.start for r in ranges]
    index = bisect_left(starts, wanted.start + timedelta(microseconds=1)) - 1
    if index >= 0 and ranges[index].contains(wanted):
        return ranges[index]
    return None
