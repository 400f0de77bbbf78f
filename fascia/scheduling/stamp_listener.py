"""Each server process told when schedule stamps change (PostgreSQL), so a repeat question
needs no database at all.

A remembered availability answer is found under a digest of the schedule stamps it depends on
(`remembered.stamps_digest`), which costs one query. On PostgreSQL that query is a round trip to
another process, and it alone holds an answer to about the throughput of a trivial database
request. So every write of stamps also sends `NOTIFY fascia_stamps` in the writer's transaction
— PostgreSQL delivers it when, and only if, the transaction commits — naming the practice and
the stamps replaced (`<practice id> <unit>@<day> ...`; the practice id alone when there are too
many to name). Each server process keeps one listening connection in a thread of its own.
While it listens, the process keeps the digests it has read; a notification forgets those of
the practice's digests that read one of the named stamps (`scope.reads(unit, day)`; all of them
for a bare practice id), so a booking with one therapist leaves the next question about another
therapist, or other days, still answered without a query.

What this costs in freshness: between another process's commit and this process receiving the
notification (well under a millisecond on one machine; as long as the network on several) a
question may still be answered as before the commit — the same as if it had been asked that
moment earlier. Booking never trusts that answer: `book_appointment` takes its locks and checks
the slot again. A change made by this process is forgotten at its own commit.

It fails safe: digests are kept only while the connection is listening, and only when read
outside a transaction (inside one they may be that transaction's own, uncommitted stamps). A
digest read is kept only if no notification for its practice (and no reconnection) arrived while
it was being read, so one that was already out of date when it came back is never kept. A
notification that cannot be read forgets everything. When the connection drops, everything kept
is forgotten and every question asks the database until listening again. Turned on by
`FASCIA_STAMP_LISTENER` (on in production); SQLite has no notifications, and there the digest
query is a read of a local file.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction

CHANNEL = "fascia_stamps"
RECONNECT_SECONDS = 2.0
POLL_SECONDS = 1.0  # how soon the thread notices it should stop
DIGESTS_PER_PRACTICE = 1024
# A notification's payload must stay under PostgreSQL's 8,000 bytes; a change stamping more
# than this many (a bulk update) names only the practice.
NAMED_STAMPS = 100

logger = logging.getLogger(__name__)

StampName = tuple[str, date]  # a stamp's unit and day, e.g. ("therapist:4", 2027-01-05)


class Scope(Protocol):
    """What a kept digest was read for (hashable, frozen): `remembered.Scope` or the practice
    stamp alone."""

    def reads(self, unit: str, day: date) -> bool:
        """Whether the digest counts the stamp of `unit` on `day`."""
        ...


def announcement(practice_id: int, stamps: Sequence[StampName] | None) -> str:
    """The payload telling other processes these stamps of the practice were replaced (None:
    any of them)."""
    if stamps is None:
        return str(practice_id)
    return " ".join([str(practice_id), *(f"{unit}@{day.isoformat()}" for unit, day in stamps)])


def heard(payload: str) -> tuple[int, list[StampName] | None]:
    """The practice and the stamps named in an announcement (None: every stamp of the
    practice). ValueError if it cannot be read."""
    practice, *named = payload.split(" ")
    stamps = []
    for name in named:
        unit, _, day = name.rpartition("@")
        if not unit:
            raise ValueError(f"A stamp announcement names no stamp in {name!r}")
        stamps.append((unit, date.fromisoformat(day)))
    return int(practice), stamps or None


class StampListener:
    """The digests this process may use without asking the database, and the thread that
    forgets them when another process's commit changes stamps."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._digests: dict[int, dict[Scope, str]] = {}
        self._generations: dict[int, int] = {}
        self._epoch = 0  # every (re)connection and every drop
        self._listening = False
        self._pid: int | None = None  # the process the thread was started in
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # Reading -----------------------------------------------------------------------------

    def digest(self, practice_id: int, scope: Scope, read: Callable[[], str]) -> str:
        """The digest for `scope`: kept if this process is listening and has read it since the
        last change, otherwise `read()` from the database (and kept if nothing changed while
        it was read)."""
        if not self._started() or connection.in_atomic_block:
            # Inside a transaction the stamps read may be its own, not yet committed (or about
            # to be rolled back): read them, keep nothing.
            return read()
        with self._lock:
            kept = self._digests.get(practice_id, {}).get(scope) if self._listening else None
            seen = (self._epoch, self._generations.get(practice_id, 0), self._listening)
        if kept is not None:
            return kept
        found = read()
        with self._lock:
            unchanged = seen == (
                self._epoch,
                self._generations.get(practice_id, 0),
                self._listening,
            )
            if unchanged and self._listening:
                kept_for_practice = self._digests.setdefault(practice_id, {})
                if len(kept_for_practice) >= DIGESTS_PER_PRACTICE:
                    kept_for_practice.clear()  # bounded: a quiet practice asked many questions
                kept_for_practice[scope] = found
        return found

    def forget(self, practice_ids: Iterable[int]) -> None:
        """Forget every digest kept for these practices."""
        with self._lock:
            for practice_id in practice_ids:
                self._digests.pop(practice_id, None)
                self._generations[practice_id] = self._generations.get(practice_id, 0) + 1

    def forget_stamps(self, practice_id: int, stamps: Sequence[StampName] | None) -> None:
        """Forget the practice's digests that read one of these stamps (None: all of them).
        A read under way for the practice is not kept either way."""
        if stamps is None:
            self.forget([practice_id])
            return
        with self._lock:
            self._generations[practice_id] = self._generations.get(practice_id, 0) + 1
            kept = self._digests.get(practice_id)
            if not kept:
                return
            for scope in [s for s in kept if any(s.reads(unit, day) for unit, day in stamps)]:
                del kept[scope]

    def forget_all(self) -> None:
        with self._lock:
            self._digests.clear()
            self._epoch += 1

    @property
    def listening(self) -> bool:
        return self._listening

    # Writing -----------------------------------------------------------------------------

    def announce(self, stamps: Iterable[tuple[int, str, date]]) -> None:
        """Called where stamps (practice, unit, day) are written, in the writer's transaction:
        tell every other process at commit (PostgreSQL), and forget in this one then."""
        by_practice: dict[int, list[StampName]] = {}
        for practice_id, unit, day in stamps:
            by_practice.setdefault(practice_id, []).append((unit, day))
        if not by_practice:
            return
        changed = [
            (practice_id, named if len(named) <= NAMED_STAMPS else None)
            for practice_id, named in sorted(by_practice.items())
        ]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for practice_id, named in changed:
                    payload = announcement(practice_id, named)
                    cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])

        # Forgotten now and again at commit: a read in between (this process, the old stamps)
        # is not kept past the commit.
        def forget() -> None:
            for practice_id, named in changed:
                self.forget_stamps(practice_id, named)

        forget()
        transaction.on_commit(forget)

    # The listening thread --------------------------------------------------------------------

    def _started(self) -> bool:
        if not getattr(settings, "FASCIA_STAMP_LISTENER", False):
            return False
        if connection.vendor != "postgresql":
            return False
        pid = os.getpid()
        if self._pid != pid:  # first use in this process (or a forked worker)
            with self._lock:
                if self._pid != pid:
                    self._pid = pid
                    self._listening = False
                    self._digests.clear()
                    self._epoch += 1
                    self._stopping = threading.Event()
                    self._thread = threading.Thread(
                        target=self._listen,
                        args=(connection.get_connection_params(), self._stopping),
                        name="fascia-stamps",
                        daemon=True,
                    )
                    self._thread.start()
        return True

    def stop(self) -> None:
        """Stop listening and forget everything (tests; a process's end needs nothing)."""
        if self._thread is not None:
            self._stopping.set()
            self._thread.join(timeout=10)
            self._thread = None
        self._pid = None
        self.forget_all()

    def _listen(self, params: dict[str, Any], stopping: threading.Event) -> None:
        import psycopg

        params = {**params, "autocommit": True}
        params.pop("cursor_factory", None)
        while not stopping.is_set():
            try:
                with psycopg.connect(**params) as listening:
                    listening.execute(f"LISTEN {CHANNEL}")
                    with self._lock:
                        self._epoch += 1
                        self._listening = True
                    while not stopping.is_set():
                        for note in listening.notifies(timeout=POLL_SECONDS):
                            try:
                                self.forget_stamps(*heard(note.payload))
                            except ValueError:
                                self.forget_all()
            except Exception:
                logger.warning("Schedule stamps: not listening; reconnecting", exc_info=True)
            finally:
                with self._lock:
                    self._listening = False
                    self._digests.clear()
                    self._epoch += 1
            stopping.wait(RECONNECT_SECONDS)


listener = StampListener()
