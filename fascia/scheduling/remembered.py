"""Availability answers, remembered until the schedule changes.

Most availability requests repeat — everyone opening the booking page asks about the same
weeks — and an answer changes only when something on the schedule does. So each practice has a
*schedule generation* in the cache, and an answer is stored under the generation it was
computed in. Anything that can change availability — an appointment, a hold, a shift, a break,
a one-off change, time off, a service or its lengths, a therapist, a location, a room, a service
area, a traffic window, the practice's settings — starts a new generation when it is saved or
deleted (model signals, and `ScheduleQuerySet.update` for bulk updates). Every older answer is
then out of reach at once; nothing has to find and delete it.

Two details keep remembered answers exactly as right as fresh ones:

- Time. An answer is computed for whole days, without the minimum notice or the booking window;
  those are applied to every answer as it is read, so it stays right as the clock moves. An
  answer that counted a slot hold lives only until that hold expires.
- Races. A write starts a new generation twice: at once (so the same transaction, and tests,
  see it) and again when its transaction commits (so an answer computed from the database as it
  was before the commit, but stored under the first new generation, is never read).

Writes from outside Django (a manual SQL fix) are not seen; answers expire after
`ANSWER_SECONDS` whatever happens. With more than one application server, point `CACHE_URL` at
a shared cache (Redis or memcached) so a change on one server is seen by all.
"""

from __future__ import annotations

import hashlib
import secrets
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, cast
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from fascia.practices.tenancy import PracticeOwnedQuerySet
from fascia.scheduling.availability import Slot

ANSWER_SECONDS = 300
# Bumped when the engine's answers change meaning, so a deploy never reads an older release's.
ANSWER_FORMAT = 1


def _generation_key(practice_id: int) -> str:
    return f"fascia:schedule-generation:{practice_id}"


def schedule_changed(practice_ids: Iterable[int | None]) -> None:
    """Start a new schedule generation for these practices, now and on commit."""
    ids = sorted({pk for pk in practice_ids if pk is not None})
    if not ids:
        return

    def bump() -> None:
        cache.set_many({_generation_key(pk): secrets.token_hex(8) for pk in ids}, timeout=None)

    bump()
    transaction.on_commit(bump)


def generation(practice_id: int) -> str:
    key = _generation_key(practice_id)
    found = cache.get(key)
    if found is None:  # never set, or evicted: a new generation is always safe
        found = secrets.token_hex(8)
        cache.add(key, found, timeout=None)
        found = cache.get(key, found)
    return str(found)


# (start, end as timestamps; therapist, location, room ids): plain tuples store and load fast.
SlotTuple = tuple[float, float, int, int, int | None]


@dataclass(frozen=True)
class Answer:
    """Slots in start order, cheap to store and to read back, and how long they hold:
    `starts` (timestamps, to find the booking window by bisection), `slots`, and `local_times`
    (each slot's start and end as ISO-8601 text in the practice's zone)."""

    starts: tuple[float, ...]
    slots: tuple[SlotTuple, ...]
    local_times: tuple[tuple[str, str], ...]
    valid_until: datetime | None = None

    @classmethod
    def of(cls, slots: list[Slot], zone: ZoneInfo, valid_until: datetime | None) -> Answer:
        text: dict[datetime, str] = {}

        def local(moment: datetime) -> str:
            found = text.get(moment)
            if found is None:
                found = text[moment] = moment.astimezone(zone).isoformat()
            return found

        ordered = sorted(slots, key=lambda s: (s.start, s.therapist_id, s.location_id))
        return cls(
            tuple(s.start.timestamp() for s in ordered),
            tuple(
                (s.start.timestamp(), s.end.timestamp(), s.therapist_id, s.location_id, s.room_id)
                for s in ordered
            ),
            tuple((local(s.start), local(s.end)) for s in ordered),
            valid_until,
        )

    @classmethod
    def merged(cls, answers: Iterable[Answer]) -> Answer:
        """Several answers as one (e.g. each mobile service's), in start order; it holds as
        long as all of them do."""
        answers = list(answers)
        rows = sorted(
            (
                (slot, times)
                for answer in answers
                for slot, times in zip(answer.slots, answer.local_times, strict=True)
            ),
            key=lambda row: (row[0][0], row[0][2], row[0][3]),
        )
        until = [a.valid_until for a in answers if a.valid_until is not None]
        return cls(
            tuple(slot[0] for slot, _ in rows),
            tuple(slot for slot, _ in rows),
            tuple(times for _, times in rows),
            min(until) if until else None,
        )

    def span(self, earliest: datetime, latest: datetime) -> range:
        """Positions of the slots starting inside [earliest, latest]."""
        return range(
            bisect_left(self.starts, earliest.timestamp()),
            bisect_right(self.starts, latest.timestamp()),
        )

    def slots_between(self, earliest: datetime, latest: datetime) -> list[Slot]:
        found = []
        for index in self.span(earliest, latest):
            start, end, therapist_id, location_id, room_id = self.slots[index]
            found.append(
                Slot(
                    datetime.fromtimestamp(start, UTC),
                    datetime.fromtimestamp(end, UTC),
                    therapist_id,
                    location_id,
                    room_id,
                )
            )
        return found


class Remembered(Protocol):
    @property
    def valid_until(self) -> datetime | None: ...


RememberedT = TypeVar("RememberedT", bound=Remembered)


def remember(
    kind: str,
    key_parts: tuple[Any, ...],
    practice_id: int,
    now: datetime,
    compute: Callable[[], RememberedT],
) -> RememberedT:
    """The remembered `kind` of answer for `key_parts` in the practice's current generation if
    it still holds at `now`, or a fresh one (stored until it expires)."""
    asked = "|".join(str(part) for part in key_parts)
    digest = hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()  # memcached-safe
    key = f"fascia:{kind}:{ANSWER_FORMAT}:{practice_id}:{generation(practice_id)}:{digest}"
    found = cache.get(key)
    if found is not None and (found.valid_until is None or found.valid_until > now):
        return cast(RememberedT, found)
    answer = compute()
    timeout = ANSWER_SECONDS
    if answer.valid_until is not None:
        timeout = min(timeout, int((answer.valid_until - now).total_seconds()))
    if timeout > 0:
        cache.set(key, answer, timeout=timeout)
    return answer


def practice_of_service(service_id: int) -> int | None:
    """Which practice a service belongs to (remembered: a service never changes practice)."""
    from fascia.practices.models import Service

    key = f"fascia:service-practice:{service_id}"
    found = cache.get(key)
    if found is None:
        found = Service.objects.filter(pk=service_id).values_list("practice_id", flat=True).first()
        if found is not None:
            cache.set(key, found, timeout=None)
    return found


class ScheduleQuerySet(PracticeOwnedQuerySet):
    """For records availability depends on: a bulk `update()` starts a new generation too
    (saves and deletes send signals; `update()` does not)."""

    def update(self, **kwargs: Any) -> int:
        practice_ids = set(self.values_list("practice_id", flat=True).distinct())
        updated = super().update(**kwargs)
        if updated:
            schedule_changed(practice_ids)
        return updated


def _practice_of(instance: models.Model) -> int | None:
    from fascia.practices.models import Practice

    if isinstance(instance, Practice):
        return instance.pk
    return getattr(instance, "practice_id", None)


def _on_change(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    schedule_changed([_practice_of(instance)])


def _on_m2m_change(sender: Any, instance: models.Model, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        schedule_changed([_practice_of(instance)])


def schedule_models() -> list[type[models.Model]]:
    """Every model the availability engine reads."""
    from fascia.practices.models import (
        Location,
        Practice,
        Room,
        Service,
        ServiceArea,
        ServiceAreaDay,
        ServiceDuration,
        Therapist,
    )
    from fascia.scheduling.models import (
        Appointment,
        ShiftChange,
        SlotHold,
        TimeOff,
        TrafficWindow,
        WeeklyBreak,
        WeeklyShift,
    )

    return [
        Practice,
        Location,
        Room,
        Service,
        ServiceDuration,
        ServiceArea,
        ServiceAreaDay,
        Therapist,
        Appointment,
        SlotHold,
        WeeklyShift,
        WeeklyBreak,
        ShiftChange,
        TimeOff,
        TrafficWindow,
    ]


def connect_signals() -> None:
    from fascia.practices.models import Location

    for model in schedule_models():
        post_save.connect(_on_change, sender=model, dispatch_uid=f"schedule:{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"schedule-del:{model.__name__}")
    m2m_changed.connect(
        _on_m2m_change, sender=Location.service_areas.through, dispatch_uid="schedule:areas"
    )
