"""An availability answer as the API sends it: each slot written as JSON text once, when the
answer is worked out, so a remembered answer's response is a slice of text joined.

A month of "anyone" is thousands of slots; validating each against the schema, or formatting
each one's local times afresh, would cost more than finding them."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse

from fascia.practices.models import Practice
from fascia.scheduling.availability import UtcOffsets
from fascia.scheduling.remembered import Answer
from fascia.scheduling.timeranges import Seconds


class LocalTimeText:
    """Moments in seconds as ISO-8601 text on the practice's wall clock, as `isoformat` writes
    them (for example `2026-12-07T09:00:00-05:00`). The slots of a month share a few hundred
    starts and ends, on a few dozen days, at a few dozen times of day: each day, time of day
    and offset is written once and each moment joined from them (`isoformat` takes about as
    long as finding a slot)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.offsets = UtcOffsets(zone)
        self._written: dict[Seconds, str] = {}
        self._days: dict[int, str] = {}
        self._clock: dict[Seconds, str] = {}
        self._zones: dict[Seconds, str] = {}

    def __call__(self, at: Seconds) -> str:
        text = self._written.get(at)
        if text is None:
            offset = self.offsets(at)
            day, into_day = divmod(at + offset, UtcOffsets.DAY)
            text = self._written[at] = (
                (self._days.get(day) or self._day(day))
                + (self._clock.get(into_day) or self._time_of_day(into_day))
                + (self._zones.get(offset) or self._offset(offset))
            )
        return text

    def _day(self, day: int) -> str:
        text = self._days[day] = f"{date.fromordinal(EPOCH_ORDINAL + day).isoformat()}T"
        return text

    def _time_of_day(self, into_day: Seconds) -> str:
        hours, rest = divmod(into_day, 3600)
        text = self._clock[into_day] = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        return text

    def _offset(self, offset: Seconds) -> str:
        hours, rest = divmod(abs(offset), 3600)
        seconds = f":{rest % 60:02d}" if rest % 60 else ""
        text = f"{'-' if offset < 0 else '+'}{hours:02d}:{rest // 60:02d}{seconds}"
        self._zones[offset] = text
        return text


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class PreparedAvailability:
    """An availability question checked and answered for whole days: remembered under the
    schedule stamps it depends on (`scheduling/remembered.py`); the booking window is applied
    to it on every request."""

    practice: Practice  # its booking-window settings as they were; a change re-stamps it
    starts: tuple[float, ...]  # each slot's start as a timestamp, in order
    slots_json: tuple[str, ...]  # each slot as it appears in the response body
    home_visit: dict[str, Any] | None
    valid_until: datetime | None
    # Bodies already written, by the span of slots they hold (the window moves slowly).
    bodies: dict[tuple[int, int], bytes] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(
        cls, practice: Practice, answer: Answer, home_visit: dict[str, Any] | None = None
    ) -> PreparedAvailability:
        """The answer with each slot written as `AvailabilityOut` gives it, in one pass: the
        slots are in start order, so each start's text is shared by the slots after it."""
        local_time = LocalTimeText(practice.zone)
        written = []
        last_start = last_end = -1
        head = ""
        tails: dict[tuple[int, int], str] = {}  # a few therapists at a few locations
        for start, end, therapist_id, location_id, _room in answer.slots:
            if start != last_start or end != last_end:
                last_start, last_end = start, end
                head = f'{{"start":"{local_time(start)}","end":"{local_time(end)}","therapist":'
            tail = tails.get((therapist_id, location_id))
            if tail is None:
                tail = f'{therapist_id},"location":{location_id}}}'
                tails[therapist_id, location_id] = tail
            written.append(head + tail)
        return cls(practice, answer.starts, tuple(written), home_visit, answer.valid_until)

    def response(self, earliest: datetime, latest: datetime) -> HttpResponse:
        """The `AvailabilityOut` body for slots starting inside [earliest, latest]."""
        span = (
            bisect_left(self.starts, earliest.timestamp()),
            bisect_right(self.starts, latest.timestamp()),
        )
        body = self.bodies.get(span)
        if body is None:
            slots = ",".join(self.slots_json[span[0] : span[1]])
            home = json.dumps(self.home_visit, separators=(",", ":"))
            body = f'{{"slots":[{slots}],"home_visit":{home}}}'.encode()
            if len(self.bodies) >= 8:
                self.bodies.clear()
            self.bodies[span] = body
        return HttpResponse(body, content_type="application/json")
