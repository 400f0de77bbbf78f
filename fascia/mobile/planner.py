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
from fascia.mobile.exact import (
    EXACT_UP_TO,
    DayProblem,
    Fix,
    exact_order,
    what_would_make_it_possible,
)
from fascia.practices.models import Therapist
from fascia.scheduling.errors import BookingError, NotPermitted
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.moves import Move, move_appointments
from fascia.scheduling.schedule import load_schedule, visit_shape
from fascia.scheduling.travel import TravelBackend, travel_backend


class NoOrderPossible(BookingError):
    """No order keeps every client's window and the end of the day; the message says which
    change would make one possible (up to `EXACT_UP_TO` visits, where the search is exact)."""

    def __init__(self, problem: DayProblem, visits: list[Appointment]) -> None:
        fixes = what_would_make_it_possible(problem) if problem.size <= EXACT_UP_TO else []
        self.fixes = fixes
        if not fixes:
            message = _(
                "No order keeps every client's time window and the end of the day, and no "
                "single change of up to four hours would: move some visits to another day."
            )
        else:
            message = _(
                "No order keeps every client's time window and the end of the day. Any one "
                "of these would make it possible: %(fixes)s."
            ) % {"fixes": "; ".join(_fix_text(fix, visits) for fix in fixes[:4])}
        super().__init__(message)


def _fix_text(fix: Fix, visits: list[Appointment]) -> str:
    client = visits[fix.visit].client.display_name if fix.visit is not None else ""
    if fix.kind == "widen":
        return _("widen %(client)s's time window by %(minutes)s minutes") % {
            "client": client,
            "minutes": fix.minutes,
        }
    if fix.kind == "earlier":
        return _("start the day %(minutes)s minutes earlier") % {"minutes": fix.minutes}
    if fix.kind == "later":
        return _("finish the day %(minutes)s minutes later") % {"minutes": fix.minutes}
    return _("move %(client)s's visit to another day") % {"client": client}


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


def _vroom_order(problem: DayProblem) -> list[int] | None:
    """VROOM's order of the visits (indices), or None when it finds none."""
    solver = vroom.Input()
    solver.set_durations_matrix(
        profile="car", matrix_input=[[m * 60 for m in row] for row in problem.minutes]
    )
    solver.add_vehicle(
        [
            vroom.Vehicle(
                1,
                start=0 if problem.returns_home else None,
                end=0 if problem.returns_home else None,
                time_window=vroom.TimeWindow(problem.shift[0] * 60, problem.shift[1] * 60),
            )
        ]
    )
    solver.add_job(
        [
            vroom.Job(
                index + 1,
                location=index + 1,
                default_service=problem.service[index] * 60,
                time_windows=[vroom.TimeWindow(low * 60, high * 60)],
            )
            for index, (low, high) in enumerate(problem.windows)
        ]
    )
    solution = solver.solve(exploration_level=5, nb_threads=4)
    if len(solution.unassigned):
        return None
    steps = solution.to_dict()["routes"][0]["steps"]
    return [step["id"] - 1 for step in steps if step["type"] == "job"]


def keeps(problem: DayProblem, order: list[int]) -> bool:
    """Whether driving `order` as early as it may keeps every window and the day's end."""
    if not order:
        return True
    arrivals = schedule_order(
        problem.minutes, problem.windows, problem.service, problem.shift[0], order
    )
    if any(arrival > problem.windows[job][1] for job, arrival in zip(order, arrivals, strict=True)):
        return False
    back = problem.minutes[order[-1] + 1][0] if problem.returns_home else 0
    return arrivals[-1] + problem.service[order[-1]] + back <= problem.shift[1]


def solve(problem: DayProblem) -> list[int] | None:
    """The least-driving order: VROOM, then — up to `EXACT_UP_TO` visits — the exact search,
    bounded by VROOM's answer, or looking on its own when VROOM found none. None when no order
    keeps every window and the end of the day."""
    order = _vroom_order(problem)
    if order is not None and not keeps(problem, order):
        order = None
    if problem.size <= EXACT_UP_TO:
        bound = route_minutes(problem.minutes, order) if order is not None else None
        better = exact_order(problem, bound=bound)
        if better is not None:
            order = better
    return order


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


def propose_day_plan(
    therapist: Therapist, day: date, *, backend: TravelBackend | None = None
) -> DayPlan:
    """The least-driving order for the day's visits; raises BookingError when there is
    nothing to plan, and `NoOrderPossible` (saying what would make it possible) when no order
    keeps every window and the end of the day."""
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
    windows, service, booked_setup = [], [], []
    for visit in visits:
        shape = visit_shape(visit.service, visit.duration_minutes)
        before = int(shape.buffer_before.total_seconds() // 60)
        after = int(shape.buffer_after.total_seconds() // 60)
        service.append(before + visit.duration_minutes + after)
        booked_setup.append(before)
        if visit.window_starts_at and visit.window_ends_at and visit.is_in_home:
            low = minute(visit.window_starts_at) - before
            high = minute(visit.window_ends_at) - visit.duration_minutes - before
        else:
            low = high = minute(visit.starts_at) - before  # stays where it is
        windows.append((low, high))
    shift_start, shift_end = _working_span(therapist, day, visits)
    points = [home, *stops]
    minutes = [[drive(backend, a, b)[0] for b in points] for a in points]
    # The day starts when the shift does, unless a visit that cannot move starts earlier; it
    # ends when the shift does, or when the day as booked brings the therapist home.
    fixed_starts = [
        low - minutes[0][index + 1] for index, (low, high) in enumerate(windows) if low == high
    ]
    last = max(range(len(visits)), key=lambda index: visits[index].starts_at)
    booked_end = (
        minute(visits[last].starts_at)
        - booked_setup[last]
        + service[last]
        + (minutes[last + 1][0] if home.point is not None else 0)
    )
    problem = DayProblem(
        minutes=minutes,
        windows=windows,
        service=service,
        shift=(min([minute(shift_start), *fixed_starts]), max(minute(shift_end), booked_end)),
        returns_home=home.point is not None,
    )
    began = clock.perf_counter()
    order = solve(problem)
    if order is None:
        raise NoOrderPossible(problem, visits)
    arrivals = schedule_order(minutes, windows, service, problem.shift[0], order)
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
