"""Benchmark: the mobile practice.

1. In-home availability with travel for 10 mobile therapists over 30 days, through gunicorn,
   beside the trivial JSON endpoint (/health/) in the same run.
2. The day planner on generated days of 8-12 home visits across the GTA: solve time and the
   drive saved against the booked order; on days of up to 9 visits, the gap to the exhaustive
   optimum (every order tried, with the same travel times and windows).

    .venv/bin/python bench/mobile.py
    scripts/with-postgres .venv/bin/python bench/mobile.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from itertools import pairwise
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
    start_gunicorn,
)

THERAPISTS = 10


def mobile_practice(
    slug: str, *, minutes: int, buffers: int, area_count: int | None = None
) -> tuple[Any, Any, Any, list[Any]]:
    """A practice that visits homes: its home service (`minutes` long, `buffers` either side),
    its mobile location and the demo's service areas (the first `area_count`)."""
    from django.core.management import call_command

    from fascia.demo.catalogue import SERVICE_AREAS
    from fascia.practices.models import Location, Practice, Service, ServiceArea, ServiceDuration

    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(
        name=slug.replace("-", " ").title(), slug=slug, works_statutory_holidays=True
    )
    service = Service.objects.create(
        practice=practice,
        name="Home massage",
        modality="swedish",
        in_clinic=False,
        in_home=True,
        buffer_before_minutes=buffers,
        buffer_after_minutes=buffers,
    )
    ServiceDuration.objects.create(practice=practice, service=service, minutes=minutes, price=140)
    mobile = Location.objects.create(
        practice=practice,
        name="Home visits",
        kind=Location.Kind.MOBILE,
        latitude=43.7315,
        longitude=-79.7624,
    )
    areas = [
        ServiceArea.objects.create(
            practice=practice,
            name=name,
            centroid_latitude=latitude,
            centroid_longitude=longitude,
            postal_prefixes=prefixes,
        )
        for name, (latitude, longitude, prefixes) in list(SERVICE_AREAS.items())[:area_count]
    ]
    mobile.service_areas.set(areas)
    return practice, service, mobile, areas


def mobile_therapist(
    practice: Any, mobile: Any, home: Any, name: str, hours: tuple[int, int]
) -> Any:
    """A therapist who visits homes from `home` (a service area's centre), Monday to Friday
    within `hours`."""
    from fascia.accounts.models import User
    from fascia.practices.models import Therapist
    from fascia.scheduling.models import WeeklyShift

    therapist = Therapist.objects.create(
        practice=practice,
        user=User.objects.create_user(f"{name.lower().replace(' ', '')}@bench.example", "bench-1"),
        display_name=name,
        registration_number=name[:20],
        modalities=["swedish"],
        home_latitude=float(home.centroid_latitude),
        home_longitude=float(home.centroid_longitude),
    )
    WeeklyShift.objects.bulk_create(
        WeeklyShift(
            practice=practice,
            therapist=therapist,
            location=mobile,
            weekday=day,
            starts_at=clock(hours[0]),
            ends_at=clock(hours[1]),
        )
        for day in range(5)
    )
    return therapist


def build_mobile_practice() -> dict[str, Any]:
    from fascia.clients.models import Client
    from fascia.scheduling.models import Appointment

    practice, service, mobile, areas = mobile_practice("bench-mobile", minutes=60, buffers=10)
    clients = iter(
        Client.objects.bulk_create(
            Client(practice=practice, legal_first_name=f"C{n}", legal_last_name="Bench")
            for n in range(THERAPISTS * 200)
        )
    )
    chooser = random.Random(3)
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    rows = []
    for n in range(THERAPISTS):
        therapist = mobile_therapist(
            practice, mobile, areas[n % len(areas)], f"Mobile {n:02d}", (9, 18)
        )
        # Two home visits a weekday, 60 days back and 30 ahead, at random areas.
        for offset in range(-60, 31):
            day = monday + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour in (10, 14):
                area = chooser.choice(areas)
                starts = datetime.combine(day, clock(hour), tzinfo=practice.zone)
                rows.append(
                    Appointment(
                        practice=practice,
                        client=next(clients),
                        therapist=therapist,
                        service=service,
                        duration_minutes=60,
                        price=140,
                        location=mobile,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=60),
                        busy_from=starts - timedelta(minutes=10),
                        busy_until=starts + timedelta(minutes=70),
                        channel="staff",
                        status="booked",
                        visit_street="1 Main St",
                        visit_postal_code=f"{area.postal_prefixes[0]} 1A1",
                        visit_latitude=float(area.centroid_latitude),
                        visit_longitude=float(area.centroid_longitude),
                    )
                )
    with overlap_triggers_paused():
        Appointment.objects.bulk_create(rows, batch_size=1000)
    return {"practice": practice, "service": service, "monday": monday, "rows": len(rows)}


def http_section(
    port: int, setup: dict[str, Any], requests: int, concurrency: int, answers: str
) -> None:
    from fascia.practices.models import Therapist

    monday: date = setup["monday"]
    service = setup["service"].pk
    one = Therapist.objects.filter(practice=setup["practice"]).order_by("pk").first()
    assert one is not None
    end = monday + timedelta(days=29)
    base = f"/api/v1/availability?service={service}&start={monday}&end={end}&postal_code=M5V%203L9"
    cases = [
        ("trivial JSON (/health/)", "/health/"),
        ("30 days, one therapist", f"{base}&therapist={one.pk}"),
        ("30 days, anyone (10)", base),
    ]
    print(
        f"\nIn-home availability with travel through gunicorn (2 workers), {concurrency} "
        f"connections, {requests} requests each; availability {answers}"
    )
    print(f"{'request':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>11}")
    baseline = bare_baseline(requests, concurrency)
    for name, path in cases:
        load(port, path, requests=10, concurrency=2)
        rate, p50, p99 = measure(port, path, requests=requests, concurrency=concurrency)
        print(f"{name:34} {rate:8.0f} {p50:8.1f} {p99:8.1f} {rate / baseline:10.0%}")


def exhaustive(
    matrix: list[list[int]],
    windows: list[tuple[int, int]],
    service: list[int],
    shift: tuple[int, int],
) -> int | None:
    """The least driving over every order that keeps every window and brings the therapist
    home by the end of the day (branch and bound over orders, independent of the planner)."""
    count = len(windows)
    best: list[int | None] = [None]
    start = shift[0]

    def visit(position: int, now: int, cost: int, left: frozenset[int]) -> None:
        if best[0] is not None and cost >= best[0]:
            return
        if not left:
            total = cost + matrix[position][0]
            if now + matrix[position][0] <= shift[1] and (best[0] is None or total < best[0]):
                best[0] = total
            return
        for job in left:
            arrive = now + matrix[position][job + 1]
            low, high = windows[job]
            begin = max(arrive, low)
            if begin > high:
                continue
            visit(job + 1, begin + service[job], cost + matrix[position][job + 1], left - {job})

    visit(0, start, 0, frozenset(range(count)))
    return best[0]


def planner_section(days: int) -> None:
    from fascia.demo.catalogue import SERVICE_AREAS
    from fascia.mobile.day import Stop, drive
    from fascia.mobile.exact import DayProblem
    from fascia.mobile.planner import _vroom_order, keeps, solve
    from fascia.scheduling.geography import Point
    from fascia.scheduling.travel import EstimatedTravel

    backend = EstimatedTravel()
    centroids = [Point(float(lat), float(lon)) for lat, lon, _ in SERVICE_AREAS.values()]
    chooser = random.Random(11)
    print(
        f"\nDay planner (VROOM, then the exact search up to 12 visits) on {days} generated days "
        "of 8-12 home visits in Brampton, Mississauga and Toronto; the optimum by an independent "
        "search of every order"
    )
    print(
        f"{'visits':>6} {'solve ms':>9} {'booked min':>11} {'planned min':>12} {'saved':>7} "
        f"{'optimum':>8} {'gap':>6} {'VROOM gap':>10}"
    )
    solve_times, savings, gaps, vroom_gaps, wrongly_impossible = [], [], [], [], 0
    for number in range(days):
        count = 8 + number % 5
        # Homes scattered (about +-4 km) around three neighbouring areas' centroids, the day
        # booked in random order.
        stops = [
            Stop(
                f"visit {n}",
                Point(
                    centroid.latitude + chooser.uniform(-0.04, 0.04),
                    centroid.longitude + chooser.uniform(-0.05, 0.05),
                ),
                postal_code=f"X{n}",
            )
            for n, centroid in enumerate(chooser.choice(centroids[:3]) for _ in range(count))
        ]
        home = Stop("home", centroids[0])
        points = [home, *stops]
        matrix = [[drive(backend, a, b)[0] for b in points] for a in points]
        service = [50] * count  # set-up, 40 min treatment, packing
        # A feasible booked day: random order, each visit as early as the drive allows, and
        # a five-hour window around the booked time for the client.
        order = list(range(count))
        chooser.shuffle(order)
        now, position, booked = 8 * 60, 0, 0
        windows = [(0, 0)] * count
        for job in order:
            now += matrix[position][job + 1]
            booked += matrix[position][job + 1]
            windows[job] = (max(8 * 60, now - 150), now + 150)
            now += service[job]
            position = job + 1
        booked += matrix[position][0]
        shift = (8 * 60, max(now + matrix[position][0], 20 * 60))
        problem = DayProblem(matrix, windows, service, shift)
        began = time.perf_counter()
        planned_order = solve(problem)
        elapsed = (time.perf_counter() - began) * 1000
        optimum = exhaustive(matrix, windows, service, shift)
        solve_times.append(elapsed)
        if planned_order is None:
            wrongly_impossible += optimum is not None
            print(f"{count:>6} {elapsed:9.1f} {booked:11d} {'none':>12}")
            continue
        assert keeps(problem, planned_order)
        route = [0, *(job + 1 for job in planned_order), 0]
        planned = sum(matrix[a][b] for a, b in pairwise(route))
        vroom_alone = _vroom_order(problem)
        vroom_cost = (
            sum(matrix[a][b] for a, b in pairwise([0, *(j + 1 for j in vroom_alone), 0]))
            if vroom_alone is not None and keeps(problem, vroom_alone)
            else None
        )
        gap = (planned - optimum) / optimum if optimum else 0.0
        vroom_gap = (vroom_cost - optimum) / optimum if optimum and vroom_cost else None
        savings.append((booked - planned) / booked)
        gaps.append(gap)
        if vroom_gap is not None:
            vroom_gaps.append(vroom_gap)
        print(
            f"{count:>6} {elapsed:9.1f} {booked:11d} {planned:12d} {booked - planned:6d}m "
            f"{optimum if optimum is not None else '':>8} {gap:6.1%} "
            f"{'none' if vroom_gap is None else f'{vroom_gap:.1%}':>10}"
        )
    ordered = sorted(solve_times)
    print(
        f"solve time median {statistics.median(ordered):.1f} ms, "
        f"p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} ms, max {ordered[-1]:.1f} ms; "
        f"median drive saved {statistics.median(savings):.0%}; gap to the optimum: worst "
        f"{max(gaps):.1%}, mean {statistics.mean(gaps):.2%} (VROOM alone: worst "
        f"{max(vroom_gaps, default=0):.1%}); days wrongly declared impossible: "
        f"{wrongly_impossible}"
    )


def anyone_section(days: int, seed: int = 5) -> None:
    """ "Anyone" for home visits: the same month of requests booked twice, once to the free
    therapist whose day grows least in driving (`scheduling.choices.added_driving`, the rule
    the product uses), once to the first free by name; the month's total driving compared."""
    from fascia.demo.catalogue import SERVICE_AREAS
    from fascia.scheduling.availability import Commitment, Place
    from fascia.scheduling.choices import added_driving, booked_time
    from fascia.scheduling.timeranges import TimeRange
    from fascia.scheduling.travel import EstimatedTravel, TravelTimes

    travel = TravelTimes(EstimatedTravel())
    centres = [(float(lat), float(lon)) for lat, lon, _ in list(SERVICE_AREAS.values())[:3]]
    starts = [centres[0], centres[0], centres[1], centres[1], centres[2]]
    therapists = [
        Place(1, lat, lon, postal_code=f"START{n}") for n, (lat, lon) in enumerate(starts)
    ]
    chooser = random.Random(seed)
    day0 = datetime(2031, 3, 3, tzinfo=UTC)
    requests = []
    for day in range(days):
        for n in range(30):
            lat, lon = chooser.choice(centres)
            home = Place(
                1,
                lat + chooser.uniform(-0.04, 0.04),
                lon + chooser.uniform(-0.05, 0.05),
                postal_code=f"H{day}-{n}",
            )
            start = day0 + timedelta(days=day, hours=13 + chooser.randrange(0, 14) / 2)
            requests.append((day, home, start))

    def month(choose_least: bool) -> tuple[int, int]:
        plans: dict[tuple[int, int], list[Commitment]] = {}
        booked = 0
        for day, home, start in requests:
            visit = TimeRange(start - timedelta(minutes=5), start + timedelta(minutes=70))
            free = []
            for tid, base in enumerate(therapists):
                edges = [
                    Commitment.during(
                        tid,
                        TimeRange(
                            day0 + timedelta(days=day, hours=13),
                            day0 + timedelta(days=day, hours=13),
                        ),
                        base,
                    ),
                    Commitment.during(
                        tid,
                        TimeRange(
                            day0 + timedelta(days=day, hours=22),
                            day0 + timedelta(days=day, hours=22),
                        ),
                        base,
                    ),
                ]
                plan = plans.get((tid, day), []) + edges
                before = [c for c in plan if c.busy.end <= visit.start]
                after = [c for c in plan if c.busy.start >= visit.end]
                if len(before) + len(after) != len(plan):
                    continue  # overlaps a visit
                previous = max(before, key=lambda c: c.busy.end)
                following = min(after, key=lambda c: c.busy.start)
                if previous.busy.end + travel(previous.place, home) > visit.start:
                    continue
                if visit.end + travel(home, following.place) > following.busy.start:
                    continue
                free.append((tid, plan))
            if not free:
                continue
            if choose_least:
                tid, _ = min(
                    free,
                    key=lambda option: (
                        added_driving(option[1], visit, home, travel),
                        booked_time(plans.get((option[0], day), [])),
                        option[0],
                    ),
                )
            else:
                tid = free[0][0]
            plans.setdefault((tid, day), []).append(Commitment.during(tid, visit, home))
            booked += 1
        total = timedelta(0)
        for (tid, _day), plan in plans.items():
            route = [therapists[tid], *(c.place for c in sorted(plan, key=lambda c: c.busy.start))]
            route.append(therapists[tid])
            total += sum((travel(a, b) for a, b in pairwise(route)), timedelta(0))
        return booked, int(total.total_seconds() // 60)

    least_booked, least = month(True)
    name_booked, by_name = month(False)
    print(
        f'\n"Anyone" for home visits: {len(requests)} requests over {days} days, 5 mobile '
        "therapists (Brampton, Mississauga, Toronto starts)"
    )
    print(f"  first free by name:      {name_booked} booked, {by_name:,} minutes of driving")
    print(f"  least added driving:     {least_booked} booked, {least:,} minutes of driving")
    per_visit_name = by_name / max(name_booked, 1)
    per_visit_least = least / max(least_booked, 1)
    print(
        f"  driving per visit {per_visit_least:.1f} min against {per_visit_name:.1f} "
        f"({per_visit_least / per_visit_name:.0%} of choosing by name)"
    )


def week_section(seed: int = 7) -> None:
    """The week planner: 5 mobile therapists x 5 days x 8 home visits (two-hour windows), each
    booked with a random therapist; the proposal's driving saved and its time."""
    from fascia.clients.models import Client
    from fascia.mobile.week import propose_week_plan
    from fascia.scheduling.models import Appointment

    chooser = random.Random(seed)
    practice, service, mobile, areas = mobile_practice(
        "bench-week", minutes=45, buffers=5, area_count=3
    )
    therapists = []
    for n in range(5):
        therapist = mobile_therapist(practice, mobile, areas[n % len(areas)], f"Week {n}", (8, 19))
        therapists.append(therapist)
    monday = date(2031, 3, 3)
    rows = []
    for day in range(5):
        for therapist in therapists:
            for slot in range(8):  # 8:30, 9:40, ... one every 70 minutes
                area = chooser.choice(areas)
                starts = datetime.combine(
                    monday + timedelta(days=day), clock(8, 30), tzinfo=practice.zone
                ) + timedelta(minutes=70 * slot)
                client = Client.objects.create(
                    practice=practice, legal_first_name=f"W{day}{slot}", legal_last_name="Bench"
                )
                rows.append(
                    Appointment(
                        practice=practice,
                        client=client,
                        therapist=therapist,
                        service=service,
                        duration_minutes=45,
                        price=120,
                        location=mobile,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=45),
                        busy_from=starts - timedelta(minutes=5),
                        busy_until=starts + timedelta(minutes=50),
                        channel="staff",
                        status="booked",
                        visit_street="1 Main St",
                        visit_postal_code=f"{area.postal_prefixes[0]} 1A1",
                        visit_latitude=float(area.centroid_latitude) + chooser.uniform(-0.04, 0.04),
                        visit_longitude=float(area.centroid_longitude)
                        + chooser.uniform(-0.05, 0.05),
                        window_starts_at=starts - timedelta(hours=1),
                        window_ends_at=starts + timedelta(minutes=45) + timedelta(hours=1),
                    )
                )
    with overlap_triggers_paused():
        Appointment.objects.bulk_create(rows, batch_size=500)
    began = time.perf_counter()
    plan = propose_week_plan(practice, monday, now=datetime(2031, 3, 1, tzinfo=UTC))
    elapsed = time.perf_counter() - began
    booked = sum(plan.booked_minutes.values())
    planned = sum(plan.planned_minutes.values())
    print(
        f"\nWeek planner: 5 therapists x 5 days x 8 home visits ({len(rows)} visits, two-hour "
        f"windows, booked with a random therapist): {booked:,} -> {planned:,} minutes of driving "
        f"({plan.saved_minutes:,} saved, {plan.saved_minutes / booked:.0%}); {len(plan.changes)} "
        f"visits would change; {len(plan.kept)} left as booked; proposed in {elapsed:.1f} s "
        f"(VROOM {plan.solve_ms / 1000:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--days", type=int, default=200)
    parser.add_argument(
        "--planner-only", action="store_true", help="Only the day planner's section."
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        configure(data_dir)
        from django.db import connection

        if options.planner_only:
            planner_section(options.days)
            anyone_section(30)
            week_section()
            return

        began = time.perf_counter()
        setup = build_mobile_practice()
        print(
            f"database: {connection.vendor}; {THERAPISTS} mobile therapists, "
            f"{setup['rows']:,} home visits built in {time.perf_counter() - began:.1f}s"
        )
        for cache_url, answers in (
            ("dummycache://", "worked out every time"),
            (None, "remembered (repeat questions)"),
        ):
            port = free_port()
            server = start_gunicorn(port, cache_url=cache_url)
            try:
                http_section(port, setup, options.requests, options.concurrency, answers)
            finally:
                server.terminate()
                server.wait(timeout=10)
        planner_section(options.days)
        anyone_section(30)
        week_section()


if __name__ == "__main__":
    main()
