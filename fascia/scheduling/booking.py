"""Booking, moving, cancelling and checking in appointments: the only code that writes them.

Each action validates, then in one transaction locks the rows it depends on (location, then
therapist, in that order everywhere), re-checks the slot against fresh data, writes, and records
the audit entry. The database's no-overlap rules are the final arbiter: a booking that loses a
race raises SlotUnavailable and leaves nothing behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.models import (
    Location,
    Practice,
    Service,
    ServiceArea,
    ServiceDuration,
    Therapist,
)
from fascia.scheduling.availability import Place, Slot, TravelTime, fits
from fascia.scheduling.errors import BookingError, NotServed, SlotUnavailable
from fascia.scheduling.geography import area_for, describe_days, locate_visit
from fascia.scheduling.models import (
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    PhysiotherapyAppointment,
    PolicyAcceptance,
    SlotHold,
    policy_digest,
)
from fascia.scheduling.schedule import (
    area_days,
    booking_window,
    duration_for,
    load_schedule,
    location_offers,
    offers,
    visit_place,
    visit_shape,
)
from fascia.scheduling.timeranges import TimeRange
from fascia.scheduling.travel import TravelFee, TravelTimes, travel_fee

# Which database rule a failed insert broke, and what to tell the person booking.
OVERLAP_RULES = {
    "appointment_therapist_no_overlap": "The therapist was just booked at that time.",
    "appointment_room_no_overlap": "No treatment room is free at that time any more.",
    "appointment_client_no_overlap": "The client already has an appointment at that time.",
}


@dataclass(frozen=True)
class VisitAddress:
    street: str
    city: str
    postal_code: str
    unit: str = ""


@dataclass
class BookingRequest:
    client: Client
    service: Service
    therapist: Therapist
    location: Location
    start: datetime
    minutes: int | None = None
    by: Any = None
    as_staff: bool = False
    channel: str = BookingChannel.ONLINE
    idempotency_key: str | None = None
    hold_token: str | None = None
    accepts_cancellation_policy: bool = False
    acceptance_channel: str = PolicyAcceptance.Channel.ONLINE
    address: VisitAddress | None = None
    front_desk_note: str = ""
    request: Any = None
    window_starts_at: datetime | None = None  # when the client said they can be seen
    window_ends_at: datetime | None = None


@dataclass
class BookingResult:
    appointment: Appointment
    created: bool
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Rules


def policy_acceptance_needed(client: Client) -> bool:
    """The practice's cancellation policy must be accepted before the first booking (CMTO:
    fees for missed appointments must be disclosed first), and again after it changes."""
    text = client.practice.cancellation_policy.strip()
    if not text:
        return False
    return not PolicyAcceptance.objects.filter(
        client=client, policy_digest=policy_digest(text)
    ).exists()


def accept_cancellation_policy(
    client: Client, *, by: Any, channel: str, request: Any = None
) -> PolicyAcceptance:
    text = client.practice.cancellation_policy.strip()
    acceptance = PolicyAcceptance.objects.create(
        practice=client.practice,
        client=client,
        policy_text=text,
        policy_digest=policy_digest(text),
        channel=channel,
        recorded_by=acting_user(by),
    )
    record_access(
        practice=client.practice,
        actor=by,
        action=AuditAction.CREATE,
        record=acceptance,
        client=client,
        request=request,
    )
    return acceptance


def booking_warnings(client: Client, start: datetime) -> list[str]:
    """Gentle warnings shown with a booking: physiotherapy the same day, and what other apps
    add through settings.FASCIA_BOOKING_WARNINGS (e.g. billing's missing referral note)."""
    warnings = physiotherapy_warnings(client, start)
    for path in getattr(settings, "FASCIA_BOOKING_WARNINGS", []):
        warnings += import_string(path)(client, start)
    return warnings


def physiotherapy_warnings(client: Client, start: datetime) -> list[str]:
    """A gentle warning when massage falls on the same day as the client's physiotherapy:
    the usual advice is one or two days after."""
    zone = client.practice.zone
    day = start.astimezone(zone).date()
    same_day = [
        visit
        for visit in PhysiotherapyAppointment.objects.filter(
            client=client,
            starts_at__gte=start - timedelta(days=1),
            starts_at__lte=start + timedelta(days=1),
        )
        if visit.starts_at.astimezone(zone).date() == day
    ]
    if not same_day:
        return []
    visit = same_day[0]
    at = visit.starts_at.astimezone(zone)
    with_whom = f" with {visit.provider}" if visit.provider else ""
    one, two = day + timedelta(days=1), day + timedelta(days=2)
    return [
        f"There is a physiotherapy appointment{with_whom} that day at {at:%-I:%M %p}. Massage "
        f"usually works best a day or two after physiotherapy: consider {one:%A %B %-d} or "
        f"{two:%A %B %-d}."
    ]


@dataclass(frozen=True)
class HomeVisit:
    """An in-home visit's address, normalised and placed on the map, with its travel fee."""

    address: VisitAddress
    place: Place
    fee: TravelFee
    area_name: str


def locate_home_visit(location: Location, address: VisitAddress | None) -> HomeVisit | None:
    """For a mobile location, where the visit will be (NotServed when it cannot be); None for
    a clinic."""
    if not location.is_mobile:
        return None
    if address is None or not address.street.strip() or not address.postal_code.strip():
        raise BookingError(
            "An in-home visit needs the street address and postal code.", field="address"
        )
    visit = locate_visit(location, address.postal_code, street=address.street, city=address.city)
    return HomeVisit(
        VisitAddress(
            address.street.strip(), address.city.strip(), visit.postal_code, address.unit.strip()
        ),
        visit.place(location.pk),
        travel_fee(location, visit.point),
        visit.area.name,
    )


def _check_request(practice: Practice, booking: BookingRequest, now: datetime) -> ServiceDuration:
    service, therapist, location, client = (
        booking.service,
        booking.therapist,
        booking.location,
        booking.client,
    )
    for record, name in (
        (service, "service"),
        (therapist, "therapist"),
        (location, "location"),
        (client, "client"),
    ):
        if record.practice_id != practice.pk:
            raise BookingError(f"Unknown {name}.", field=name)
    if not service.is_active or (not booking.as_staff and not service.bookable_online):
        raise BookingError(f"{service.name} cannot be booked online.", field="service")
    duration = duration_for(service, booking.minutes)
    if duration is None:
        lengths = ", ".join(str(d.minutes) for d in service.durations.all())
        raise BookingError(
            f"Choose a length for {service.name}: {lengths} minutes.", field="minutes"
        )
    if not offers(therapist, service):
        raise BookingError(
            f"{therapist.display_name} does not offer {service.name}.", field="therapist"
        )
    if not location_offers(location, service):
        raise BookingError(f"{service.name} is not offered at {location.name}.", field="location")
    if timezone.is_naive(booking.start):
        raise BookingError("Give the start time with its time zone offset.", field="start")
    if booking.start <= now:
        raise BookingError("That time has already passed.", field="start")
    window = booking_window(practice, as_staff=booking.as_staff, now=now)
    if booking.start < window.start:
        hours = practice.minimum_notice_minutes / 60
        raise BookingError(
            f"Online bookings need at least {hours:g} hours' notice; please "
            "call the clinic for anything sooner.",
            field="start",
        )
    if booking.start > window.end:
        raise BookingError(
            f"Bookings open {practice.booking_window_days} days ahead.", field="start"
        )
    return duration


def _check_window(booking: BookingRequest) -> TimeRange | None:
    """The client's stated time window (for the day planner) must hold the visit."""
    if booking.window_starts_at is None and booking.window_ends_at is None:
        return None
    if booking.window_starts_at is None or booking.window_ends_at is None:
        raise BookingError("Give both ends of the client's time window.", field="window")
    if booking.window_ends_at <= booking.window_starts_at:
        raise BookingError("The time window must end after it starts.", field="window")
    minutes = timedelta(minutes=booking.minutes or 0)
    if not (booking.window_starts_at <= booking.start <= booking.window_ends_at - minutes):
        raise BookingError("The visit must lie within the client's time window.", field="window")
    return TimeRange(booking.window_starts_at, booking.window_ends_at)


def _lock(location: Location, *therapists: Therapist) -> None:
    """Serialise bookings that could compete for the same room or therapist. Always the
    location first, then therapists by id, so two transactions never wait on each other."""
    Location.objects.select_for_update().filter(pk=location.pk).first()
    ids = sorted({therapist.pk for therapist in therapists})
    list(Therapist.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _find_fit(
    practice: Practice,
    *,
    therapist: Therapist,
    location: Location,
    start: datetime,
    service: Service,
    minutes: int,
    place: Place,
    travel: TravelTime,
    now: datetime,
    ignore_appointment_id: int | None = None,
    ignore_hold_token: str | None = None,
) -> Slot:
    day = start.astimezone(practice.zone).date()
    schedule = load_schedule(
        practice,
        therapists=[therapist],
        locations=[location],
        first_day=day,
        last_day=day,
        ignore_appointment_id=ignore_appointment_id,
        ignore_hold_token=ignore_hold_token,
        now=now,
    )
    working = schedule.working.get((therapist.pk, location.pk), [])
    if not working:
        raise SlotUnavailable(
            f"{therapist.display_name} is not working at {location.name} "
            f"on {start.astimezone(practice.zone):%A %B %-d}."
        )
    if (
        place.is_home
        and place.area_id is not None
        and day not in area_days(place.area_id, day, day)
    ):
        area = ServiceArea.objects.get(pk=place.area_id)
        raise SlotUnavailable(
            f"Home visits in {area.name} are on {describe_days(area) or 'other days'}; "
            "please choose another day."
        )
    blocked = schedule.start_blocked(location.pk, start) if location.is_mobile else None
    if blocked is not None:
        raise SlotUnavailable(
            f"In-home visits do not start between {blocked.starts:%H:%M} and "
            f"{blocked.ends:%H:%M} that day (traffic); please choose another time."
        )
    slot = fits(
        start=start,
        therapist_id=therapist.pk,
        location_id=location.pk,
        shape=visit_shape(service, minutes),
        working=working,
        occupancy=schedule.occupancy_for(place, travel, location.pk),
    )
    if slot is None:
        raise SlotUnavailable("That time is no longer available. Please choose another.")
    return slot


def home_place_of(appointment: Appointment) -> Place | None:
    """Where an in-home appointment is, as booked; None for a clinic visit."""
    if not appointment.visit_postal_code:
        return None
    try:
        area = area_for(
            list(appointment.location.service_areas.all()), appointment.visit_postal_code
        )
    except NotServed:
        area = None  # the areas changed since it was booked
    return Place(
        appointment.location_id,
        appointment.visit_latitude,
        appointment.visit_longitude,
        appointment.visit_postal_code,
        area.pk if area else None,
    )


def _client_is_free(client: Client, slot: Slot, ignore_appointment_id: int | None = None) -> None:
    clash = (
        Appointment.objects.filter(
            client=client,
            status__in=OCCUPYING_STATUSES,
            starts_at__lt=slot.end,
            ends_at__gt=slot.start,
        )
        .exclude(pk=ignore_appointment_id or 0)
        .exists()
    )
    if clash:
        raise SlotUnavailable("The client already has an appointment at that time.")


def raise_for_overlap(error: IntegrityError) -> None:
    text = str(error)
    for rule, message in OVERLAP_RULES.items():
        if rule in text:
            raise SlotUnavailable(message) from error


def _after_commit(appointment: Appointment, event: str) -> None:
    from fascia.scheduling.messages import queue_appointment_message

    transaction.on_commit(lambda: queue_appointment_message(appointment, event))


def _offer_freed_time_after_commit(
    practice: Practice, therapist: Therapist, location: Location, start: datetime
) -> None:
    """A time given up goes to the waitlist once the change is saved."""
    from fascia.scheduling.waitlist import on_time_freed

    transaction.on_commit(lambda: on_time_freed(practice, therapist, location, start))


# ---------------------------------------------------------------------------------------------
# Actions


def book_appointment(
    practice: Practice,
    booking: BookingRequest,
    *,
    travel: TravelTime | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """Book a visit. Raises BookingError (422) or SlotUnavailable (409); nothing is saved then.

    With an idempotency key, repeating the same request returns the first appointment.
    """
    now = now or timezone.now()
    if booking.idempotency_key:
        replay = _replay(practice, booking)
        if replay is not None:
            return replay
    duration = _check_request(practice, booking, now)
    home_visit = locate_home_visit(booking.location, booking.address)
    address = home_visit.address if home_visit else None
    window = _check_window(booking)
    needs_acceptance = policy_acceptance_needed(booking.client)
    if needs_acceptance and not booking.accepts_cancellation_policy:
        raise BookingError(
            "Please read and accept the cancellation policy before booking: "
            + practice.cancellation_policy,
            field="accepts_cancellation_policy",
        )
    place = visit_place(booking.location, home_visit.place if home_visit else None)
    travel = travel or TravelTimes()
    try:
        with transaction.atomic():
            _lock(booking.location, booking.therapist)
            slot = _find_fit(
                practice,
                therapist=booking.therapist,
                location=booking.location,
                start=booking.start,
                service=booking.service,
                minutes=duration.minutes,
                place=place,
                travel=travel,
                now=now,
                ignore_hold_token=booking.hold_token,
            )
            _client_is_free(booking.client, slot)
            shape = visit_shape(booking.service, duration.minutes)
            _, busy = shape.at(slot.start)
            appointment = Appointment.objects.create(
                practice=practice,
                client=booking.client,
                therapist=booking.therapist,
                service=booking.service,
                duration_minutes=duration.minutes,
                price=duration.price,
                location=booking.location,
                room_id=slot.room_id,
                starts_at=slot.start,
                ends_at=slot.end,
                busy_from=busy.start,
                busy_until=busy.end,
                visit_street=address.street if address else "",
                visit_unit=address.unit if address else "",
                visit_city=address.city if address else "",
                visit_postal_code=address.postal_code if address else "",
                visit_latitude=place.latitude if home_visit else None,
                visit_longitude=place.longitude if home_visit else None,
                visit_access_notes=booking.client.home_access_notes if home_visit else "",
                travel_fee=home_visit.fee.amount if home_visit else Decimal("0.00"),
                travel_km=home_visit.fee.road_km if home_visit else None,
                window_starts_at=window.start if window else None,
                window_ends_at=window.end if window else None,
                booked_by=acting_user(booking.by),
                channel=booking.channel,
                idempotency_key=booking.idempotency_key or "",
                front_desk_note=booking.front_desk_note,
            )
            if needs_acceptance:
                accept_cancellation_policy(
                    booking.client,
                    by=booking.by,
                    channel=booking.acceptance_channel,
                    request=booking.request,
                )
            if booking.hold_token:
                SlotHold.objects.filter(practice=practice, token=booking.hold_token).delete()
            record_access(
                practice=practice,
                actor=booking.by,
                action=AuditAction.CREATE,
                record=appointment,
                client=booking.client,
                request=booking.request,
            )
            _after_commit(appointment, "booked")
    except IntegrityError as error:
        if booking.idempotency_key:
            replay = _replay(practice, booking)
            if replay is not None:
                return replay
        raise_for_overlap(error)
        raise
    return BookingResult(appointment, True, booking_warnings(booking.client, slot.start))


def _replay(practice: Practice, booking: BookingRequest) -> BookingResult | None:
    earlier = Appointment.objects.filter(
        practice=practice, idempotency_key=booking.idempotency_key
    ).first()
    if earlier is None:
        return None
    same = (earlier.client_id, earlier.therapist_id, earlier.starts_at) == (
        booking.client.pk,
        booking.therapist.pk,
        booking.start,
    )
    if not same:
        raise BookingError(
            "This idempotency key was already used for a different booking.",
            field="idempotency_key",
        )
    return BookingResult(earlier, False, [])


def reschedule_appointment(
    appointment: Appointment,
    *,
    start: datetime,
    therapist: Therapist | None = None,
    location: Location | None = None,
    by: Any = None,
    as_staff: bool = False,
    request: Any = None,
    hold_token: str | None = None,
    travel: TravelTime | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """Move a booked visit to another time (and perhaps therapist or clinic). The mover's own
    hold on the new time (`hold_token`) does not count against it."""
    now = now or timezone.now()
    practice = appointment.practice
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError(
            f"A {appointment.get_status_display().lower()} appointment cannot be moved."
        )
    if not as_staff and appointment.starts_at - now < practice.cancellation_notice:
        raise BookingError(
            f"Appointments can be moved online up to "
            f"{practice.cancellation_notice_hours} hours before; please call "
            "the clinic."
        )
    therapist = therapist or appointment.therapist
    location = location or appointment.location
    check = BookingRequest(
        client=appointment.client,
        service=appointment.service,
        therapist=therapist,
        location=location,
        start=start,
        minutes=appointment.duration_minutes,
        as_staff=as_staff,
    )
    _check_request(practice, check, now)
    home = home_place_of(appointment)
    if location.is_mobile and home is None:
        raise BookingError(
            "Moving a clinic visit to an in-home visit needs an address; "
            "cancel and book the in-home visit instead.",
            field="location",
        )
    place = visit_place(location, home)
    travel = travel or TravelTimes()
    previous = appointment.starts_at
    old_therapist, old_location = appointment.therapist, appointment.location
    try:
        with transaction.atomic():
            _lock(location, therapist, appointment.therapist)
            slot = _find_fit(
                practice,
                therapist=therapist,
                location=location,
                start=start,
                service=appointment.service,
                minutes=appointment.duration_minutes,
                place=place,
                travel=travel,
                now=now,
                ignore_appointment_id=appointment.pk,
                ignore_hold_token=hold_token,
            )
            _client_is_free(appointment.client, slot, ignore_appointment_id=appointment.pk)
            _, busy = visit_shape(appointment.service, appointment.duration_minutes).at(slot.start)
            appointment.therapist, appointment.location = therapist, location
            appointment.room_id = slot.room_id
            appointment.starts_at, appointment.ends_at = slot.start, slot.end
            appointment.busy_from, appointment.busy_until = busy.start, busy.end
            appointment.save()
            if hold_token:
                SlotHold.objects.filter(practice=practice, token=hold_token).delete()
            record_access(
                practice=practice,
                actor=by,
                action=AuditAction.CHANGE,
                record=appointment,
                client=appointment.client,
                request=request,
                detail=f"moved from {previous.astimezone(practice.zone):%Y-%m-%d %H:%M}",
            )
            _after_commit(appointment, "moved")
            _offer_freed_time_after_commit(practice, old_therapist, old_location, previous)
    except IntegrityError as error:
        raise_for_overlap(error)
        raise
    return BookingResult(appointment, False, booking_warnings(appointment.client, slot.start))


def cancel_appointment(
    appointment: Appointment,
    *,
    by: Any = None,
    reason: str = "",
    as_staff: bool = False,
    by_practice: bool = False,
    request: Any = None,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a booked visit. Inside the practice's notice window it is a late cancellation
    and the policy's fee is flagged, unless the practice itself cancelled."""
    now = now or timezone.now()
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError(
            f"This appointment is already {appointment.get_status_display().lower()}."
        )
    if appointment.starts_at <= now and not as_staff:
        raise BookingError("This appointment has already started.")
    late = appointment.starts_at - now < appointment.practice.cancellation_notice
    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.BOOKED
        ).update(
            status=AppointmentStatus.LATE_CANCELLED if late else AppointmentStatus.CANCELLED,
            cancelled_at=now,
            cancelled_by=acting_user(by),
            cancellation_reason=reason[:300],
            late_cancellation_fee_due=late and not by_practice,
            updated_at=now,
        )
        if updated != 1:
            raise BookingError("This appointment was changed by someone else; reload it.")
        appointment.refresh_from_db()
        record_access(
            practice=appointment.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=appointment,
            client=appointment.client,
            request=request,
            detail="late cancellation" if late else "cancelled",
        )
        _after_commit(appointment, "cancelled")
        _offer_freed_time_after_commit(
            appointment.practice, appointment.therapist, appointment.location, appointment.starts_at
        )
    return appointment


# Which status may follow which, and the earliest moment (relative to the start) it may.
_TRANSITIONS: dict[str, tuple[tuple[str, ...], Callable[[Appointment, datetime], bool]]] = {
    AppointmentStatus.ARRIVED: (
        (AppointmentStatus.BOOKED,),
        lambda appt, now: now >= appt.starts_at - timedelta(hours=2),
    ),
    AppointmentStatus.COMPLETED: (
        (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED),
        lambda appt, now: now >= appt.starts_at,
    ),
    AppointmentStatus.NO_SHOW: (
        (AppointmentStatus.BOOKED,),
        lambda appt, now: now >= appt.starts_at,
    ),
}


def set_attendance(
    appointment: Appointment,
    status: str,
    *,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Appointment:
    """Mark a visit arrived, completed or a no-show (which flags the policy's fee)."""
    now = now or timezone.now()
    if status not in _TRANSITIONS:
        raise BookingError(f"Unknown attendance status {status!r}.")
    allowed_from, in_time = _TRANSITIONS[status]
    label = AppointmentStatus(status).label.lower()
    if appointment.status not in allowed_from:
        raise BookingError(
            f"A {appointment.get_status_display().lower()} appointment cannot be marked {label}."
        )
    if not in_time(appointment, now):
        raise BookingError(f"It is too early to mark this appointment {label}.")
    changes: dict[str, Any] = {"status": status, "updated_at": now}
    if status == AppointmentStatus.ARRIVED:
        changes["arrived_at"] = now
    elif status == AppointmentStatus.COMPLETED:
        changes["completed_at"] = now
    else:
        changes["late_cancellation_fee_due"] = True
    with transaction.atomic():
        updated = Appointment.objects.filter(pk=appointment.pk, status=appointment.status).update(
            **changes
        )
        if updated != 1:
            raise BookingError("This appointment was changed by someone else; reload it.")
        appointment.refresh_from_db()
        record_access(
            practice=appointment.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=appointment,
            client=appointment.client,
            request=request,
            detail=f"marked {label}",
        )
    return appointment


def hold_slot(
    practice: Practice,
    *,
    service: Service,
    minutes: int,
    therapist: Therapist,
    location: Location,
    start: datetime,
    home: Place | None = None,
    travel: TravelTime | None = None,
    hold_minutes: int | None = None,
    now: datetime | None = None,
) -> SlotHold:
    """Keep a time aside (for `practice.slot_hold_minutes` unless told otherwise) while a
    client completes booking."""
    now = now or timezone.now()
    place = visit_place(location, home)
    with transaction.atomic():
        _lock(location, therapist)
        slot = _find_fit(
            practice,
            therapist=therapist,
            location=location,
            start=start,
            service=service,
            minutes=minutes,
            place=place,
            travel=travel or TravelTimes(),
            now=now,
        )
        _, busy = visit_shape(service, minutes).at(slot.start)
        return SlotHold.objects.create(
            visit_postal_code=place.postal_code,
            visit_latitude=place.latitude if place.is_home else None,
            visit_longitude=place.longitude if place.is_home else None,
            practice=practice,
            token=secrets.token_urlsafe(24),
            therapist=therapist,
            location=location,
            room_id=slot.room_id,
            busy_from=busy.start,
            busy_until=busy.end,
            expires_at=now + timedelta(minutes=hold_minutes or practice.slot_hold_minutes),
        )


def release_expired_holds(now: datetime | None = None) -> int:
    """Remove holds whose time is up (they already stopped counting when they expired)."""
    deleted, _ = SlotHold.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
