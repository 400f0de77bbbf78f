"""The day planner: for a therapist's day of visits, the order and times that drive least while
every client's time window still holds, solved by VROOM (pyvroom); applied only when the
therapist confirms, and only if nothing changed meanwhile.

Each visit is a VROOM job whose service time is set-up + treatment + packing. A client who gave
a time window (`window_starts_at`/`window_ends_at`) may be moved within it; a visit without one
(and any clinic visit) stays exactly where it is. The vehicle starts and ends at the therapist's
start point, within the day's working hours.
"""

from __future__ import annotations

import hashlib
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import vroom
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acts_for_therapist
from fascia.mobile.day import Stop, day_visits, drive, start_point, visit_stop
from fascia.practices.models import Therapist
from fascia.scheduling.errors import BookingError, NotPermitted
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.moves import Move, move_appointments
from fascia.scheduling.schedule import load_schedule, visit_shape
from fascia.scheduling.travel import TravelBackend, travel_backend


@dataclass(frozen=True)
class PlannedVisit:
    appointment: Appointment
    start: datetime  # the treatment's proposed start
    previous_start: datetime

    @property
    def moves(self) -> bool:
        return self.start != self.previous_start


@dataclass
class DayPlan:
    therapist: Therapist
    day: date
    visits: list[PlannedVisit]
    booked_minutes: int
    booked_km: Decimal
    planned_minutes: int
    planned_km: Decimal
    solve_ms: float = 0.0
    unplanned: list[Appointment] = field(default_factory=list)

    @property
    def saved_minutes(self) -> int:
        return self.booked_minutes - self.planned_minutes

    @property
    def saved_km(self) -> Decimal:
        return self.booked_km - self.planned_km

    @property
    def changes(self) -> list[PlannedVisit]:
        return [visit for visit in self.visits if visit.moves]

    @property
    def fingerprint(self) -> str:
        """Names the day as planned: the visits and their booked times."""
        text = ";".join(
            f"{v.appointment.pk}@{v.previous_start.isoformat()}>{v.start.isoformat()}"
            for v in sorted(self.visits, key=lambda v: v.appointment.pk)
        )
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def _route_cost(stops: list[Stop], backend: TravelBackend) -> tuple[int, Decimal]:
    minutes, km = 0, Decimal("0")
    for origin, destination in pairwise(stops):
        leg_minutes, leg_km = drive(backend, origin, destination)
        minutes += leg_minutes
        km += leg_km
    return minutes, km


def _working_span(therapist: Therapist, day: date, visits: list[Appointment]) -> tuple[Any, Any]:
    schedule = load_schedule(
        therapist.practice,
        therapists=[therapist],
        locations=list({visit.location for visit in visits}),
        first_day=day,
        last_day=day,
    )
    ranges = [r for (tid, _), rs in schedule.scheduled.items() if tid == therapist.pk for r in rs]
    if ranges:
        return min(r.start for r in ranges), max(r.end for r in ranges)
    return min(v.busy_from for v in visits), max(v.busy_until for v in visits)


def solve(
    stops: list[Stop],
    home: Stop,
    windows: list[tuple[int, int]],
    service: list[int],
    shift: tuple[int, int],
    backend: TravelBackend,
) -> tuple[list[int], list[int]]:
    """VROOM over minutes from midnight: the order of `stops` (indices) and each one's arrival
    (start of set-up), or ValueError when no order keeps every window."""
    points = [home, *stops]
    matrix = [[drive(backend, a, b)[0] * 60 for b in points] for a in points]
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    has_home = home.point is not None
    problem.add_vehicle(
        [
            vroom.Vehicle(
                1,
                start=0 if has_home else None,
                end=0 if has_home else None,
                time_window=vroom.TimeWindow(shift[0] * 60, shift[1] * 60),
            )
        ]
    )
    problem.add_job(
        [
            vroom.Job(
                index + 1,
                location=index + 1,
                default_service=service[index] * 60,
                time_windows=[vroom.TimeWindow(low * 60, high * 60)],
            )
            for index, (low, high) in enumerate(windows)
        ]
    )
    solution = problem.solve(exploration_level=5, nb_threads=4)
    if len(solution.unassigned):
        raise ValueError(_("No order keeps every client's time window."))
    routes = solution.to_dict()["routes"][0]["steps"]
    jobs = [step for step in routes if step["type"] == "job"]
    order = [step["id"] - 1 for step in jobs]
    arrivals = [(step["arrival"] + step.get("waiting_time", 0)) // 60 for step in jobs]
    if len(stops) <= EXACT_UP_TO:
        minutes = [[seconds // 60 for seconds in row] for row in matrix]
        better = best_order(
            minutes, windows, service, shift[0], bound=route_minutes(minutes, order)
        )
        if better is not None:
            order = better
            arrivals = schedule_order(minutes, windows, service, shift[0], order)
    return order, arrivals


# Small days are solved exactly after VROOM: its answer bounds a branch-and-bound search.
EXACT_UP_TO = 9


def route_minutes(minutes: list[list[int]], order: list[int]) -> int:
    route = [0, *(job + 1 for job in order), 0]
    return sum(minutes[a][b] for a, b in pairwise(route))


def schedule_order(
    minutes: list[list[int]],
    windows: list[tuple[int, int]],
    service: list[int],
    start: int,
    order: list[int],
) -> list[int]:
    """Each visit's arrival (start of set-up) driving `order` as early as windows allow."""
    now, position, arrivals = start, 0, []
    for job in order:
        now = max(now + minutes[position][job + 1], windows[job][0])
        arrivals.append(now)
        now += service[job]
        position = job + 1
    return arrivals


def best_order(
    minutes: list[list[int]],
    windows: list[tuple[int, int]],
    service: list[int],
    start: int,
    *,
    bound: int,
) -> list[int] | None:
    """An order that drives less than `bound` and keeps every window, the least such; None
    when none beats it."""
    best: list[Any] = [bound, None]

    def extend(position: int, now: int, cost: int, route: list[int], left: set[int]) -> None:
        if cost >= best[0]:
            return
        if not left:
            total = cost + minutes[position][0]
            if total < best[0]:
                best[0], best[1] = total, list(route)
            return
        for job in sorted(left, key=lambda j: minutes[position][j + 1]):
            begin = max(now + minutes[position][job + 1], windows[job][0])
            if begin > windows[job][1]:
                continue
            route.append(job)
            left.remove(job)
            extend(job + 1, begin + service[job], cost + minutes[position][job + 1], route, left)
            left.add(job)
            route.pop()

    extend(0, start, 0, [], set(range(len(windows))))
    return best[1]


def propose_day_plan(
    therapist: Therapist, day: date, *, backend: TravelBackend | None = None
) -> DayPlan:
    """The least-driving order for the day's visits; raises BookingError when there is
    nothing to plan or no order keeps the windows."""
    backend = backend or travel_backend()
    visits = [v for v in day_visits(therapist, day) if v.status == AppointmentStatus.BOOKED]
    if len(visits) < 2:
        raise BookingError(_("There is nothing to reorder: fewer than two booked visits that day."))
    zone = therapist.practice.zone
    midnight, _next_midnight = therapist.practice.day_bounds(day)

    def minute(moment: datetime) -> int:
        return int((moment - midnight).total_seconds() // 60)

    home = start_point(therapist)
    stops = [visit_stop(visit) for visit in visits]
    windows, service = [], []
    for visit in visits:
        shape = visit_shape(visit.service, visit.duration_minutes)
        before = int(shape.buffer_before.total_seconds() // 60)
        after = int(shape.buffer_after.total_seconds() // 60)
        service.append(before + visit.duration_minutes + after)
        if visit.window_starts_at and visit.window_ends_at and visit.is_in_home:
            low = minute(visit.window_starts_at) - before
            high = minute(visit.window_ends_at) - visit.duration_minutes - before
        else:
            low = high = minute(visit.starts_at) - before  # stays where it is
        windows.append((low, high))
    shift_start, shift_end = _working_span(therapist, day, visits)
    # The day starts when the shift does, unless a visit that cannot move starts earlier.
    fixed_starts = [
        low - drive(backend, home, stop)[0]
        for stop, (low, high) in zip(stops, windows, strict=True)
        if low == high
    ]
    shift = (
        min([minute(shift_start), *fixed_starts]),
        max(
            minute(shift_end),
            *(high + length for (_, high), length in zip(windows, service, strict=True)),
        ),
    )
    began = clock.perf_counter()
    try:
        order, arrivals = solve(stops, home, windows, service, shift, backend)
    except ValueError as error:
        raise BookingError(str(error)) from error
    solve_ms = (clock.perf_counter() - began) * 1000
    planned = []
    for index, arrival in zip(order, arrivals, strict=True):
        visit = visits[index]
        before = visit.service.buffer_before_minutes
        start = (midnight + timedelta(minutes=arrival + before)).astimezone(zone)
        planned.append(PlannedVisit(visit, start, visit.starts_at))
    booked = _route_cost([home, *stops, home], backend)
    best = _route_cost([home, *(stops[i] for i in order), home], backend)
    return DayPlan(therapist, day, planned, *booked, *best, solve_ms=solve_ms)


def apply_day_plan(
    plan: DayPlan,
    *,
    fingerprint: str,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> list[Appointment]:
    """Move the day's visits to the plan's times, all or none, through the booking engine's
    `move_appointments` (every new time re-checked; clients told; freed time offered). Refused
    unless the therapist themselves or the owner confirms, and if any visit changed since the
    plan was made."""
    if not acts_for_therapist(by, plan.therapist):
        raise NotPermitted(_("Only the therapist (or the owner) plans their day."))
    if fingerprint != plan.fingerprint:
        raise BookingError(_("This plan is out of date; make a new one."))
    results = move_appointments(
        plan.therapist.practice,
        [
            Move(visit.appointment, visit.start, expected_start=visit.previous_start)
            for visit in plan.changes
        ],
        by=by,
        as_staff=True,
        request=request,
        reason="day plan",
        now=now,
    )
    return [result.appointment for result in results]
