"""The mobile day through the API: a therapist's day with travel legs, the day planner, and
lone-worker check-ins."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from fascia.accounts.access import CLIENT_DIRECTORY
from fascia.accounts.practice_context import acts_for_therapist
from fascia.api.booking import ERRORS, appointment_out
from fascia.api.lookups import appointment_for, one_of, practice_of
from fascia.api.schemas import AppointmentOut
from fascia.audit.log import record_list_view
from fascia.mobile.day import Leg, therapist_day
from fascia.mobile.planner import DayPlan, apply_day_plan, propose_day_plan
from fascia.mobile.safety import check_in
from fascia.practices.models import Therapist
from fascia.scheduling.errors import NotPermitted
from fascia.validation import Day, Integer, Text

router = Router(tags=["mobile"])


class LegOut(Schema):
    origin: str
    destination: str
    destination_appointment: int | None
    minutes: int
    km: Decimal
    leave_by: datetime | None


class DayOut(Schema):
    therapist: int
    date: date
    drive_minutes: int
    drive_km: Decimal
    appointments: list[AppointmentOut]
    legs: list[LegOut]


class PlanIn(Schema):
    date: Day


class ApplyIn(Schema):
    date: Day
    fingerprint: Text


class PlannedOut(Schema):
    appointment: int
    start: datetime
    previous_start: datetime


class PlanOut(Schema):
    fingerprint: str
    booked_minutes: int
    planned_minutes: int
    saved_minutes: int
    booked_km: Decimal
    planned_km: Decimal
    saved_km: Decimal
    solve_ms: float
    visits: list[PlannedOut]


class AppliedOut(Schema):
    moved: list[int]
    saved_minutes: int


class CheckInIn(Schema):
    kind: Text


class CheckInOut(Schema):
    id: int
    appointment: int
    kind: str
    at: datetime


def _therapist(request: HttpRequest, therapist_id: int) -> Therapist:
    return one_of(Therapist, practice_of(request), therapist_id, "therapist")


def _leg_out(leg: Leg, zone: Any) -> dict[str, Any]:
    return {
        "origin": leg.origin.label,
        "destination": leg.destination.label,
        "destination_appointment": leg.destination.appointment.pk
        if leg.destination.appointment
        else None,
        "minutes": leg.minutes,
        "km": leg.km,
        "leave_by": leg.leave_by.astimezone(zone) if leg.leave_by else None,
    }


def _plan_out(plan: DayPlan) -> dict[str, Any]:
    zone = plan.therapist.practice.zone
    return {
        "fingerprint": plan.fingerprint,
        "booked_minutes": plan.booked_minutes,
        "planned_minutes": plan.planned_minutes,
        "saved_minutes": plan.saved_minutes,
        "booked_km": plan.booked_km,
        "planned_km": plan.planned_km,
        "saved_km": plan.saved_km,
        "solve_ms": round(plan.solve_ms, 1),
        "visits": [
            {
                "appointment": v.appointment.pk,
                "start": v.start.astimezone(zone),
                "previous_start": v.previous_start.astimezone(zone),
            }
            for v in plan.visits
        ],
    }


@router.get(
    "/therapists/{therapist_id}/day",
    response={200: DayOut, **ERRORS},
    auth=CLIENT_DIRECTORY.api(),
)
def therapist_day_view(request: HttpRequest, therapist_id: Integer, date: Day) -> Any:
    """A therapist's day: visits in order and the drive before, between and after them."""
    therapist = _therapist(request, therapist_id)
    day = therapist_day(therapist, date)
    record_list_view(
        request,
        (visit.client for visit in day.visits),
        record_type="mobile.day",
        detail=f"{therapist.display_name}'s day {date.isoformat()} (API)",
    )
    zone = therapist.practice.zone
    return {
        "therapist": therapist.pk,
        "date": date,
        "drive_minutes": day.drive_minutes,
        "drive_km": day.drive_km,
        "appointments": [appointment_out(visit) for visit in day.visits],
        "legs": [_leg_out(leg, zone) for leg in day.legs],
    }


@router.post(
    "/therapists/{therapist_id}/day/plan",
    response={200: PlanOut, **ERRORS},
    auth=CLIENT_DIRECTORY.api(),
)
def plan_day(request: HttpRequest, therapist_id: Integer, payload: PlanIn) -> Any:
    """Propose the order and times that drive least while every client's window holds.
    Nothing changes until `/day/plan/apply` is called with the plan's fingerprint."""
    therapist = _therapist(request, therapist_id)
    return _plan_out(propose_day_plan(therapist, payload.date))


@router.post(
    "/therapists/{therapist_id}/day/plan/apply",
    response={200: AppliedOut, **ERRORS},
    auth=CLIENT_DIRECTORY.api(),
)
def apply_plan(request: HttpRequest, therapist_id: Integer, payload: ApplyIn) -> Any:
    """The therapist confirms a plan: all its moves are made, or none (409 when the day
    changed since it was proposed)."""
    therapist = _therapist(request, therapist_id)
    if not acts_for_therapist(request.user, therapist):
        raise NotPermitted(_("Only the therapist (or the owner) plans their day."))
    plan = propose_day_plan(therapist, payload.date)
    if plan.fingerprint != payload.fingerprint:
        raise HttpError(409, _("The day changed since this plan was made; ask for a new plan."))
    moved = apply_day_plan(plan, fingerprint=payload.fingerprint, by=request.user, request=request)
    return {"moved": [a.pk for a in moved], "saved_minutes": plan.saved_minutes}


@router.post(
    "/appointments/{appointment_id}/check-ins",
    response={201: CheckInOut, **ERRORS},
    auth=CLIENT_DIRECTORY.api(),
)
def record_check_in(request: HttpRequest, appointment_id: Integer, payload: CheckInIn) -> Any:
    """Lone-worker safety: "on_my_way", "arrived" or "finished_safe" for a home visit."""
    appointment, as_staff = appointment_for(request, appointment_id)
    if not as_staff:
        raise HttpError(
            404, _("No appointment %(appointment_id)s.") % {"appointment_id": appointment_id}
        )
    entry = check_in(appointment, payload.kind, by=request.user, request=request)
    return Status(
        201,
        {
            "id": entry.pk,
            "appointment": appointment.pk,
            "kind": entry.kind,
            "at": entry.at.astimezone(appointment.practice.zone),
        },
    )
