"""Benchmark: the busiest staff pages on a large practice.

Builds a throw-away database (SQLite by default; PostgreSQL when DATABASE_URL is set, e.g. under
scripts/with-postgres) with the demo practice grown to CLIENTS clients, then times each page
through Django's full request stack in-process. The baseline, measured in the same run, is a
signed-in request that does no page work (the after-sign-in redirect): the cost of the
framework, session, sign-in and practice lookup alone. Ratios say how many
baselines each page costs.

    .venv/bin/python bench/staff_pages.py [--clients 20000] [--repeat 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def setup_django(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fascia.settings.test")
    os.environ["FASCIA_DATA_DIR"] = data_dir
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def grow_practice(client_count: int) -> Any:
    from django.core.management import call_command

    from fascia.accounts.models import User
    from fascia.clients.models import Client
    from fascia.demo.loader import load_demo_practice

    call_command("migrate", verbosity=0)
    practice = load_demo_practice(progress=lambda message: None)
    existing = Client.objects.for_practice(practice).count()
    surnames = [
        "Smith",
        "Tremblay",
        "Nguyen",
        "Patel",
        "Singh",
        "Brown",
        "Wilson",
        "Li",
        "Martin",
        "Roy",
        "Gagnon",
        "Campbell",
        "Anderson",
        "Khan",
        "Chen",
        "Lee",
    ]
    # Bulk rows for the benchmark's scale only; the product adds clients through actions.
    Client.objects.bulk_create(
        [
            Client(
                practice=practice,
                legal_first_name=f"Client{index}",
                legal_last_name=surnames[index % len(surnames)],
                email=f"client{index}@bench.example",
                city="Brampton",
                postal_code="L6Y 1A1",
            )
            for index in range(existing, client_count)
        ],
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        # A settled database has planner statistics (autovacuum would have gathered them).
        cursor.execute("ANALYZE")
    return practice, User.objects.get(email="frontdesk@demo.test")


def measure(fetch: Callable[[], int], repeat: int) -> list[float]:
    for _ in range(3):  # warm caches and connections
        fetch()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        status = fetch()
        timings.append((time.perf_counter() - started) * 1000)
        assert status in (200, 302), status
    return timings


def print_timings(heading: str, rows: list[tuple[str, Callable[[], int]]], repeat: int) -> None:
    """Time each row's request and print median, p95 and the ratio to the first row (the
    baseline, measured in the same run)."""
    print(f"{heading:36} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11}")
    baseline = None
    for name, fetch in rows:
        timings = sorted(measure(fetch, repeat))
        median = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        baseline = baseline or median
        print(f"{name:36} {median:10.2f} {p95:8.2f} {median / baseline:11.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=60)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from django.db import connection
        from django.test import Client as WebClient

        started = time.perf_counter()
        _, front_desk = grow_practice(options.clients)
        print(
            f"database: {connection.vendor}; {options.clients:,} clients built in "
            f"{time.perf_counter() - started:.1f}s; {options.repeat} requests per page"
        )

        web = WebClient()
        web.force_login(front_desk)
        last_page = options.clients // 25
        some_client = connection.cursor()
        some_client.execute("SELECT max(id) FROM clients_client")
        client_id = some_client.fetchone()[0]

        pages: list[tuple[str, Callable[[], int]]] = [
            (
                "baseline: signed-in, no page work",
                lambda: web.get("/accounts/welcome/").status_code,
            ),
            ("staff home (counts)", lambda: web.get("/staff/").status_code),
            ("client list, page 1", lambda: web.get("/staff/clients/").status_code),
            (
                f"client list, page {last_page}",
                lambda: web.get("/staff/clients/", {"page": last_page}).status_code,
            ),
            (
                "client search 'tremblay'",
                lambda: web.get("/staff/clients/", {"q": "tremblay"}).status_code,
            ),
            (
                "client record (audited)",
                lambda: web.get(f"/staff/clients/{client_id}/").status_code,
            ),
            ("API: services", lambda: web.get("/api/v1/services").status_code),
        ]
        print_timings("page", pages, options.repeat)
        connection.close()


if __name__ == "__main__":
    main()
