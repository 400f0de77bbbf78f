"""Availability answers, remembered until the part of the schedule they read changes.

Most availability requests repeat — everyone opening the booking page asks about the same
weeks — and an answer changes only when something on the schedule does. So the database keeps
*schedule stamps*: a random token per practice, therapist-day and room-day
(`ScheduleStamp`), replaced whenever something there changes. An answer is stored under a
digest of the stamps it depends on, read in one indexed query before the answer is worked
out; when any of them changes, the digest does, and the older answer is out of reach without
anything having to find and delete it.

- A booking, a move, a cancellation or a slot hold stamps the therapist's days it touches (and
  the room's, when it takes one): the next question about another therapist, or about other
  days, is still answered from memory.
- Anything else availability reads — a shift, a break, a one-off change, time off, a service
  or its lengths, a therapist, a location, a room, a service area, a traffic window, the
  practice's settings — stamps the whole practice.

Stamps are written by model signals (and `ScheduleQuerySet.update` for bulk updates) inside
the writer's own transaction, so they commit or roll back with the change: an answer worked
out from the schedule as it was before a commit carries the stamps as they were, and is never
read after it. The clock is applied on every read: an answer is computed for whole days,
without the minimum notice or the booking window, and one that counted a slot hold lives only
until that hold expires.

Answers are kept in each server process (no copying) and in the shared cache (so another
worker need not work them out again). On PostgreSQL each process is also told when stamps
change (`stamp_listener`), so it keeps the digests it has read and a repeat question asks the
database nothing; with more than one machine, point `CACHE_URL` at a
shared cache (Redis or memcached). Writes from outside Django (a manual SQL fix) are not seen;
answers expire after `ANSWER_SECONDS` whatever happens.
"""

from __future__ import annotations

import hashlib
import secrets
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import Any, Protocol, TypeVar, cast

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save

from fascia.practices.tenancy import PracticeOwnedQuerySet, practices_written
from fascia.scheduling.availability import Slot, SlotSeconds
from fascia.scheduling.stamp_listener import listener

ANSWER_SECONDS = 300
# Bumped when the engine's answers change meaning, so a deploy never reads an older release's.
ANSWER_FORMAT = 4
PRACTICE_UNIT = "practice"
ROOMS_PREFIX = "rooms:"  # a location's rooms' stamps: rooms:<location id>
PRACTICE_DAY = date(2000, 1, 1)  # the practice-wide stamp's (unused) day
# Stamps are kept by UTC day; an answer for some local days reads this far around them
# (the loader's one-day edge, and any zone's offset from UTC).
DAYS_BEFORE = timedelta(days=2)
DAYS_AFTER = timedelta(days=3)


@dataclass(frozen=True)
class Answer:
    """Slots in start order, cheap to store and to read back, and how long they hold:
    `starts` (seconds, to find the booking window by bisection) and `slots` (as `find_slots`
    gives them)."""

    starts: tuple[float, ...]
    slots: tuple[SlotSeconds, ...]
    valid_until: datetime | None = None

    @classmethod
    def of(cls, slots: Sequence[SlotSeconds], valid_until: datetime | None) -> Answer:
        """`slots` in the order `find_slots` gives them (by start, therapist, location)."""
        return cls(tuple([slot[0] for slot in slots]), tuple(slots), valid_until)

    @classmethod
    def merged(cls, answers: Iterable[Answer]) -> Answer:
        """Several answers as one (e.g. each mobile service's), in start order; it holds as
        long as all of them do."""
        answers = list(answers)
        slots = sorted(
            (slot for answer in answers for slot in answer.slots), key=itemgetter(0, 2, 3)
        )
        until = [a.valid_until for a in answers if a.valid_until is not None]
        return cls.of(slots, min(until) if until else None)

    def span(self, earliest: datetime, latest: datetime) -> range:
        """Positions of the slots starting inside [earliest, latest]."""
        return range(
            bisect_left(self.starts, earliest.timestamp()),
            bisect_right(self.starts, latest.timestamp()),
        )

    def slots_between(self, earliest: datetime, latest: datetime) -> list[Slot]:
        return [Slot.of(self.slots[index]) for index in self.span(earliest, latest)]


class Remembered(Protocol):
    @property
    def valid_until(self) -> datetime | None: ...


RememberedT = TypeVar("RememberedT", bound=Remembered)


@dataclass(frozen=True)
class Scope:
    """What part of the schedule an answer reads: local days, and one therapist or anyone."""

    first_day: date
    last_day: date
    therapist_id: int | None = None

    def reads(self, unit: str, day: date) -> bool:
        """Whether an answer in this scope depends on the stamp of `unit` on `day`: the
        practice's, and the therapist-days (this therapist's, or everyone's) and room-days
        around the asked days, as `_read_digest` reads them."""
        if unit == PRACTICE_UNIT:
            return True
        if not self.first_day - DAYS_BEFORE <= day <= self.last_day + DAYS_AFTER:
            return False
        return (
            self.therapist_id is None
            or unit == _therapist_unit(self.therapist_id)
            or unit.startswith(ROOMS_PREFIX)
        )


@dataclass(frozen=True)
class PracticeStampOnly:
    """The scope of the practice-wide stamp alone (the practice's set-up)."""

    def reads(self, unit: str, day: date) -> bool:
        return unit == PRACTICE_UNIT


PRACTICE_STAMP_ONLY = PracticeStampOnly()


# Answers this process has read or worked out, by their full key (a key's answer never changes:
# a change to the schedule changes the key). Bounded; emptied when full.
_in_process: dict[str, Any] = {}
IN_PROCESS_ANSWERS = 512


def forget_remembered() -> None:
    """Forget this process's remembered answers (tests: the database is rolled back)."""
    _in_process.clear()
    _practice_of_service.clear()


def remember(question: Question, now: datetime, compute: Callable[[], RememberedT]) -> RememberedT:
    """The remembered answer to `question` under the schedule stamps of its scope if it still
    holds at `now`, or a fresh one (stored until it expires). The stamps are read before the
    answer is worked out, so a change committed meanwhile is never hidden. With remembering
    turned off (a dummy cache) the answer is simply worked out: no stamps are read."""
    if not _keeps_answers():
        return compute()
    key = question.key()
    found = _recall(key, now)
    if found is not None:
        return cast(RememberedT, found)
    answer = compute()
    timeout = ANSWER_SECONDS
    if answer.valid_until is not None:
        timeout = min(timeout, int((answer.valid_until - now).total_seconds()))
    if timeout > 0:
        cache.set(key, answer, timeout=timeout)
        _keep_in_process(key, answer)
    return answer


@dataclass(frozen=True)
class Question:
    """A question whose answer may be remembered: its kind, a digest of what was asked, and
    the part of the schedule (`scope`) whose stamps the answer depends on."""

    kind: str
    asked: str
    practice_id: int
    scope: Scope

    @classmethod
    def of(cls, kind: str, key_parts: tuple[Any, ...], practice_id: int, scope: Scope) -> Question:
        asked = "|".join(str(part) for part in key_parts)
        digest = hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()  # memcached-safe
        return cls(kind, digest, practice_id, scope)

    def key(self) -> str:
        """The cache key under the stamps as they are now (one indexed query)."""
        stamps = stamps_digest(self.practice_id, self.scope)
        return f"fascia:{self.kind}:{ANSWER_FORMAT}:{self.practice_id}:{stamps}:{self.asked}"

    def recall(self, now: datetime) -> Any | None:
        """The remembered answer if there is one that still holds at `now`; None otherwise
        (nothing is worked out)."""
        return _recall(self.key(), now) if _keeps_answers() else None


def _recall(key: str, now: datetime) -> Any | None:
    found = _in_process.get(key)
    if found is None:
        found = cache.get(key)
    if found is not None and (found.valid_until is None or found.valid_until > now):
        _keep_in_process(key, found)
        return found
    return None


def _keeps_answers() -> bool:
    """A dummy cache (`CACHE_URL=dummycache://`) turns remembering off, in-process too."""
    return not isinstance(caches["default"], DummyCache)


def _keep_in_process(key: str, answer: Any) -> None:
    if len(_in_process) >= IN_PROCESS_ANSWERS:
        _in_process.clear()
    _in_process[key] = answer


def stamps_digest(practice_id: int, scope: Scope) -> str:
    """A digest of the stamps an answer in `scope` depends on: the practice's, and the
    therapist-days (that therapist's, or everyone's) and room-days around the asked days. Any
    stamp replaced or added changes it (a count and a sum of random tokens)."""
    return listener.digest(practice_id, scope, lambda: _read_digest(practice_id, scope))


def _read_digest(practice_id: int, scope: Scope) -> str:
    from fascia.scheduling.models import ScheduleStamp

    table = connection.ops.quote_name(ScheduleStamp._meta.db_table)
    params: list[Any] = [
        practice_id,
        PRACTICE_UNIT,
        practice_id,
        scope.first_day - DAYS_BEFORE,
        scope.last_day + DAYS_AFTER,
    ]
    units = ""
    if scope.therapist_id is not None:
        units = " AND (unit = %s OR unit LIKE %s)"
        params += [_therapist_unit(scope.therapist_id), f"{ROOMS_PREFIX}%"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), SUM(token) FROM ("  # noqa: S608 - our table name, values bound
            f"SELECT token FROM {table} WHERE practice_id = %s AND unit = %s UNION ALL "
            f"SELECT token FROM {table} WHERE practice_id = %s AND day BETWEEN %s AND %s{units}"
            ") AS stamps",
            params,
        )
        count, total = cursor.fetchone()
    return f"{count}.{total or 0}"


def practice_stamp(practice_id: int) -> int | None:
    """The practice-wide stamp alone (None before anything stamped it): on PostgreSQL, while
    this process hears of stamp changes, without asking the database until it changes."""
    found = listener.digest(
        practice_id, PRACTICE_STAMP_ONLY, lambda: _read_practice_stamp(practice_id)
    )
    return int(found) if found else None


def _read_practice_stamp(practice_id: int) -> str:
    from fascia.scheduling.models import ScheduleStamp

    table = connection.ops.quote_name(ScheduleStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT token FROM {table} WHERE practice_id = %s AND unit = %s AND day = %s",  # noqa: S608
            [practice_id, PRACTICE_UNIT, PRACTICE_DAY],
        )
        row = cursor.fetchone()
    return str(row[0]) if row else ""


_practice_of_service: dict[int, int] = {}


def practice_of_service(service_id: int) -> int | None:
    """Which practice a service belongs to (remembered: a service never changes practice)."""
    from fascia.practices.models import Service

    found = _practice_of_service.get(service_id)
    if found is not None:
        return found
    key = f"fascia:service-practice:{service_id}"
    found = cache.get(key)
    if found is None:
        found = Service.objects.filter(pk=service_id).values_list("practice_id", flat=True).first()
        if found is None:
            return None
        cache.set(key, found, timeout=None)
    if len(_practice_of_service) >= IN_PROCESS_ANSWERS:
        _practice_of_service.clear()
    _practice_of_service[service_id] = found
    return found


def _therapist_unit(therapist_id: int | str) -> str:
    return f"therapist:{therapist_id}"


def _rooms_unit(location_id: int) -> str:
    return f"{ROOMS_PREFIX}{location_id}"


StampRow = tuple[int, str, date]  # practice, unit, day


def stamp(rows: Iterable[StampRow]) -> None:
    """Replace the tokens of these stamps (creating them as needed), in the caller's
    transaction. Rows are written in one order, so concurrent writers never deadlock on them."""
    from fascia.scheduling.models import ScheduleStamp

    unique = sorted(set(rows))
    if not unique:
        return
    ScheduleStamp.objects.bulk_create(
        [
            ScheduleStamp(practice_id=practice, unit=unit, day=day, token=secrets.randbits(40) + 1)
            for practice, unit, day in unique
        ],
        update_conflicts=True,
        unique_fields=["practice_id", "unit", "day"],
        update_fields=["token"],
    )
    listener.announce(unique)


def schedule_changed(practice_ids: Iterable[int | None]) -> None:
    """Stamp these practices as a whole: every remembered answer of theirs is out of reach."""
    stamp((pk, PRACTICE_UNIT, PRACTICE_DAY) for pk in practice_ids if pk is not None)


# What an appointment or a hold occupies, as far as stamps go.
BUSY_FIELDS = ("practice_id", "therapist_id", "location_id", "room_id", "busy_from", "busy_until")
Busy = tuple[int, int, int, int | None, datetime, datetime]


def busy_stamps(busy: Busy) -> Iterator[StampRow]:
    """The therapist-days (and room-days) an appointment or hold occupies."""
    practice_id, therapist_id, location_id, room_id, busy_from, busy_until = busy
    day = busy_from.astimezone(UTC).date()
    last = busy_until.astimezone(UTC).date()
    while day <= last:
        yield practice_id, _therapist_unit(therapist_id), day
        if room_id is not None:
            yield practice_id, _rooms_unit(location_id), day
        day += timedelta(days=1)


class StampsBusyDays(models.Model):
    """Appointments and holds: a change stamps only the days they occupied and occupy."""

    _busy_as_loaded: Busy | None = None

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        if _BUSY_SET.issubset(field_names):
            instance._busy_as_loaded = instance.busy()
        return instance

    def busy(self) -> Busy:
        return cast(Busy, tuple(getattr(self, name) for name in BUSY_FIELDS))


_BUSY_SET = frozenset(BUSY_FIELDS)


class ScheduleQuerySet(PracticeOwnedQuerySet):
    """For appointments and holds: a bulk `update()` stamps the days the rows occupied and
    occupy (saves and deletes send signals; `update()` does not)."""

    def update(self, **kwargs: Any) -> int:
        before = {row[-1]: row[:-1] for row in self.values_list(*BUSY_FIELDS, "pk")}
        updated = super().update(**kwargs)
        if updated:
            after = self.model._base_manager.filter(pk__in=before).values_list(*BUSY_FIELDS)
            stamp(
                row for busy in [*before.values(), *after] for row in busy_stamps(cast(Busy, busy))
            )
        return updated


def _practice_of(instance: models.Model) -> int | None:
    from fascia.practices.models import Practice

    if isinstance(instance, Practice):
        return instance.pk
    return getattr(instance, "practice_id", None)


def _on_change(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    if not isinstance(instance, StampsBusyDays):
        schedule_changed([_practice_of(instance)])
        return
    loaded = instance._busy_as_loaded
    now_busy = instance.busy()
    if kwargs.get("raw") or (loaded is None and not kwargs.get("created", False)):
        # Loaded without its times (or from a fixture): what it occupied before is unknown.
        schedule_changed([now_busy[0]])
    stamp([*busy_stamps(now_busy), *(busy_stamps(loaded) if loaded else ())])
    instance._busy_as_loaded = now_busy


def _on_bulk_change(sender: Any, practice_ids: Iterable[int], **kwargs: Any) -> None:
    schedule_changed(practice_ids)


def _on_practice_deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    from fascia.scheduling.models import ScheduleStamp

    ScheduleStamp.objects.filter(practice_id=instance.pk).delete()


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
    from fascia.professional.models import LiabilityInsurance
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
        LiabilityInsurance,
    ]


def connect_signals() -> None:
    from fascia.practices.models import Location, Practice

    for model in schedule_models():
        post_save.connect(_on_change, sender=model, dispatch_uid=f"schedule:{model.__name__}")
        if model is not Practice:
            post_delete.connect(
                _on_change, sender=model, dispatch_uid=f"schedule-del:{model.__name__}"
            )
        if not issubclass(model, StampsBusyDays):  # their own queryset stamps their days
            practices_written.connect(
                _on_bulk_change, sender=model, dispatch_uid=f"schedule-bulk:{model.__name__}"
            )
    post_delete.connect(_on_practice_deleted, sender=Practice, dispatch_uid="schedule-del:Practice")
    m2m_changed.connect(
        _on_m2m_change, sender=Location.service_areas.through, dispatch_uid="schedule:areas"
    )
