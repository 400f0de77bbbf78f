"""Benchmark: availability and booking through the real HTTP stack (gunicorn, as in production).

A practice with 20 therapists in two clinics (10 each, a room per therapist) and 10,000 booked
appointments. Prints, for each request, requests/second and p50/p95 latency beside a trivial
JSON endpoint (/health/, one SELECT) measured in the same run; then availability cost as past
appointments grow 1x, 10x and 100x; then 50 clients racing for one slot, and bookings/second
for slots that do not conflict.

    .venv/bin/python bench/scheduling.py            # SQLite
    scripts/with-postgres .venv/bin/python bench/scheduling.py
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
THERAPISTS = 20
APPOINTMENTS = 10_000


def configure(data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "fascia.settings.production"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["FASCIA_DATA_DIR"] = data_dir
    os.environ["LOG_LEVEL"] = "ERROR"  # 409s are expected in the race
    collect_static_once(data_dir)  # production serves collected static files from there
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def build_practice() -> dict[str, Any]:
    from django.core.management import call_command

    from fascia.accounts.models import User
    from fascia.accounts.tokens import issue_token
    from fascia.clients.models import Client
    from fascia.practices.models import (
        Location,
        Practice,
        Room,
        Service,
        ServiceDuration,
        Therapist,
    )
    from fascia.scheduling.models import WeeklyShift

    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(
        name="Bench Massage",
        slug="bench",
        cancellation_policy="",
        works_statutory_holidays=True,
        booking_window_days=400,
    )
    service = Service.objects.create(
        practice=practice, name="Massage", modality="swedish", buffer_after_minutes=10
    )
    ServiceDuration.objects.create(practice=practice, service=service, minutes=60, price=120)
    clinics = [
        Location.objects.create(
            practice=practice, name=f"Clinic {n}", street="1 Main", city="Brampton"
        )
        for n in (1, 2)
    ]
    therapists = []
    for n in range(THERAPISTS):
        user = User.objects.create_user(f"t{n}@bench.example", "bench-password-1")
        therapist = Therapist.objects.create(
            practice=practice,
            user=user,
            display_name=f"Therapist {n:02d}",
            registration_number=f"B{n}",
            modalities=["swedish"],
        )
        clinic = clinics[n % 2]
        Room.objects.create(practice=practice, location=clinic, name=f"Room {n:02d}")
        WeeklyShift.objects.bulk_create(
            WeeklyShift(
                practice=practice,
                therapist=therapist,
                location=clinic,
                weekday=day,
                starts_at=clock(9),
                ends_at=clock(17),
            )
            for day in range(5)
        )
        therapists.append(therapist)
    clients = Client.objects.bulk_create(
        Client(practice=practice, legal_first_name=f"C{n}", legal_last_name="Bench")
        for n in range(2000)
    )
    booker = User.objects.create_user("booker@bench.example", "bench-password-1")
    clients[0].user = booker
    clients[0].save()
    start = next_monday() - timedelta(days=126)
    _book_history(practice, service, clinics, therapists, clients, start, APPOINTMENTS)
    return {
        "practice": practice,
        "service": service,
        "clinics": clinics,
        "therapists": therapists,
        "clients": clients,
        "token": issue_token(booker),
        "monday": next_monday(),
    }


def _book_history(
    practice: Any,
    service: Any,
    clinics: list[Any],
    therapists: list[Any],
    clients: list[Any],
    first_day: date,
    count: int,
) -> None:
    """`count` non-overlapping occupying appointments from `first_day` on, two or three a day
    for each therapist, each in the therapist's own room (bulk: seed data for measuring)."""
    from fascia.practices.models import Room
    from fascia.scheduling.models import Appointment

    zone = practice.zone
    rooms = {room.name: room for room in Room.objects.filter(practice=practice)}
    rows: list[Any] = []
    written = 0
    day = first_day
    slot = 0
    while written + len(rows) < count:
        if len(rows) >= 5000:  # flush in chunks: 100x history is half a million rows
            Appointment.objects.bulk_create(rows, batch_size=1000)
            written += len(rows)
            rows = []
        if day.weekday() < 5:
            for index, therapist in enumerate(therapists):
                for hour in (10, 13, 15) if (day.toordinal() + index) % 2 else (9, 14):
                    starts = datetime.combine(day, clock(hour), tzinfo=zone)
                    client = clients[index + THERAPISTS * (slot % (len(clients) // THERAPISTS))]
                    rows.append(
                        Appointment(
                            practice=practice,
                            client=client,
                            therapist=therapist,
                            service=service,
                            duration_minutes=60,
                            price=120,
                            location=clinics[index % 2],
                            room=rooms[f"Room {index:02d}"],
                            starts_at=starts,
                            ends_at=starts + timedelta(minutes=60),
                            busy_from=starts,
                            busy_until=starts + timedelta(minutes=70),
                            channel="staff",
                            status="completed" if day < date.today() else "booked",
                        )
                    )
                    slot += 1
        day += timedelta(days=1)
    Appointment.objects.bulk_create(rows[: count - written], batch_size=1000)


@contextmanager
def overlap_triggers_paused() -> Iterator[None]:
    """On SQLite, lift the no-double-booking triggers while seeding history older than every
    row (each check would scan the therapist's whole history; PostgreSQL's GiST index does
    not). The seeded rows never overlap by construction."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["scheduling_appointment"],
        )
        triggers = [(name, sql) for name, sql in cursor.fetchall() if "RAISE(ABORT" in sql]
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, sql in triggers:
                cursor.execute(sql)


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def collect_static_once(data_dir: str) -> None:
    """Production refuses to start without collected static files: collect them once into
    var/bench-static (kept between runs; delete it after changing static files) and point this
    run's data directory at them."""
    shared = ROOT / "var" / "bench-static"
    if not (shared / "staticfiles.json").exists():
        shared.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "fascia", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, "FASCIA_DATA_DIR": str(shared.parent / "bench-collect")},
            check=True,
        )
        collected = shared.parent / "bench-collect" / "static"
        for item in collected.iterdir():
            item.rename(shared / item.name)
    (Path(data_dir) / "static").symlink_to(shared, target_is_directory=True)


def start_gunicorn(
    port: int, cache_url: str | None = None, app: str = "fascia.wsgi:application"
) -> subprocess.Popen[bytes]:
    """gunicorn as in production; `cache_url="dummycache://"` turns remembered availability
    answers off, so every request works its answer out. `app="bench.bare:application"` serves
    the bare baseline instead."""
    from django.db import connections

    connections.close_all()
    env = os.environ.copy()
    if cache_url:
        env["CACHE_URL"] = cache_url
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def load(
    port: int,
    path: str,
    *,
    requests: int,
    concurrency: int,
    method: str = "GET",
    body_for: Callable[[int], dict[str, Any]] | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[list[float], Counter[int], float]:
    """Send `requests` requests from `concurrency` keep-alive connections."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    counter = iter(range(requests))
    base_headers = {"Host": "127.0.0.1", "Content-Type": "application/json"}
    headers = {**base_headers, **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            body = json.dumps(body_for(number)).encode() if body_for else None
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[response.status] += 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - began


def bare_baseline(requests: int, concurrency: int, body_bytes: int = 0) -> float:
    """Requests a second the bare Django view answers through the same gunicorn (2 workers),
    printed as the first row: every ratio is against this, the framework's own limit. With
    `body_bytes`, also the bare view sending a body that large (the cost of the bytes alone)."""
    port = free_port()
    server = start_gunicorn(port, app="bench.bare:application")
    try:
        load(port, "/", requests=20, concurrency=2)  # warm up
        rate, p50, p99 = measure(port, "/", requests=requests, concurrency=concurrency)
        print(f"{'bare Django view (baseline)':34} {rate:8.0f} {p50:8.1f} {p99:8.1f} {1:10.1%}")
        if body_bytes:
            path = f"/?bytes={body_bytes}"
            big, p50, p99 = measure(port, path, requests=requests, concurrency=concurrency)
            label = f"bare, a {body_bytes / 1000:.0f} kB body"
            print(f"{label:34} {big:8.0f} {p50:8.1f} {p99:8.1f} {big / rate:10.1%}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rate


def bare_one_at_a_time(requests: int = 200) -> float:
    """Mean milliseconds of the bare Django view asked one request at a time (as the first
    question after a booking is): the baseline for figures measured that way."""
    port = free_port()
    server = start_gunicorn(port, app="bench.bare:application")
    try:
        load(port, "/", requests=20, concurrency=1)  # warm up
        latencies, _, _ = load(port, "/", requests=requests, concurrency=1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return statistics.mean(latencies)


WRK_SECONDS = 3
# Each figure is the median of this many runs: on a small shared machine one run's rate moves
# by a fifth either way (the bare view itself measured 3,700 to 4,900 a second in one session).
WRK_RUNS = 3


def measure(
    port: int,
    path: str,
    *,
    requests: int,
    concurrency: int,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[float, float, float]:
    """(requests a second, p50 ms, p99 ms) of GETs of `path`, the run with the median rate of
    WRK_RUNS. With wrk installed (Debian's `wrk`; `make bench` installs it), wrk drives
    `concurrency` connections for WRK_SECONDS: a load generator that is not itself the
    bottleneck. Otherwise the Python loader."""
    headers = {"Host": "127.0.0.1", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    runs = sorted(
        _measure_once(port, path, requests=requests, concurrency=concurrency, headers=headers)
        for _ in range(WRK_RUNS)
    )
    return runs[len(runs) // 2]


def _measure_once(
    port: int, path: str, *, requests: int, concurrency: int, headers: dict[str, str]
) -> tuple[float, float, float]:
    if shutil.which("wrk"):
        command = ["wrk", "-t2", f"-c{concurrency}", f"-d{WRK_SECONDS}s", "--latency"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(  # noqa: S603 - wrk from the system, our arguments
            [*command, f"http://127.0.0.1:{port}{path}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        assert failed is None, output
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
        return rate, _wrk_ms(output, "50%"), _wrk_ms(output, "99%")
    latencies, statuses, seconds = load(
        port, path, requests=requests, concurrency=concurrency, headers=headers
    )
    assert set(statuses) == {200}, statuses
    return len(latencies) / seconds, percentile(latencies, 0.5), percentile(latencies, 0.99)


def _wrk_ms(output: str, label: str) -> float:
    found = re.search(rf"{re.escape(label)}\s+([\d.]+)(us|ms|s)\b", output)
    assert found is not None, output
    value, unit = float(found.group(1)), found.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def http_section(
    port: int, setup: dict[str, Any], requests: int, concurrency: int, answers: str
) -> float:
    service = setup["service"].pk
    monday: date = setup["monday"]
    one = setup["therapists"][0].pk
    clinic_one = setup["clinics"][0].pk

    def availability(days: int, extra: str = "") -> str:
        end = monday + timedelta(days=days - 1)
        return f"/api/v1/availability?service={service}&start={monday}&end={end}{extra}"

    cases = [
        ("trivial JSON (/health/)", "/health/"),
        ("14 days, one therapist", availability(14, f"&therapist={one}")),
        ("14 days, anyone (20)", availability(14)),
        ("30 days, one therapist", availability(30, f"&therapist={one}")),
        ("30 days, one clinic (10)", availability(30, f"&location={clinic_one}")),
        ("30 days, anyone (20)", availability(30)),
    ]
    print(
        f"\nHTTP through gunicorn (2 workers), {concurrency} connections, {requests} requests "
        f"each; availability {answers}"
    )
    print(f"{'request':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>11} {'slots':>6}")
    clinic_month = cases[4][1]
    baseline = bare_baseline(requests, concurrency, len(_get_body(port, clinic_month)))
    for name, path in cases:
        load(port, path, requests=10, concurrency=2)  # warm up
        rate, p50, p99 = measure(port, path, requests=requests, concurrency=concurrency)
        slots = "" if "health" in path else str(len(_get_json(port, path)["slots"]))
        print(f"{name:34} {rate:8.0f} {p50:8.1f} {p99:8.1f} {rate / baseline:10.1%} {slots:>6}")
    return baseline


def _get_body(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    return connection.getresponse().read()


def _get_json(port: int, path: str) -> Any:
    return json.loads(_get_body(port, path))


def history_section(setup: dict[str, Any]) -> None:
    """Availability for one therapist over 30 days, in-process, as past appointments grow."""
    from django.core.cache import cache

    from fascia.scheduling.models import Appointment
    from fascia.scheduling.schedule import AvailabilityRequest, available_slots

    practice, service = setup["practice"], setup["service"]
    monday: date = setup["monday"]
    request = AvailabilityRequest(
        service=service,
        minutes=60,
        first_day=monday,
        last_day=monday + timedelta(days=29),
        therapist=setup["therapists"][0],
    )
    base = Appointment.objects.filter(
        starts_at__lt=datetime.combine(date.today(), clock(0), tzinfo=practice.zone)
    ).count()
    print(f"\nHistory growth: one therapist, 30 days, in-process (base: {base:,} past rows)")
    print(f"{'past appointments':>18} {'median ms':>10} {'x 1x':>6}")
    first = None
    for factor in (1, 10, 100):
        wanted = base * factor
        have = Appointment.objects.filter(
            starts_at__lt=datetime.combine(date.today(), clock(0), tzinfo=practice.zone)
        ).count()
        if wanted > have:
            earliest = Appointment.objects.order_by("starts_at").first()
            assert earliest is not None
            # Older history, ending before the oldest appointment: 40+ a weekday.
            weeks = (wanted - have) // (40 * 5) + 1
            first_day = earliest.starts_at.astimezone(practice.zone).date() - timedelta(weeks=weeks)
            with overlap_triggers_paused():
                _book_history(
                    practice,
                    service,
                    setup["clinics"],
                    setup["therapists"],
                    setup["clients"],
                    first_day,
                    wanted - have,
                )
            _analyze()
        timings = []
        for _ in range(15):
            cache.clear()  # the engine's own cost, not a remembered answer
            started = time.perf_counter()
            available_slots(practice, request)
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        first = first or median
        print(f"{wanted:>18,} {median:10.1f} {median / first:6.2f}")


def race_section(port: int, setup: dict[str, Any]) -> None:
    from fascia.accounts.models import User
    from fascia.accounts.tokens import issue_token
    from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment

    practice, service = setup["practice"], setup["service"]
    therapist = setup["therapists"][1]
    wednesday = setup["monday"] + timedelta(days=2)
    # 11:30-12:40 is free for every seeded therapist (their visits start at 9, 10, 13, 14, 15).
    start = datetime.combine(wednesday, clock(11, 30), tzinfo=practice.zone).isoformat()
    tokens = []
    for n, client in enumerate(setup["clients"][100:150]):
        user = User.objects.create_user(f"racer{n}@bench.example", "bench-password-1")
        client.user = user
        client.save()
        tokens.append(issue_token(user))
    body = {
        "service": service.pk,
        "therapist": therapist.pk,
        "start": start,
        "location": setup["clinics"][1].pk,
        "minutes": 60,
    }
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(tokens))

    def racer(token: str) -> None:
        barrier.wait()
        _, got, _ = load(
            port,
            "/api/v1/appointments",
            requests=1,
            concurrency=1,
            method="POST",
            body_for=lambda _: body,
            token=token,
        )
        with lock:
            statuses.update(got)

    threads = [threading.Thread(target=racer, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = list(Appointment.objects.filter(therapist=therapist, status__in=OCCUPYING_STATUSES))
    overlaps = sum(
        1
        for a in rows
        for b in rows
        if a.pk < b.pk and a.busy_from < b.busy_until and b.busy_from < a.busy_until
    )
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    print(
        f"\nRace: 50 clients, one slot -> {dict(sorted(statuses.items()))}; "
        f"5xx: {server_errors}; overlapping rows: {overlaps}"
    )

    # Non-conflicting: each request books a different therapist-hour, on weekdays after the
    # seeded history ends.
    latest = Appointment.objects.order_by("-starts_at").first()
    assert latest is not None
    after = latest.starts_at.astimezone(practice.zone).date() + timedelta(days=1)
    weekdays = [d for d in (after + timedelta(days=n) for n in range(14)) if d.weekday() < 5]
    free = [
        (day, index, hour)
        for day in weekdays
        for index in range(THERAPISTS)
        for hour in (9, 11, 13, 15)
    ]

    def booking(number: int) -> dict[str, Any]:
        day, index, hour = free[number]
        return {
            "service": service.pk,
            "therapist": setup["therapists"][index].pk,
            "location": setup["clinics"][index % 2].pk,
            "start": datetime.combine(day, clock(hour), tzinfo=practice.zone).isoformat(),
            "minutes": 60,
            "client": setup["clients"][number % 2000].pk,
            "idempotency_key": f"bench-{number}",
        }

    staff = User.objects.create_user("desk@bench.example", "bench-password-1")
    from fascia.accounts.models import Role, StaffMember

    StaffMember.objects.create(practice=practice, user=staff, role=Role.FRONT_DESK)
    latencies, got, seconds = load(
        port,
        "/api/v1/appointments",
        requests=300,
        concurrency=4,
        method="POST",
        body_for=booking,
        token=issue_token(staff),
    )
    print(
        f"Non-conflicting bookings: {len(latencies)} in {seconds:.1f}s = "
        f"{len(latencies) / seconds:.0f}/s, p50 {percentile(latencies, 0.5):.0f} ms, "
        f"p95 {percentile(latencies, 0.95):.0f} ms; statuses {dict(got)}"
    )


def _constant(body: dict[str, Any]) -> Callable[[int], dict[str, Any]]:
    return lambda _: body


def first_after_booking_section(port: int, setup: dict[str, Any], bare_ms: float) -> None:
    """The first question after a booking with another therapist: therapist one's month is
    asked right after each booking of someone else, so nothing about it should be worked out
    again; then the first question after a change to the practice's set-up. Asked one at a
    time, so compared with the bare view asked one at a time."""
    from fascia.accounts.models import Role, StaffMember, User
    from fascia.accounts.tokens import issue_token
    from fascia.scheduling.remembered import schedule_changed

    practice, service = setup["practice"], setup["service"]
    desk = User.objects.create_user("desk2@bench.example", "bench-password-1")
    StaffMember.objects.create(practice=practice, user=desk, role=Role.FRONT_DESK)
    token = issue_token(desk)
    one = setup["therapists"][0].pk
    monday: date = setup["monday"]
    question = (
        f"/api/v1/availability?service={service.pk}&start={monday}"
        f"&end={monday + timedelta(days=29)}&therapist={one}"
    )
    load(port, question, requests=4, concurrency=1)  # remembered before the bookings
    later = monday + timedelta(days=60)
    latencies = []
    for number in range(40):
        index = 1 + number % (THERAPISTS - 1)
        day = later + timedelta(days=7 * (number // (THERAPISTS - 1)))
        booking = {
            "service": service.pk,
            "therapist": setup["therapists"][index].pk,
            "location": setup["clinics"][index % 2].pk,
            "start": datetime.combine(day, clock(11, 30), tzinfo=practice.zone).isoformat(),
            "minutes": 60,
            "client": setup["clients"][1000 + number].pk,
        }
        _, booked, _ = load(
            port,
            "/api/v1/appointments",
            requests=1,
            concurrency=1,
            method="POST",
            body_for=_constant(booking),
            token=token,
        )
        assert set(booked) == {201}, booked
        asked, statuses, _ = load(port, question, requests=1, concurrency=1)
        assert set(statuses) == {200}, statuses
        latencies += asked
    mean = statistics.mean(latencies)
    # The coldest answer: right after a change to the practice's set-up (a shift, a service, a
    # therapist...), which replaces the practice's stamp as every such write does, so the
    # set-up is read again and nothing is remembered (one clinic, 10 therapists, 30 days).
    clinic_month = (
        f"/api/v1/availability?service={service.pk}&start={monday}"
        f"&end={monday + timedelta(days=29)}&location={setup['clinics'][0].pk}"
    )
    cold = []
    for _ in range(20):
        schedule_changed([practice.pk])
        asked, statuses, _ = load(port, clinic_month, requests=1, concurrency=1)
        assert set(statuses) == {200}, statuses
        cold += asked
    print("\nOne request at a time: mean ms, and the bare view's mean as a share of it")
    print(f"{'bare Django view (baseline)':34} {bare_ms:8.2f} {1:10.1%}")
    print(
        f"{'first question after another':34} {mean:8.2f} {bare_ms / mean:10.0%}   "
        "(another therapist's booking; one therapist, 30 days)"
    )
    cold_mean = statistics.mean(cold)
    print(
        f"{'first question after a set-up change':34} {cold_mean:8.2f} {bare_ms / cold_mean:10.0%}"
        "   (one clinic, 10 therapists, 30 days; nothing remembered)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--skip-history", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        configure(data_dir)
        from django.db import connection

        began = time.perf_counter()
        setup = build_practice()
        _analyze()
        print(
            f"database: {connection.vendor}; {THERAPISTS} therapists, "
            f"{APPOINTMENTS:,} appointments built in {time.perf_counter() - began:.1f}s"
        )
        port = free_port()
        server = start_gunicorn(port, cache_url="dummycache://")
        try:
            http_section(
                port,
                setup,
                options.requests,
                options.concurrency,
                "worked out every time (the practice's set-up read once per change)",
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
        port = free_port()
        server = start_gunicorn(port)
        try:
            http_section(
                port,
                setup,
                options.requests,
                options.concurrency,
                "remembered (repeat questions, as on a busy booking page)",
            )
            first_after_booking_section(port, setup, bare_one_at_a_time())
            race_section(port, setup)
        finally:
            server.terminate()
            server.wait(timeout=10)
        if not options.skip_history:
            history_section(setup)


if __name__ == "__main__":
    main()
