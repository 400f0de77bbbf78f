"""On PostgreSQL each server process is told when schedule stamps change, so it keeps the
digests it has read (a repeat question asks the database nothing); a change committed by any
connection is seen, a rolled-back one is never announced, a change forgets only the digests
that read the stamps it replaced, and a dropped connection means asking the database again until
listening resumes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fascia.scheduling import remembered, stamp_listener
from fascia.scheduling.practice_setup import practice_setup
from fascia.scheduling.remembered import (
    PRACTICE_DAY,
    PRACTICE_STAMP_ONLY,
    PRACTICE_UNIT,
    Scope,
    practice_stamp,
    stamp,
    stamps_digest,
)
from fascia.scheduling.stamp_listener import (
    CHANNEL,
    NAMED_STAMPS,
    StampListener,
    announcement,
    heard,
)
from fascia.scheduling.tests.conftest import MONDAY, ClinicWeek

ON_POSTGRESQL = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
only_on_postgresql = pytest.mark.skipif(not ON_POSTGRESQL, reason="notifications are PostgreSQL's")


def wait_until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.02)


def other_connection() -> psycopg.Connection[Any]:
    """A connection of another process, as far as this one can tell."""
    params = {**connection.get_connection_params()}
    params.pop("cursor_factory", None)
    return psycopg.connect(**params)


@pytest.fixture
def listening(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[StampListener]:
    settings.FASCIA_STAMP_LISTENER = True
    monkeypatch.setattr(stamp_listener, "RECONNECT_SECONDS", 0.1)
    monkeypatch.setattr(stamp_listener, "POLL_SECONDS", 0.1)
    fresh = StampListener()
    monkeypatch.setattr(remembered, "listener", fresh)
    yield fresh
    fresh.stop()


def mondays_scope(week: ClinicWeek) -> Scope:
    return Scope(MONDAY, MONDAY, week.maya.pk)


def digest_once_listening(week: ClinicWeek, listening: StampListener) -> str:
    """Monday's digest for Maya, read once the process listens (the first read starts it)."""
    stamps_digest(week.practice.pk, mondays_scope(week))
    wait_until(lambda: listening.listening)
    return stamps_digest(week.practice.pk, mondays_scope(week))


def therapist_day(week: ClinicWeek) -> tuple[int, str, Any]:
    return (week.practice.pk, f"therapist:{week.maya.pk}", MONDAY)


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_kept_digest_is_forgotten_when_another_process_commits(
    week: ClinicWeek, listening: StampListener, django_assert_num_queries: Any
) -> None:
    scope = mondays_scope(week)
    before = digest_once_listening(week, listening)
    with django_assert_num_queries(0):
        assert stamps_digest(week.practice.pk, scope) == before

    with other_connection() as other:  # a booking in another process, by hand
        other.execute(
            "UPDATE scheduling_schedulestamp SET token = token + 1 WHERE practice_id = %s",
            [week.practice.pk],
        )
        other.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(week.practice.pk)])
        other.commit()

    def read_again() -> bool:
        return stamps_digest(week.practice.pk, scope) != before

    wait_until(read_again)
    after = stamps_digest(week.practice.pk, scope)
    with django_assert_num_queries(0):
        assert stamps_digest(week.practice.pk, scope) == after


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_stamps_are_announced_at_commit_and_never_for_a_rollback(week: ClinicWeek) -> None:
    with other_connection() as other:
        other.autocommit = True
        other.execute(f"LISTEN {CHANNEL}")
        with pytest.raises(RuntimeError), transaction.atomic():
            stamp([therapist_day(week)])
            raise RuntimeError("rolled back")
        assert [n.payload for n in other.notifies(timeout=0.3)] == []
        with transaction.atomic():
            stamp([therapist_day(week)])
            assert [n.payload for n in other.notifies(timeout=0.3)] == []  # not before commit
        assert [n.payload for n in other.notifies(timeout=2, stop_after=1)] == [
            f"{week.practice.pk} therapist:{week.maya.pk}@{MONDAY.isoformat()}"
        ]


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_change_in_this_process_is_seen_at_its_own_commit(
    week: ClinicWeek, listening: StampListener
) -> None:
    scope = mondays_scope(week)
    before = digest_once_listening(week, listening)
    with transaction.atomic():
        stamp([therapist_day(week)])
    assert stamps_digest(week.practice.pk, scope) != before  # no waiting for the thread


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_means_asking_the_database_until_listening_again(
    week: ClinicWeek, listening: StampListener, django_assert_num_queries: Any
) -> None:
    scope = mondays_scope(week)
    digest_once_listening(week, listening)
    with other_connection() as other:
        other.autocommit = True
        dropped = other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query = %s AND datname = current_database()",
            [f"LISTEN {CHANNEL}"],
        ).fetchall()
        assert dropped == [(True,)]
    wait_until(lambda: not listening.listening)
    with django_assert_num_queries(1):
        stamps_digest(week.practice.pk, scope)
    wait_until(lambda: listening.listening)
    stamps_digest(week.practice.pk, scope)
    with django_assert_num_queries(0):
        stamps_digest(week.practice.pk, scope)


@pytest.mark.django_db
def test_without_notifications_every_question_reads_the_stamps(
    week: ClinicWeek, settings: Any, django_assert_num_queries: Any
) -> None:
    """SQLite has no notifications, and the listener is off outside production: each question
    reads the stamps."""
    settings.FASCIA_STAMP_LISTENER = not ON_POSTGRESQL
    for _ in range(2):
        with django_assert_num_queries(1):
            stamps_digest(week.practice.pk, mondays_scope(week))


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_stamps_read_inside_a_rolled_back_transaction_are_never_kept(
    week: ClinicWeek, listening: StampListener
) -> None:
    scope = mondays_scope(week)
    before = digest_once_listening(week, listening)
    with pytest.raises(RuntimeError), transaction.atomic():
        stamp([therapist_day(week)])
        assert stamps_digest(week.practice.pk, scope) != before  # its own, uncommitted
        raise RuntimeError("rolled back")
    assert stamps_digest(week.practice.pk, scope) == before


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_practice_set_up_is_checked_without_a_query_until_another_process_changes_it(
    week: ClinicWeek, listening: StampListener, django_assert_num_queries: Any
) -> None:
    practice_setup(week.practice.pk)
    wait_until(lambda: listening.listening)
    kept = practice_setup(week.practice.pk)
    with django_assert_num_queries(0):
        assert practice_setup(week.practice.pk) is kept
    assert week.dan in kept.bookable

    with other_connection() as other:  # the owner takes Dan off, in another process
        other.execute(
            "UPDATE practices_therapist SET is_active = false WHERE id = %s", [week.dan.pk]
        )
        other.execute(
            "UPDATE scheduling_schedulestamp SET token = token + 1"
            " WHERE practice_id = %s AND unit = 'practice'",
            [week.practice.pk],
        )
        other.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(week.practice.pk)])
        other.commit()

    wait_until(lambda: week.dan not in practice_setup(week.practice.pk).bookable)


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_another_therapists_booking_leaves_this_therapists_digest_kept(
    week: ClinicWeek, listening: StampListener, django_assert_num_queries: Any
) -> None:
    mayas = digest_once_listening(week, listening)
    practices = practice_stamp(week.practice.pk)
    dans_scope = Scope(MONDAY, MONDAY, week.dan.pk)
    dans = stamps_digest(week.practice.pk, dans_scope)
    dans_unit = f"therapist:{week.dan.pk}"

    with other_connection() as other:  # a booking with Dan on Monday, in another process
        other.execute(
            "INSERT INTO scheduling_schedulestamp (practice_id, unit, day, token)"
            " VALUES (%s, %s, %s, 7) ON CONFLICT (practice_id, unit, day)"
            " DO UPDATE SET token = scheduling_schedulestamp.token + 1",
            [week.practice.pk, dans_unit, MONDAY],
        )
        payload = announcement(week.practice.pk, [(dans_unit, MONDAY)])
        other.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])
        other.commit()

    wait_until(lambda: stamps_digest(week.practice.pk, dans_scope) != dans)
    with django_assert_num_queries(0):  # Maya's Monday read nothing Dan's booking changed
        assert stamps_digest(week.practice.pk, mondays_scope(week)) == mayas
        assert practice_stamp(week.practice.pk) == practices


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_change_in_this_process_forgets_only_what_read_its_stamps(
    week: ClinicWeek, listening: StampListener, django_assert_num_queries: Any
) -> None:
    mayas = digest_once_listening(week, listening)
    next_week = Scope(MONDAY + timedelta(days=7), MONDAY + timedelta(days=7), week.maya.pk)
    stamps_digest(week.practice.pk, next_week)
    with transaction.atomic():
        stamp([(week.practice.pk, f"therapist:{week.maya.pk}", MONDAY + timedelta(days=7))])
    with django_assert_num_queries(0):
        assert stamps_digest(week.practice.pk, mondays_scope(week)) == mayas
    with django_assert_num_queries(1):
        stamps_digest(week.practice.pk, next_week)


def test_an_announcement_names_the_practice_and_its_stamps() -> None:
    named = [("therapist:4", date(2027, 1, 5)), ("rooms:2", date(2027, 1, 6))]
    assert heard(announcement(12, named)) == (12, named)
    assert heard(announcement(12, None)) == (12, None)
    assert heard("12") == (12, None)  # a bare id (by hand, or an older release): everything
    for unreadable in ("", "twelve", "12 therapist:4", "12 @2027-01-05", "12 rooms:2@soon"):
        with pytest.raises(ValueError):
            heard(unreadable)


@pytest.mark.django_db
def test_a_bulk_change_is_announced_as_the_whole_practice(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = StampListener()
    forgotten: list[Any] = []
    monkeypatch.setattr(fresh, "forget_stamps", lambda *change: forgotten.append(change))
    many = [(3, f"therapist:{n:06d}", date(2027, 1, 5)) for n in range(NAMED_STAMPS + 1)]
    fresh.announce(many)
    assert forgotten and set(forgotten) == {(3, None)}
    fresh.announce(many[:2])
    assert forgotten[-1] == (3, [(unit, day) for _, unit, day in many[:2]])
    # The most a notification names fits PostgreSQL's 8,000-byte payload with room to spare.
    assert len(announcement(3, [(unit, day) for _, unit, day in many[:NAMED_STAMPS]])) < 4000


UNITS = st.sampled_from(["maya", "dan", "rooms:1", "rooms:2", PRACTICE_UNIT])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.integers(-3, 10),
    days=st.integers(0, 5),
    whose=st.sampled_from(["maya", "dan", None]),
    unit=UNITS,
    changed=st.integers(-8, 20),
)
@pytest.mark.django_db
def test_a_scope_reads_exactly_the_stamps_that_change_its_digest(
    week: ClinicWeek, first: int, days: int, whose: str | None, unit: str, changed: int
) -> None:
    """`Scope.reads`, which decides what a notification forgets, agrees with the digest the
    database gives (`_read_digest`) for every stamp: replacing one changes the digest exactly
    when the scope reads it."""
    ids = {"maya": week.maya.pk, "dan": week.dan.pk}
    first_day = MONDAY + timedelta(days=first)
    scope = Scope(first_day, first_day + timedelta(days=days), ids.get(whose or ""))
    unit = f"therapist:{ids[unit]}" if unit in ids else unit
    day = PRACTICE_DAY if unit == PRACTICE_UNIT else MONDAY + timedelta(days=changed)
    before = stamps_digest(week.practice.pk, scope)
    practice_before = practice_stamp(week.practice.pk)
    stamp([(week.practice.pk, unit, day)])
    assert (stamps_digest(week.practice.pk, scope) != before) == scope.reads(unit, day)
    assert (practice_stamp(week.practice.pk) != practice_before) == PRACTICE_STAMP_ONLY.reads(
        unit, day
    )
