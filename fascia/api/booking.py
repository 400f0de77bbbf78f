"""Availability, appointments, holds and physiotherapy visits over the API. Every write goes
through the scheduling actions; this module only translates HTTP to them and back."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from fascia.accounts.access import ANY_STAFF, BOOKING, PUBLIC, SIGNED_IN
from fascia.api.lookups import (
    appointment_for,
    client_for_booking,
    is_booking_staff,
    one_of,
    practice_of,
    require,
)
from fascia.api.prepared_availability import PreparedAvailability
from fascia.api.remembered_answers import offer_for_recall
from fascia.api.schemas import (
    AppointmentIn,
    AppointmentOut,
    AttendanceIn,
    AvailabilityOut,
    CancelIn,
    EndedEarlyIn,
    HoldIn,
    HoldOut,
    PhysiotherapyIn,
    PhysiotherapyOut,
    Problem,
    RescheduleIn,
)
from fascia.audit.log import record_search, record_view
from fascia.clients.models import Client
from fascia.practices.models import Location, Practice, Service, Therapist
from fascia.scheduling.attendance import (
    cancel_appointment,
    confirm_appointment,
    end_treatment_early,
    set_attendance,
)
from fascia.scheduling.booking import BookingRequest, VisitAddress, book_appointment
from fascia.scheduling.choices import anyone_by_start, sole_location
from fascia.scheduling.geography import describe_days, locate_visit
from fascia.scheduling.holds import hold_slot, holder_digest
from fascia.scheduling.models import Appointment, BookingChannel
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.physiotherapy import record_physiotherapy_visit
from fascia.scheduling.practice_setup import practice_setup
from fascia.scheduling.remembered import (
    Answer,
    Question,
    Scope,
    practice_of_service,
    remember,
)
from fascia.scheduling.schedule import (
    AvailabilityRequest,
    available_slots,
    booking_window,
    candidates,
    duration_for,
    worked_out_answer,
)
from fascia.scheduling.travel import travel_fee
from fascia.validation import Day, Integer, Text

router = Router(tags=["booking"])

MAX_RANGE_DAYS = 62
POSTAL_CODE_IN_TEXT = re.compile(r"\b([A-Za-z]\d[A-Za-z])\s?(\d[A-Za-z]\d)\b")
ERRORS: dict[int, type[Schema]] = {
    400: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
}


class AvailabilityQuery(Schema):
    service: Integer
    start: Day
    end: Day
    therapist: Integer | None = None
    location: Integer | None = None
    minutes: Integer | None = None
    postal_code: Text | None = None
    address: Text | None = None


def appointment_out(
    appointment: Appointment, warnings: list[str] | None = None, *, with_address: bool = True
) -> dict[str, Any]:
    """An appointment as the API gives it; `with_address=False` (the bookkeeper) leaves out
    where an in-home visit happens."""
    client = appointment.client
    zone = appointment.practice.zone  # times are given in the clinic's local time
    return {
        "id": appointment.pk,
        "client": client.pk,
        "client_name": client.display_name,
        "therapist": appointment.therapist_id,
        "therapist_name": appointment.therapist.display_name,
        "service": appointment.service_id,
        "service_name": appointment.service.name,
        "location": appointment.location_id,
        "room": appointment.room_id,
        "start": appointment.starts_at.astimezone(zone),
        "end": appointment.ends_at.astimezone(zone),
        "minutes": appointment.duration_minutes,
        "price": appointment.price,
        "status": appointment.status,
        "late_cancellation_fee_due": appointment.late_cancellation_fee_due,
        "travel_fee": appointment.travel_fee,
        "confirmed": appointment.confirmed_at is not None,
        "in_home_address": ", ".join(
            part
            for part in (
                appointment.visit_street,
                appointment.visit_city,
                appointment.visit_postal_code,
            )
            if part and with_address
        ),
        "warnings": warnings or [],
    }


def home_postal_code(postal_code: str | None, address: str | None) -> str | None:
    """The home's postal code, given alone or within an address; None for a clinic visit."""
    if postal_code:
        return postal_code
    if address:
        found = POSTAL_CODE_IN_TEXT.search(address)
        if found is None:
            raise HttpError(422, _("Include the postal code in the address (e.g. L6Y 0B3)."))
        return f"{found.group(1)} {found.group(2)}"
    return None


@router.get("/availability", response={200: AvailabilityOut, **ERRORS}, auth=PUBLIC.api())
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> Any:
    """Bookable start times for a service between two dates (inclusive), in the clinic's
    location(s), or at a client's home when a postal code or address is given."""
    practice_id = practice_of_service(query.service)
    if practice_id is None:
        raise HttpError(422, f"Unknown service {query.service}.")
    as_staff = is_booking_staff(request, practice_id)
    now = timezone.now()
    # A home visit's answer describes the area's days in the reader's language.
    language = translation.get_language() if (query.postal_code or query.address) else ""
    question = Question.of(
        "availability-question",
        (*query.model_dump().values(), as_staff, language),
        practice_id,
        Scope(query.start, query.end, query.therapist),
    )
    prepared = remember(
        question, now, lambda: _prepare_availability(practice_id, query, as_staff, now)
    )
    if not as_staff:
        offer_for_recall(request, question)
    window = booking_window(prepared.practice, as_staff=as_staff, now=now)
    return prepared.response(window.start, window.end)


def _prepare_availability(
    practice_id: int, query: AvailabilityQuery, as_staff: bool, now: datetime
) -> PreparedAvailability:
    """Check the question against the practice's set-up (422 with the reason) and answer it
    for whole days."""
    setup = practice_setup(practice_id)
    service = setup.active_service(query.service)
    if service is None:
        raise HttpError(422, f"Unknown service {query.service}.")
    practice = setup.practice
    require(query.end >= query.start, 422, _("The end date must not be before the start date."))
    require(
        (query.end - query.start).days < MAX_RANGE_DAYS,
        422,
        f"Ask for at most {MAX_RANGE_DAYS} days at a time.",
    )
    therapist = location = None
    if query.therapist is not None:
        therapist = setup.therapists.get(query.therapist)
        require(therapist is not None, 422, f"Unknown therapist {query.therapist}.")
    if query.location is not None:
        location = setup.location(query.location)
        require(location is not None, 422, f"Unknown location {query.location}.")
    duration = duration_for(service, query.minutes)
    if duration is None:
        raise HttpError(
            422,
            _("Give minutes: one of %(choices)s.")
            % {"choices": ", ".join(str(d.minutes) for d in service.durations.all())},
        )
    home_code = home_postal_code(query.postal_code, query.address)
    request_for = AvailabilityRequest(
        service=service,
        minutes=duration.minutes,
        first_day=query.start,
        last_day=query.end,
        therapist=therapist,
        location=location,
        as_staff=as_staff,
    )
    found = candidates(practice, request_for)
    locations = _locations_to_search(found[1], home_code)
    if home_code is None:
        # Every clinic at once: one schedule load for all of them.
        answer = (
            worked_out_answer(practice, request_for, now=now, chosen=found)
            if locations
            else Answer.merged([])
        )
        return PreparedAvailability.of(practice, answer)
    answers = []
    home_visit = None
    for place_location in locations:
        visit = locate_visit(place_location, home_code)
        fee = travel_fee(place_location, visit.point)
        home_visit = home_visit or {
            "location": place_location.pk,
            "postal_code": visit.postal_code,
            "area": visit.area.name,
            "days_served": describe_days(visit.area),
            "travel_fee": str(fee.amount),
            "road_km": str(fee.road_km) if fee.road_km is not None else None,
        }
        place = visit.place(place_location.pk)
        at_home = replace(request_for, location=place_location, place=place)
        answers.append(worked_out_answer(practice, at_home, now=now))
    return PreparedAvailability.of(practice, Answer.merged(answers), home_visit)


def _locations_to_search(locations: list[Location], home_code: str | None) -> list[Location]:
    if home_code is None:
        clinics = [location for location in locations if not location.is_mobile]
        require(
            clinics or not locations,
            422,
            _("This service is offered at home only: give a postal code or address."),
        )
        return clinics
    mobiles = [location for location in locations if location.is_mobile]
    require(mobiles or not locations, 422, _("This service is not offered at home."))
    return mobiles


@router.get("/appointments", response={200: list[AppointmentOut], **ERRORS}, auth=ANY_STAFF.api())
def list_appointments(
    request: HttpRequest,
    start: Day,
    end: Day,
    therapist: Integer | None = None,
    location: Integer | None = None,
) -> Any:
    """The practice's appointments between two dates (staff calendars)."""
    practice: Practice = request.practice  # type: ignore[attr-defined]
    require(
        end >= start and (end - start).days <= MAX_RANGE_DAYS,
        422,
        f"Give an end on or after the start, at most {MAX_RANGE_DAYS} days later.",
    )
    zone = practice.zone
    appointments = (
        Appointment.objects.for_practice(practice)
        .filter(
            starts_at__gte=datetime.combine(start, time.min, tzinfo=zone),
            starts_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
        )
        .select_related("client", "therapist", "service")
    )
    if therapist is not None:
        appointments = appointments.filter(therapist_id=therapist)
    if location is not None:
        appointments = appointments.filter(location_id=location)
    record_search(
        request,
        practice,
        record_type="scheduling.appointment",
        detail=f"calendar {start}..{end}",
    )
    with_address = is_booking_staff(request, practice)
    return [appointment_out(a, with_address=with_address) for a in appointments]


@router.post("/appointments", response={201: AppointmentOut, **ERRORS}, auth=SIGNED_IN.api())
def create_appointment(request: HttpRequest, payload: AppointmentIn, response: HttpResponse) -> Any:
    """Book an appointment. 201 with the appointment; 409 if the time was taken meanwhile.
    With an `idempotency_key`, repeating the request returns the same appointment."""
    service = Service.objects.filter(pk=payload.service).first()
    if service is None:
        raise HttpError(422, f"Unknown service {payload.service}.")
    practice = service.practice
    client = client_for_booking(request, practice, payload.client)
    as_staff = is_booking_staff(request, practice)
    location = _booking_location(practice, service, payload)
    therapist = (
        one_of(Therapist, practice, payload.therapist, "therapist")
        if payload.therapist is not None
        else _first_free_therapist(client, service, location, payload, as_staff)
    )
    address = (
        VisitAddress(
            payload.address.street,
            payload.address.city,
            payload.address.postal_code,
            payload.address.unit,
        )
        if payload.address
        else None
    )
    result = book_appointment(
        practice,
        BookingRequest(
            client=client,
            service=service,
            therapist=therapist,
            location=location,
            start=payload.start,
            minutes=payload.minutes,
            by=request.user,
            as_staff=as_staff,
            channel=BookingChannel.STAFF if as_staff else BookingChannel.API,
            idempotency_key=payload.idempotency_key,
            hold_token=payload.hold_token,
            accepts_cancellation_policy=payload.accepts_cancellation_policy,
            address=address,
            front_desk_note=payload.note if as_staff else "",
            window_starts_at=payload.window_start,
            window_ends_at=payload.window_end,
            request=request,
        ),
    )
    if not result.created:
        response["Idempotent-Replayed"] = "true"
    return Status(201, appointment_out(result.appointment, result.warnings))


def _booking_location(practice: Practice, service: Service, payload: AppointmentIn) -> Location:
    if payload.location is not None:
        return one_of(Location, practice, payload.location, "location")
    location = sole_location(practice, service, in_home=payload.address is not None)
    require(location is not None, 422, _("Say which location the appointment is at."))
    assert location is not None
    return location


def _first_free_therapist(
    client: Client, service: Service, location: Location, payload: AppointmentIn, as_staff: bool
) -> Therapist:
    """'Anyone': the therapist the booking pages would book at exactly that start."""
    practice = client.practice
    duration = duration_for(service, payload.minutes)
    require(duration is not None, 422, _("Give minutes for this service."))
    assert duration is not None
    day = payload.start.astimezone(practice.zone).date()
    home = (
        locate_visit(location, payload.address.postal_code).place(location.pk)
        if payload.address and location.is_mobile
        else None
    )
    slots = available_slots(
        practice,
        AvailabilityRequest(
            service=service,
            minutes=duration.minutes,
            first_day=day,
            last_day=day,
            location=location,
            place=home,
            as_staff=as_staff,
        ),
    )
    at_start = [slot for slot in slots if slot.start == payload.start]
    chosen = anyone_by_start(practice, at_start, place=home, client=client)
    require(chosen, 409, _("No therapist is free at that time any more. Please choose another."))
    return Therapist.objects.get(pk=chosen[payload.start])


@router.get(
    "/appointments/{appointment_id}", response={200: AppointmentOut, **ERRORS}, auth=SIGNED_IN.api()
)
def get_appointment(request: HttpRequest, appointment_id: Integer) -> Any:
    appointment, as_staff = appointment_for(request, appointment_id)
    record_view(request, appointment.client, record=appointment)
    own = appointment.client.user_id == request.user.pk
    return appointment_out(appointment, with_address=as_staff or own)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, **ERRORS},
    auth=SIGNED_IN.api(),
)
def cancel(request: HttpRequest, appointment_id: Integer, payload: CancelIn) -> Any:
    appointment, as_staff = appointment_for(request, appointment_id)
    cancel_appointment(
        appointment,
        by=request.user,
        reason=payload.reason,
        as_staff=as_staff,
        by_practice=as_staff and payload.by_practice,
        tell_client=payload.tell_client,
        request=request,
    )
    return appointment_out(appointment)


@router.post(
    "/appointments/{appointment_id}/reschedule",
    response={200: AppointmentOut, **ERRORS},
    auth=SIGNED_IN.api(),
)
def reschedule(request: HttpRequest, appointment_id: Integer, payload: RescheduleIn) -> Any:
    appointment, as_staff = appointment_for(request, appointment_id)
    practice = appointment.practice
    therapist = (
        one_of(Therapist, practice, payload.therapist, "therapist")
        if payload.therapist is not None
        else None
    )
    location = (
        one_of(Location, practice, payload.location, "location")
        if payload.location is not None
        else None
    )
    result = reschedule_appointment(
        appointment,
        start=payload.start,
        therapist=therapist,
        location=location,
        by=request.user,
        as_staff=as_staff,
        tell_client=payload.tell_client,
        request=request,
    )
    return appointment_out(result.appointment, result.warnings)


@router.post(
    "/appointments/{appointment_id}/attendance",
    response={200: AppointmentOut, **ERRORS},
    auth=BOOKING.api(),
)
def attendance(request: HttpRequest, appointment_id: Integer, payload: AttendanceIn) -> Any:
    """Staff mark a visit arrived, completed or no-show."""
    appointment, as_staff = appointment_for(request, appointment_id)
    require(as_staff, 403, _("Only the practice's staff mark attendance."))
    set_attendance(appointment, payload.status, by=request.user, request=request)
    return appointment_out(appointment)


@router.post(
    "/appointments/{appointment_id}/confirm",
    response={200: AppointmentOut, **ERRORS},
    auth=SIGNED_IN.api(),
)
def confirm(request: HttpRequest, appointment_id: Integer) -> Any:
    """The client confirms they are coming (themselves, or through the front desk)."""
    appointment, as_staff = appointment_for(request, appointment_id)
    confirm_appointment(appointment, by=request.user, as_staff=as_staff, request=request)
    return appointment_out(appointment)


@router.post(
    "/appointments/{appointment_id}/ended-early",
    response={200: AppointmentOut, **ERRORS},
    auth=BOOKING.api(),
)
def ended_early(request: HttpRequest, appointment_id: Integer, payload: EndedEarlyIn) -> Any:
    """The treatment stopped before its booked end: the visit is completed, with the reason
    (a visit with a signed note is never cancelled or a no-show)."""
    appointment, as_staff = appointment_for(request, appointment_id)
    require(as_staff, 403, _("Only the practice's staff record how a visit went."))
    end_treatment_early(
        appointment,
        reason=payload.reason,
        minutes_given=payload.minutes_given,
        by=request.user,
        request=request,
    )
    return appointment_out(appointment)


@router.post("/holds", response={201: HoldOut, **ERRORS}, auth=SIGNED_IN.api())
def create_hold(request: HttpRequest, payload: HoldIn) -> Any:
    """Keep a time aside for a few minutes while the booking is completed: a time that could be
    booked now. Each person keeps one live hold (a new one releases the old)."""
    service = Service.objects.filter(pk=payload.service).first()
    if service is None:
        raise HttpError(422, f"Unknown service {payload.service}.")
    practice = service.practice
    therapist = one_of(Therapist, practice, payload.therapist, "therapist")
    location = one_of(Location, practice, payload.location, "location")
    home = (
        locate_visit(location, payload.postal_code).place(location.pk)
        if location.is_mobile
        else None
    )
    hold = hold_slot(
        practice,
        service=service,
        minutes=payload.minutes,
        therapist=therapist,
        location=location,
        start=payload.start,
        home=home,
        holder=holder_digest("user", request.user.pk),
        address=request.META.get("REMOTE_ADDR"),
        as_staff=is_booking_staff(request, practice),
    )
    return Status(201, {"token": hold.token, "expires_at": hold.expires_at})


@router.post("/physiotherapy", response={201: PhysiotherapyOut, **ERRORS}, auth=SIGNED_IN.api())
def record_physiotherapy(request: HttpRequest, payload: PhysiotherapyIn) -> Any:
    """Record an upcoming physiotherapy visit, so massage can be booked a day or two after."""
    practice = practice_of(request)
    client = client_for_booking(request, practice, payload.client)
    visit = record_physiotherapy_visit(
        client,
        starts_at=payload.starts_at,
        provider=payload.provider,
        note=payload.note,
        by=request.user,
        request=request,
    )
    return Status(
        201,
        {
            "id": visit.pk,
            "client": client.pk,
            "starts_at": visit.starts_at.astimezone(practice.zone),
            "provider": visit.provider,
            "note": visit.note,
        },
    )
