"""Benchmark: find a therapist across a large directory.

Builds a throw-away database (SQLite by default; PostgreSQL when DATABASE_URL is set, e.g. under
scripts/with-postgres) of PRACTICES listed practices with THERAPISTS therapists each, a clinic
each in one of a dozen Ontario towns and, for every other practice, a mobile service covering
three of those towns. Times the directory's searches through Django's full request stack
in-process. The baseline, measured in the same run, is the public `/health/` answer (the
framework and one database query); ratios say how many baselines each search costs.

    .venv/bin/python bench/directory.py [--practices 200] [--therapists 20] [--repeat 40]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import time as clock
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.staff_pages import print_timings, setup_django

TOWNS = {
    "Milton": (43.5183, -79.8774, ["L9T", "L9E"]),
    "Oakville": (43.4675, -79.6877, ["L6H", "L6J", "L6K", "L6L", "L6M"]),
    "Brampton": (43.7315, -79.7624, ["L6P", "L6R", "L6S", "L6T", "L6V"]),
    "Mississauga": (43.5890, -79.6441, ["L4T", "L4W", "L5A", "L5B", "L5M"]),
    "Toronto": (43.6532, -79.3832, ["M5A", "M5H", "M5J", "M5V"]),
    "Guelph": (43.5448, -80.2482, ["N1E", "N1G", "N1H"]),
    "Hamilton": (43.2557, -79.8711, ["L8P", "L8R", "L9A"]),
    "Burlington": (43.3255, -79.7990, ["L7L", "L7M", "L7N"]),
    "Kitchener": (43.4516, -80.4925, ["N2A", "N2B", "N2G"]),
    "Barrie": (44.3894, -79.6903, ["L4M", "L4N"]),
    "Oshawa": (43.8971, -78.8658, ["L1G", "L1H", "L1J"]),
    "Ottawa": (45.4215, -75.6972, ["K1P", "K1R", "K2P"]),
}
LANGUAGES = ["English", "French", "Mandarin", "Punjabi", "Portuguese", "Tagalog", "Spanish"]
TECHNIQUES = ["swedish", "deep_tissue", "trigger_point", "myofascial_release", "cupping"]


def build_directory(practice_count: int, therapist_count: int) -> None:
    from django.core.management import call_command

    from fascia.accounts.models import User
    from fascia.practices.models import Location, Practice, ServiceArea, Therapist
    from fascia.scheduling.models import WeeklyShift
    from fascia.website.models import PracticeWebsite

    call_command("migrate", verbosity=0)
    chooser = random.Random(7)
    towns = list(TOWNS)
    practices = Practice.objects.bulk_create(
        Practice(
            slug=f"p{number}",
            name=f"Practice {number}",
            city=towns[number % len(towns)],
            booking_open=True,
        )
        for number in range(practice_count)
    )
    PracticeWebsite.objects.bulk_create(
        PracticeWebsite(practice=p, in_directory=True, direct_billing=p.pk % 3 == 0)
        for p in practices
    )
    locations = []
    for practice in practices:
        latitude, longitude, _ = TOWNS[practice.city]
        locations.append(
            Location(
                practice=practice,
                name="Clinic",
                street="1 Main St",
                city=practice.city,
                latitude=latitude + chooser.uniform(-0.03, 0.03),
                longitude=longitude + chooser.uniform(-0.03, 0.03),
            )
        )
        if practice.pk % 2 == 0:
            locations.append(
                Location(practice=practice, name="Home visits", kind=Location.Kind.MOBILE)
            )
    locations = Location.objects.bulk_create(locations)
    for location in locations:
        if location.kind == Location.Kind.MOBILE:
            areas = ServiceArea.objects.bulk_create(
                ServiceArea(
                    practice_id=location.practice_id,
                    name=town,
                    centroid_latitude=f"{TOWNS[town][0]:.6f}",
                    centroid_longitude=f"{TOWNS[town][1]:.6f}",
                    postal_prefixes=TOWNS[town][2],
                )
                for town in chooser.sample(towns, 3)
            )
            location.service_areas.set(areas)
    users = User.objects.bulk_create(
        User(email=f"t{n}@bench.test", full_name=f"Therapist {n}")
        for n in range(practice_count * therapist_count)
    )
    therapists = Therapist.objects.bulk_create(
        Therapist(
            practice=practices[n // therapist_count],
            user=user,
            display_name=f"Therapist {n}",
            registration_number=f"B{n}",
            gender=chooser.choice(["woman", "man", "non_binary", ""]),
            languages=["English", *chooser.sample(LANGUAGES[1:], chooser.randint(0, 2))],
            modalities=chooser.sample(TECHNIQUES, 3),
        )
        for n, user in enumerate(users)
    )
    by_practice: dict[int, list[Location]] = {}
    for location in locations:
        by_practice.setdefault(location.practice_id, []).append(location)
    WeeklyShift.objects.bulk_create(
        WeeklyShift(
            practice_id=therapist.practice_id,
            therapist=therapist,
            location=chooser.choice(by_practice[therapist.practice_id]),
            weekday=weekday,
            starts_at=clock(9),
            ends_at=clock(17),
        )
        for therapist in therapists
        for weekday in range(5)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=200)
    parser.add_argument("--therapists", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=40)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from django.db import connection
        from django.test import Client as WebClient

        started = time.perf_counter()
        build_directory(options.practices, options.therapists)
        print(
            f"database: {connection.vendor}; {options.practices} practices x "
            f"{options.therapists} therapists built in {time.perf_counter() - started:.1f}s; "
            f"{options.repeat} requests per search"
        )
        web = WebClient()
        searches: list[tuple[str, dict[str, str], str]] = [
            ("baseline: /health/", {}, "/health/"),
            ("everyone (first 20)", {}, "/therapists/"),
            ("Milton, French", {"place": "Milton", "language": "French"}, "/therapists/"),
            ("L9T 2X5, home visits", {"place": "L9T 2X5", "home_visits": "on"}, "/therapists/"),
            (
                "Oakville, cupping, woman, direct",
                {
                    "place": "Oakville",
                    "technique": "cupping",
                    "gender": "woman",
                    "direct_billing": "on",
                },
                "/therapists/",
            ),
            ("one practice's therapists", {}, "/book/p1/therapists/"),
        ]
        rows: list[tuple[str, Callable[[], int]]] = [
            (name, partial(lambda path, query: web.get(path, query).status_code, path, query))
            for name, query, path in searches
        ]
        print_timings("search", rows, options.repeat)
        connection.close()


if __name__ == "__main__":
    main()
