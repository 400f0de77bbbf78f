"""The week planner's proposal: for a practice's mobile therapists and a week, who visits whom
and in what order so that the practice drives least, every client's time window still holds,
and each therapist stays within their working hours (VROOM, one vehicle per therapist-day,
starting and ending at the therapist's start point).

A visit goes only to a therapist who may give it: who offers its service, is in good standing
that day (registration and insurance), is of the gender the client prefers if they said, and
speaks French when the client asked for French. A visit that has begun, whose treatment note is
written, or of a client who keeps their own therapist stays exactly where it is. This is a
proposal: nothing is moved here (each move needs the client's agreement, `week_moves.py`)."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

import vroom
from django.utils import timezone

from fascia.mobile.day import Stop, drive, start_point, visit_stop
from fascia.practices.models import Location, Practice, Therapist
from fascia.professional.standing import in_good_standing
from fascia.records.models import TreatmentNote
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.schedule import load_schedule, offers, visit_shape
from fascia.scheduling.travel import TravelBackend, travel_backend

FRENCH = ("fr", "franç", "franc")


@dataclass(frozen=True)
class ProposedVisit:
    appointment: Appointment
    therapist: Therapist
    start: datetime  # the treatment's proposed start

    @property
    def moves(self) -> bool:
        return (
            self.therapist.pk != self.appointment.therapist_id
            or self.start != self.appointment.starts_at
        )


@dataclass
class WeekPlan:
    practice: Practice
    first_day: date
    last_day: date
    visits: list[ProposedVisit]
    booked_minutes: dict[int, int]  # therapist id -> driving in the week as booked
    planned_minutes: dict[int, int]  # … as proposed
    therapists: dict[int, Therapist]
    kept: list[Appointment] = field(default_factory=list)  # no therapist could take them
    solve_ms: float = 0.0

    @property
    def saved_minutes(self) -> int:
        return sum(self.booked_minutes.values()) - sum(self.planned_minutes.values())

    def saved_by(self, therapist_id: int) -> int:
        return self.booked_minutes.get(therapist_id, 0) - self.planned_minutes.get(therapist_id, 0)

    @property
    def changes(self) -> list[ProposedVisit]:
        return [visit for visit in self.visits if visit.moves]


def may_give(therapist: Therapist, visit: Appointment, standing: set[int]) -> bool:
    """Whether `therapist` may take `visit` over: offers its service, in good standing, of the
    gender the client prefers if they said, and speaks French when the client asked for it."""
    if therapist.pk not in standing or not offers(therapist, visit.service):
        return False
    wanted = visit.client.prefers_therapist_gender
    if wanted and therapist.gender != wanted:
        return False
    if visit.client.preferred_language == "fr":
        spoken = [language.lower() for language in therapist.languages or []]
        return any(language.startswith(FRENCH) for language in spoken)
    return True


def _route_minutes(stops: list[Stop], backend: TravelBackend) -> int:
    return sum(drive(backend, a, b)[0] for a, b in pairwise(stops))


def propose_week_plan(
    practice: Practice,
    first_day: date,
    *,
    days: int = 5,
    backend: TravelBackend | None = None,
    now: datetime | None = None,
) -> WeekPlan:
    """The least-driving assignment and order of the week's home visits (see the module)."""
    backend = backend or travel_backend()
    now = now or timezone.now()
    last_day = first_day + timedelta(days=days - 1)
    start_of_week, _ = practice.day_bounds(first_day)
    _, end_of_week = practice.day_bounds(last_day)
    mobile = list(Location.objects.for_practice(practice).filter(kind=Location.Kind.MOBILE))
    therapists = list(Therapist.objects.for_practice(practice).filter(is_active=True))
    schedule = load_schedule(
        practice, therapists=therapists, locations=mobile, first_day=first_day, last_day=last_day
    )
    mobile_ids = {location.pk for location in mobile}
    shifts = [
        (therapist_id, hours)
        for (therapist_id, location_id), ranges in schedule.scheduled.items()
        if location_id in mobile_ids
        for hours in ranges
    ]
    by_id = {therapist.pk: therapist for therapist in therapists}
    visits = list(
        Appointment.objects.filter(
            practice=practice,
            location__in=mobile,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=start_of_week,
            starts_at__lt=end_of_week,
        )
        .select_related("client", "service", "location", "therapist")
        .order_by("starts_at", "pk")
    )
    written = set(
        TreatmentNote.objects.filter(appointment__in=visits).values_list(
            "appointment_id", flat=True
        )
    )
    standing_by_day: dict[date, set[int]] = {}

    def standing(day: date) -> set[int]:
        if day not in standing_by_day:
            standing_by_day[day] = set(
                in_good_standing(Therapist.objects.filter(pk__in=by_id), day).values_list(
                    "pk", flat=True
                )
            )
        return standing_by_day[day]

    def second(moment: datetime) -> int:
        return int((moment - start_of_week).total_seconds())

    homes = {therapist.pk: start_point(therapist) for therapist in therapists}
    for visit in visits:  # a visit of a therapist no longer active stays theirs, from home
        if visit.therapist_id not in homes:
            homes[visit.therapist_id] = start_point(visit.therapist)
            by_id[visit.therapist_id] = visit.therapist
    stops = [visit_stop(visit) for visit in visits]
    points: list[Stop] = [*homes.values(), *stops]
    home_index = {therapist_id: n for n, therapist_id in enumerate(homes)}
    matrix = [[drive(backend, a, b)[0] * 60 for b in points] for a in points]

    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    vehicles = []
    for number, (therapist_id, hours) in enumerate(shifts):
        skills = {
            index + 1
            for index, visit in enumerate(visits)
            if _may_take(by_id[therapist_id], visit, written, now, standing)
        }
        vehicles.append(
            vroom.Vehicle(
                number + 1,
                start=home_index[therapist_id],
                end=home_index[therapist_id],
                skills=skills or {0},
                time_window=vroom.TimeWindow(second(hours.start), second(hours.end)),
            )
        )
    problem.add_vehicle(vehicles)
    service_seconds, setup = [], []
    for index, visit in enumerate(visits):
        shape = visit_shape(visit.service, visit.duration_minutes)
        before, after = shape.buffer_before, shape.buffer_after
        service_seconds.append(int((before + visit.duration + after).total_seconds()))
        setup.append(before)
        if (
            visit.window_starts_at
            and visit.window_ends_at
            and index + 1 not in _fixed(visits, written, now)
        ):
            low = second(visit.window_starts_at - before)
            high = second(visit.window_ends_at - visit.duration - before)
        else:
            low = high = second(visit.starts_at - before)
        problem.add_job(
            vroom.Job(
                index + 1,
                location=len(homes) + index,
                default_service=service_seconds[index],
                skills={index + 1},
                time_windows=[vroom.TimeWindow(low, max(low, high))],
            )
        )
    began = clock.perf_counter()
    solution = problem.solve(exploration_level=5, nb_threads=4) if vehicles and visits else None
    solve_ms = (clock.perf_counter() - began) * 1000
    proposed: list[ProposedVisit] = []
    placed: set[int] = set()
    planned_minutes: dict[int, int] = {}
    for route in solution.to_dict()["routes"] if solution is not None else []:
        therapist_id = shifts[route["vehicle"] - 1][0]
        jobs = [step for step in route["steps"] if step["type"] == "job"]
        day_stops = [homes[therapist_id], *(stops[step["id"] - 1] for step in jobs)]
        day_stops.append(homes[therapist_id])
        planned_minutes[therapist_id] = planned_minutes.get(therapist_id, 0) + _route_minutes(
            day_stops, backend
        )
        for step in jobs:
            index = step["id"] - 1
            arrival = start_of_week + timedelta(seconds=step["arrival"] + step["waiting_time"])
            proposed.append(
                ProposedVisit(visits[index], by_id[therapist_id], arrival + setup[index])
            )
            placed.add(index)
    kept = [visit for index, visit in enumerate(visits) if index not in placed]
    for visit in kept:  # unplaced visits stay as booked, with their driving
        proposed.append(ProposedVisit(visit, visit.therapist, visit.starts_at))
    booked_minutes = _driving_by_therapist(
        [(v.appointment.therapist_id, v.appointment.starts_at, v.appointment) for v in proposed],
        homes,
        practice,
        backend,
    )
    if kept:
        planned_minutes = _driving_by_therapist(
            [(v.therapist.pk, v.start, v.appointment) for v in proposed], homes, practice, backend
        )
    return WeekPlan(
        practice,
        first_day,
        last_day,
        sorted(proposed, key=lambda v: (v.start, v.appointment.pk)),
        booked_minutes,
        planned_minutes,
        by_id,
        kept,
        solve_ms,
    )


def _fixed(visits: list[Appointment], written: set[int], now: datetime) -> set[int]:
    """Jobs (1-based) that stay exactly where they are: begun, their note written, or the
    client's who keeps their own therapist."""
    return {index + 1 for index, visit in enumerate(visits) if _stays(visit, written, now)}


def _stays(visit: Appointment, written: set[int], now: datetime) -> bool:
    return visit.pk in written or visit.starts_at <= now or visit.client.keeps_their_therapist


def _may_take(
    therapist: Therapist,
    visit: Appointment,
    written: set[int],
    now: datetime,
    standing: Any,
) -> bool:
    if _stays(visit, written, now):
        return therapist.pk == visit.therapist_id
    day = timezone.localtime(visit.starts_at, visit.practice.zone).date()
    return therapist.pk == visit.therapist_id or may_give(therapist, visit, standing(day))


def _driving_by_therapist(
    assigned: list[tuple[int, datetime, Appointment]],
    homes: dict[int, Stop],
    practice: Practice,
    backend: TravelBackend,
) -> dict[int, int]:
    """Each therapist's week of driving: each day from their start point through their
    visits in time order and back."""
    days: dict[tuple[int, date], list[tuple[datetime, Appointment]]] = {}
    for therapist_id, start, visit in assigned:
        day = timezone.localtime(start, practice.zone).date()
        days.setdefault((therapist_id, day), []).append((start, visit))
    minutes: dict[int, int] = {}
    for (therapist_id, _day), day_visits in days.items():
        ordered = sorted(day_visits, key=lambda pair: pair[0])
        route = [homes[therapist_id], *(visit_stop(visit) for _start, visit in ordered)]
        route.append(homes[therapist_id])
        minutes[therapist_id] = minutes.get(therapist_id, 0) + _route_minutes(route, backend)
    return minutes
