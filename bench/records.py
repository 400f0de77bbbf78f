"""Benchmark: charting on a long record, through gunicorn.

A client with ten years of history (500 completed visits, each with a signed note and consent,
a health history reviewed every visit, a pain score each visit). Measures, beside the trivial
JSON endpoint (/health/) in the same run: opening the client's chart, opening a visit's note,
and saving a draft note through the API (PATCH /api/v1/notes/{id}).

    .venv/bin/python bench/records.py
    scripts/with-postgres .venv/bin/python bench/records.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scheduling import (  # the sibling benchmark's helpers
    bare_baseline,
    configure,
    free_port,
    load,
    measure,
    overlap_triggers_paused,
    percentile,
    start_gunicorn,
)

VISITS = 500


def build_chart() -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    from fascia.accounts.models import Role, StaffMember, User
    from fascia.accounts.tokens import issue_token
    from fascia.clients.models import Client
    from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist
    from fascia.records.models import (
        Consent,
        HealthHistory,
        HistoryReview,
        OutcomeScore,
        TreatmentNote,
    )
    from fascia.scheduling.models import Appointment

    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(name="Bench Records", slug="bench-records")
    clinic = Location.objects.create(practice=practice, name="Clinic", street="1 Main", city="X")
    service = Service.objects.create(practice=practice, name="Massage", modality="swedish")
    ServiceDuration.objects.create(practice=practice, service=service, minutes=60, price=120)
    user = User.objects.create_user("rmt@bench.example", "bench-password-1")
    StaffMember.objects.create(practice=practice, user=user, role=Role.THERAPIST)
    therapist = Therapist.objects.create(
        practice=practice,
        user=user,
        display_name="RMT",
        registration_number="R1",
        modalities=["swedish"],
    )
    client = Client.objects.create(
        practice=practice, legal_first_name="Long", legal_last_name="Record"
    )
    now = timezone.now()
    first = now - timedelta(days=3650)
    visits = []
    for n in range(VISITS):
        starts = first + timedelta(days=7 * n + 1)
        visits.append(
            Appointment(
                practice=practice,
                client=client,
                therapist=therapist,
                service=service,
                duration_minutes=60,
                price=120,
                location=clinic,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                busy_from=starts,
                busy_until=starts + timedelta(hours=1),
                channel="staff",
                status="completed",
            )
        )
    draft_start = now + timedelta(days=1)
    visits.append(
        Appointment(
            practice=practice,
            client=client,
            therapist=therapist,
            service=service,
            duration_minutes=60,
            price=120,
            location=clinic,
            starts_at=draft_start,
            ends_at=draft_start + timedelta(hours=1),
            busy_from=draft_start,
            busy_until=draft_start + timedelta(hours=1),
            channel="staff",
            status="booked",
        )
    )
    with overlap_triggers_paused():
        visits = Appointment.objects.bulk_create(visits)
    history = HealthHistory.objects.create(
        practice=practice,
        client=client,
        version=1,
        answers={"reason": "Neck pain"},
        source="staff",
        created_at=first,
    )
    notes, reviews, consents, scores = [], [], [], []
    for visit in visits[:-1]:
        common = {"practice": practice, "client": client}
        notes.append(
            TreatmentNote(
                **common,
                appointment=visit,
                therapist=therapist,
                subjective="Neck pain 5/10 after work; sleeping better.",
                objective="Hypertonic upper trapezius; cervical rotation 70 degrees.",
                assessment="Improving.",
                plan_text="Weekly.",
                techniques=["swedish"],
                areas_treated=["neck_back", "upper_back"],
                pressure="moderate",
                body_chart=[
                    {"area": "neck_back", "kind": "pain", "view": "back", "x": 100, "y": 60}
                ],
                created_at=visit.ends_at,
                updated_at=visit.ends_at,
                signed_at=visit.ends_at,
                signed_by=user,
            )
        )
        reviews.append(
            HistoryReview(
                **common,
                appointment=visit,
                history=history,
                changed=False,
                reviewed_at=visit.starts_at,
            )
        )
        consents.append(
            Consent(
                **common,
                scope="treatment",
                appointment=visit,
                nature="Massage",
                benefits="Less pain",
                risks="Soreness",
                alternatives="Exercise",
                consequences="Pain persists",
                withdrawal_explained=True,
                given=True,
                method="verbal",
                recorded_at=visit.starts_at,
            )
        )
        scores.append(
            OutcomeScore(
                **common,
                appointment=visit,
                measure="nprs",
                answers=[5],
                value=5,
                complete=True,
                recorded_at=visit.starts_at,
            )
        )
    TreatmentNote.objects.bulk_create(notes, batch_size=500)
    HistoryReview.objects.bulk_create(reviews, batch_size=500)
    Consent.objects.bulk_create(consents, batch_size=500)
    OutcomeScore.objects.bulk_create(scores, batch_size=500)
    draft = TreatmentNote.objects.create(
        practice=practice,
        client=client,
        appointment=visits[-1],
        therapist=therapist,
        created_at=now,
        updated_at=now,
    )
    return {
        "client": client,
        "user": user,
        "token": issue_token(user),
        "signed_visit": visits[-2],
        "draft": draft,
        "practice": practice,
    }


def session_cookie(user: Any) -> str:
    """The cookies of a signed-in session for `user`, past the two-step sign-in the production
    profile asks of staff: set up through the product's own page with the code an authenticator
    app shows."""
    import base64
    import re

    from django.conf import settings
    from django.test import Client as WebClient
    from django_otp.oath import TOTP

    web = WebClient(HTTP_HOST="127.0.0.1")
    web.force_login(user)
    if web.get("/staff/").status_code == 302:
        page = web.get("/accounts/two-factor/set-up/").content.decode()
        typed = re.search(r'data-testid="typed-key">([A-Z2-7 ]+)<', page)
        assert typed is not None, "the set-up page shows no key"
        code = f"{TOTP(base64.b32decode(typed.group(1).replace(' ', ''))).token():06d}"
        web.post("/accounts/two-factor/set-up/", {"code": code})
    assert web.get("/staff/").status_code == 200, "still not signed in"
    # As a browser returning to the chart sends them: the session and the CSRF cookie its
    # earlier pages set (without it, every answer would mint and set a new CSRF secret).
    sent = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    return "; ".join(f"{name}={web.cookies[name].value}" for name in sent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        configure(data_dir)
        from django.db import connection

        began = time.perf_counter()
        setup = build_chart()
        print(
            f"database: {connection.vendor}; one client with {VISITS} signed visits over ten "
            f"years, built in {time.perf_counter() - began:.1f}s"
        )
        cookie = {"Cookie": session_cookie(setup["user"])}
        port = free_port()
        server = start_gunicorn(port)
        note_id = setup["draft"].pk
        cases: list[tuple[str, str, str, dict[str, Any]]] = [
            ("trivial JSON (/health/)", "GET", "/health/", {}),
            # The floor of every staff page: session, user, two-step device, staff membership.
            ("signed in, no page work (302)", "GET", "/accounts/welcome/", {"headers": cookie}),
            (
                "open the chart",
                "GET",
                f"/staff/clients/{setup['client'].pk}/chart/",
                {"headers": cookie},
            ),
            (
                "open a signed note",
                "GET",
                f"/staff/appointments/{setup['signed_visit'].pk}/note/",
                {"headers": cookie},
            ),
            (
                "save a draft note (API)",
                "PATCH",
                f"/api/v1/notes/{note_id}",
                {
                    "token": setup["token"],
                    "body_for": lambda n: {
                        "subjective": f"Neck pain {n % 10}/10",
                        "areas_treated": ["neck_back"],
                    },
                },
            ),
        ]
        try:
            print(
                f"\nThrough gunicorn (2 workers), {options.concurrency} connections, "
                f"{options.requests} requests each"
            )
            print(f"{'request':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>11}")
            baseline = bare_baseline(options.requests, options.concurrency)
            for name, method, path, extra in cases:
                _, statuses, _ = load(
                    port, path, requests=10, concurrency=2, method=method, **extra
                )
                expected = {302} if "(302)" in name else {200}
                assert set(statuses) == expected, (name, statuses)  # never time a sign-in page
                if method == "GET":
                    rate, p50, p99 = measure(
                        port,
                        path,
                        requests=options.requests,
                        concurrency=options.concurrency,
                        headers=extra.get("headers"),
                    )
                else:  # a body to send: the Python loader
                    latencies, statuses, seconds = load(
                        port,
                        path,
                        requests=options.requests,
                        concurrency=options.concurrency,
                        method=method,
                        **extra,
                    )
                    assert set(statuses) == {200}, (name, statuses)
                    rate = len(latencies) / seconds
                    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
                print(f"{name:34} {rate:8.0f} {p50:8.1f} {p99:8.1f} {rate / baseline:10.1%}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
