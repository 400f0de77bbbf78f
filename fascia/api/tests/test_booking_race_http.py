"""Fifty clients booking the same slot through the real HTTP stack at the same moment:
exactly one 201, the rest 409, no server errors, and no overlapping rows afterwards."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

from fascia.accounts.models import User
from fascia.accounts.tokens import issue_token
from fascia.api.tests.test_booking_api import at
from fascia.clients.actions import register_client
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment
from fascia.scheduling.tests.conftest import ClinicWeek
from fascia.scheduling.tests.test_booking_race import overlapping_pairs

RACERS = 50


def post_json(url: str, token: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_fifty_clients_one_slot_over_http(live_server: Any, week: ClinicWeek) -> None:
    week.practice.works_statutory_holidays = True
    week.practice.cancellation_policy = ""
    week.practice.save()
    tokens = []
    for n in range(RACERS):
        user = User.objects.create_user(f"racer{n}@example.com", "pw-racer-123")
        register_client(
            week.practice,
            by=None,
            user=user,
            legal_first_name=f"Racer{n}",
            legal_last_name="Client",
        )
        tokens.append(issue_token(user))
    body = {
        "service": week.service.pk,
        "therapist": week.maya.pk,
        "start": at(10),
        "location": week.clinic.pk,
        "minutes": 60,
    }
    url = f"{live_server.url}/api/v1/appointments"
    barrier = threading.Barrier(RACERS)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def racer(token: str) -> None:
        barrier.wait()
        status = post_json(url, token, body)
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=racer, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == Counter({201: 1, 409: RACERS - 1})
    assert Appointment.objects.filter(status__in=OCCUPYING_STATUSES).count() == 1
    assert overlapping_pairs() == 0
