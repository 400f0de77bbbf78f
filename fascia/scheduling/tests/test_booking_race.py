"""Many people clicking the same slot at the same moment get exactly one appointment."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from fascia.clients.actions import register_client
from fascia.scheduling.booking import SlotUnavailable, book_appointment
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at

RACERS = 50


def race(attempts: list[Any]) -> Counter[str]:
    """Run every attempt in its own thread (own database connection), released together."""
    barrier = threading.Barrier(len(attempts))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(attempt: Any) -> None:
        try:
            barrier.wait()
            attempt()
            outcome = "booked"
        except SlotUnavailable:
            outcome = "refused"
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def overlapping_pairs() -> int:
    rows = list(Appointment.objects.filter(status__in=OCCUPYING_STATUSES))
    return sum(
        1
        for a in rows
        for b in rows
        if a.pk < b.pk
        and (a.therapist_id == b.therapist_id or (a.room_id and a.room_id == b.room_id))
        and a.busy_from < b.busy_until
        and b.busy_from < a.busy_until
    )


@pytest.mark.django_db(transaction=True)
def test_fifty_clients_clicking_one_slot_get_one_appointment(week: ClinicWeek) -> None:
    clients = [
        register_client(
            week.practice, by=None, legal_first_name=f"Racer{n}", legal_last_name="Client"
        )
        for n in range(RACERS)
    ]
    attempts = [
        (
            lambda client=client: book_appointment(
                week.practice, week.request(at(MONDAY, 10), client=client), now=NOW
            )
        )
        for client in clients
    ]
    outcomes = race(attempts)
    assert outcomes == Counter({"booked": 1, "refused": RACERS - 1})
    assert Appointment.objects.count() == 1
    assert overlapping_pairs() == 0


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_of_different_slots_all_succeed(week: ClinicWeek) -> None:
    clients = [
        register_client(
            week.practice, by=None, legal_first_name=f"Day{n}", legal_last_name="Client"
        )
        for n in range(10)
    ]
    attempts = [
        (
            lambda client=client, n=n: book_appointment(
                week.practice,
                week.request(at(MONDAY + timedelta(days=n // 2), 10 + 2 * (n % 2)), client=client),
                now=NOW,
            )
        )
        for n, client in enumerate(clients)
    ]
    assert race(attempts) == Counter({"booked": 10})
    assert overlapping_pairs() == 0
