"""The waitlist through the API: join, list, withdraw, and accept an offer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from fascia.accounts.access import PUBLIC, SIGNED_IN
from fascia.api.booking import ERRORS, appointment_out
from fascia.api.lookups import client_for_booking, is_booking_staff, one_of, practice_of
from fascia.api.schemas import AddressIn, AppointmentOut
from fascia.practices.models import Location, Service, Therapist
from fascia.scheduling.booking import VisitAddress
from fascia.scheduling.models import WaitlistEntry, WaitlistStatus
from fascia.scheduling.waitlist import accept_waitlist_offer, join_waitlist, withdraw_from_waitlist
from fascia.validation import Day, Integer, Text

router = Router(tags=["waitlist"])


class WaitlistIn(Schema):
    service: Integer
    location: Integer
    earliest_date: Day
    latest_date: Day
    minutes: Integer | None = None
    therapist: Integer | None = Field(None, description="Omit for any therapist.")
    times_of_day: list[Text] = Field(
        default_factory=list, description="morning, afternoon, evening; empty for any time"
    )
    client: Integer | None = Field(None, description="Staff only: who is waiting.")
    address: AddressIn | None = Field(None, description="For in-home visits.")


class WaitlistOut(Schema):
    id: int
    client: int
    service: int
    minutes: int
    therapist: int | None
    location: int
    earliest_date: date
    latest_date: date
    times_of_day: list[str]
    status: str
    appointment: int | None
    created_at: datetime


class AcceptIn(Schema):
    accepts_cancellation_policy: bool = False


def _out(entry: WaitlistEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "client": entry.client_id,
        "service": entry.service_id,
        "minutes": entry.minutes,
        "therapist": entry.therapist_id,
        "location": entry.location_id,
        "earliest_date": entry.earliest_date,
        "latest_date": entry.latest_date,
        "times_of_day": entry.times_of_day,
        "status": entry.status,
        "appointment": entry.appointment_id,
        "created_at": entry.created_at,
    }


@router.post("/waitlist", response={201: WaitlistOut, **ERRORS}, auth=SIGNED_IN.api())
def join(request: HttpRequest, payload: WaitlistIn) -> Any:
    """Ask for an earlier time; a freed time that suits is offered by email and text."""
    service = Service.objects.filter(pk=payload.service).first()
    if service is None:
        raise HttpError(422, f"Unknown service {payload.service}.")
    practice = service.practice
    client = client_for_booking(request, practice, payload.client)
    entry = join_waitlist(
        practice,
        client=client,
        service=service,
        minutes=payload.minutes,
        location=one_of(Location, practice, payload.location, "location"),
        therapist=one_of(Therapist, practice, payload.therapist, "therapist")
        if payload.therapist is not None
        else None,
        earliest=payload.earliest_date,
        latest=payload.latest_date,
        times_of_day=payload.times_of_day,
        address=VisitAddress(
            payload.address.street,
            payload.address.city,
            payload.address.postal_code,
            payload.address.unit,
        )
        if payload.address
        else None,
        by=request.user,
        request=request,
    )
    return Status(201, _out(entry))


def _visible(request: HttpRequest) -> Any:
    practice = practice_of(request)
    entries = WaitlistEntry.objects.filter(practice=practice)
    if is_booking_staff(request, practice):
        return entries
    return entries.filter(client__user_id=request.user.pk)


@router.get("/waitlist", response={200: list[WaitlistOut], **ERRORS}, auth=SIGNED_IN.api())
def waiting(request: HttpRequest) -> Any:
    """Staff see the practice's waiting clients in order; a client sees their own requests."""
    entries = _visible(request).filter(status=WaitlistStatus.WAITING)
    return [_out(entry) for entry in entries]


@router.delete("/waitlist/{entry_id}", response={204: None, **ERRORS}, auth=SIGNED_IN.api())
def withdraw(request: HttpRequest, entry_id: Integer) -> Any:
    entry = _visible(request).filter(pk=entry_id).first()
    if entry is None:
        raise HttpError(404, _("No waitlist entry %(entry_id)s.") % {"entry_id": entry_id})
    withdraw_from_waitlist(entry, by=request.user, request=request)
    return Status(204, None)


@router.post(
    "/waitlist/offers/{token}/accept",
    response={201: AppointmentOut, **ERRORS},
    auth=PUBLIC.api(),
)
def accept(request: HttpRequest, token: Text, payload: AcceptIn) -> Any:
    """Book an offered time (the token from the offer's link is the key). 409 when it was
    taken meanwhile (the next client is offered it), 422 when the offer has lapsed."""
    appointment = accept_waitlist_offer(
        token,
        by=request.user,
        accepts_cancellation_policy=payload.accepts_cancellation_policy,
        request=request,
    )
    return Status(201, appointment_out(appointment))
