"""Booking, moving, cancelling and checking in appointments: the only code that writes them.

Each action validates, then in one transaction locks the rows it depends on (location, then
therapist, in that order everywhere), re-checks the slot against fresh data, writes, and records
the audit entry. The database's no-overlap rules are the final arbiter: a booking that loses a
race raises SlotUnavailable and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
from fascia.scheduling.errors import BookingError, NotServed, SlotUnavailable, TooManyHolds
from fascia.scheduling.geography import area_for, describe_days, locate_visit
from fascia.scheduling.models import (
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    PolicyAcceptance,
    SlotHold,
    policy_digest,
)
from fascia.scheduling.physiotherapy import physiotherapy_warnings
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
from fascia.scheduling.signals import time_freed
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


def booking_warnings(client: Client, start: datetime, service: Service) -> list[str]:
    """Gentle warnings shown with a booking: physiotherapy the same day, and what other apps
    add through settings.FASCIA_BOOKING_WARNINGS (the record's alerts against the service,
    billing's missing referral note…); each hook takes (client, start, service)."""
    warnings = physiotherapy_warnings(client, start)
    for path in getattr(settings, "FASCIA_BOOKING_WARNINGS", []):
        warnings += import_string(path)(client, start, service)
    return warnings


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


def check_offer_and_time(
    practice: Practice,
    *,
    service: Service,
    therapist: Therapist,
    location: Location,
    start: datetime,
    minutes: int | None,
    as_staff: bool,
    now: datetime,
) -> ServiceDuration:
    """What every booking, move and hold must satisfy before a time is looked at: the service
    is offered (online, unless staff book it) by this therapist at this location, in one of its
    lengths, and the start is a real future moment inside the booking window."""
    for record, name in ((service, "service"), (therapist, "therapist"), (location, "location")):
        if record.practice_id != practice.pk:
            raise BookingError(f"Unknown {name}.", field=name)
    if not service.is_active or (not as_staff and not service.bookable_online):
        raise BookingError(f"{service.name} cannot be booked online.", field="service")
    duration = duration_for(service, minutes)
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
    if timezone.is_naive(start):
        raise BookingError("Give the start time with its time zone offset.", field="start")
    if start <= now:
        raise BookingError("That time has already passed.", field="start")
    window = booking_window(practice, as_staff=as_staff, now=now)
    if start < window.start:
        hours = practice.minimum_notice_minutes / 60
        raise BookingError(
            f"Online bookings need at least {hours:g} hours' notice; please "
            "call the clinic for anything sooner.",
            field="start",
        )
    if start > window.end:
        days = (window.end - now).days
        raise BookingError(f"Bookings open {days} days ahead.", field="start")
    return duration


def _check_request(practice: Practice, booking: BookingRequest, now: datetime) -> ServiceDuration:
    if booking.client.practice_id != practice.pk:
        raise BookingError("Unknown client.", field="client")
    return check_offer_and_time(
        practice,
        service=booking.service,
        therapist=booking.therapist,
        location=booking.location,
        start=booking.start,
        minutes=booking.minutes,
        as_staff=booking.as_staff,
        now=now,
    )


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


def _lock(locations: list[Location], therapists: list[Therapist]) -> None:
    """Serialise bookings that could compete for the same room or therapist. Always the
    locations first, then therapists, each by id, so two transactions never wait on each
    other."""
    list(
        Location.objects.select_for_update()
        .filter(pk__in=sorted({location.pk for location in locations}))
        .order_by("pk")
    )
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
    """A time given up is announced once the change is saved (the waitlist offers it on)."""
    transaction.on_commit(
        lambda: time_freed.send(
            sender=Appointment,
            practice=practice,
            therapist=therapist,
            location=location,
            start=start,
        )
    )


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
            _lock([booking.location], [booking.therapist])
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
    return BookingResult(
        appointment, True, booking_warnings(booking.client, slot.start, booking.service)
    )


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


@dataclass(frozen=True)
class Move:
    """One visit's new time (and perhaps therapist or location) in a move."""

    appointment: Appointment
    start: datetime
    therapist: Therapist | None = None
    location: Location | None = None
    expected_start: datetime | None = None  # refused if the visit has moved since


# While a move is written, the visits being moved step out of the way so they can trade
# places: each waits as a one-second span at this moment plus two seconds per id, a time no
# visit occupies (the no-overlap rules never see two of them meet, nor any real visit).
_STEPPED_ASIDE = datetime(1970, 1, 1, tzinfo=UTC)


def _window_for_move(appointment: Appointment, start: datetime, zone: Any) -> TimeRange | None:
    """The client's stated window still applies on its own day (the visit must stay inside
    it); a visit moved to another day leaves that day's window behind."""
    if appointment.window_starts_at is None or appointment.window_ends_at is None:
        return None
    if start.astimezone(zone).date() != appointment.window_starts_at.astimezone(zone).date():
        return None
    if not (
        appointment.window_starts_at <= start
        and start + appointment.duration <= appointment.window_ends_at
    ):
        raise BookingError(
            f"The new time is outside {appointment.client.display_name}'s window.",
            field="window",
        )
    return TimeRange(appointment.window_starts_at, appointment.window_ends_at)


def move_appointments(
    practice: Practice,
    moves: list[Move],
    *,
    by: Any = None,
    as_staff: bool = False,
    request: Any = None,
    reason: str = "",
    hold_token: str | None = None,
    travel: TravelTime | None = None,
    now: datetime | None = None,
) -> list[BookingResult]:
    """Move booked visits to new times, all or none: the one way appointments change time.

    Every new time is checked as a booking would be (working time, breaks, time off, the
    drive between home visits, rooms, the client's other visits), counting the visits already
    placed and ignoring the old times of the whole set. Clients are told and the freed times
    offered to the waitlist once the change is saved. The mover's own hold (`hold_token`)
    does not count against it."""
    now = now or timezone.now()
    travel = travel or TravelTimes()
    if not moves:
        return []
    if len({move.appointment.pk for move in moves}) != len(moves):
        raise BookingError("Each visit can be moved once in a change.")
    targets = []
    for move in moves:
        appointment = move.appointment
        if appointment.practice_id != practice.pk:
            raise BookingError("Unknown appointment.", field="appointment")
        therapist = move.therapist or appointment.therapist
        location = move.location or appointment.location
        _check_request(
            practice,
            BookingRequest(
                client=appointment.client,
                service=appointment.service,
                therapist=therapist,
                location=location,
                start=move.start,
                minutes=appointment.duration_minutes,
                as_staff=as_staff,
            ),
            now,
        )
        home = home_place_of(appointment)
        if location.is_mobile and home is None:
            raise BookingError(
                "Moving a clinic visit to an in-home visit needs an address; "
                "cancel and book the in-home visit instead.",
                field="location",
            )
        targets.append((move, therapist, location, visit_place(location, home)))
    ids = [move.appointment.pk for move in moves]
    locations = {location.pk: location for _, _, location, _ in targets}
    locations.update({move.appointment.location_id: move.appointment.location for move in moves})
    therapists = [therapist for _, therapist, _, _ in targets]
    therapists += [move.appointment.therapist for move in moves]
    results: list[BookingResult] = []
    try:
        with transaction.atomic():
            _lock(list(locations.values()), therapists)
            current = Appointment.objects.select_for_update().in_bulk(ids)
            for move in moves:
                fresh = current.get(move.appointment.pk)
                if fresh is None or fresh.status != AppointmentStatus.BOOKED:
                    status = fresh.get_status_display().lower() if fresh else "removed"
                    raise BookingError(f"A {status} appointment cannot be moved.")
                if move.expected_start is not None and fresh.starts_at != move.expected_start:
                    raise BookingError(
                        f"{fresh.client.display_name}'s visit changed since; reload and try again."
                    )
            if len(moves) > 1:
                for pk in ids:
                    aside = _STEPPED_ASIDE + timedelta(seconds=2 * pk)
                    until = aside + timedelta(seconds=1)
                    Appointment.objects.filter(pk=pk).update(
                        starts_at=aside, ends_at=until, busy_from=aside, busy_until=until
                    )
            for move, therapist, location, place in targets:
                appointment = current[move.appointment.pk]
                previous = appointment.starts_at
                old_therapist, old_location = appointment.therapist, appointment.location
                window = _window_for_move(appointment, move.start, practice.zone)
                slot = _find_fit(
                    practice,
                    therapist=therapist,
                    location=location,
                    start=move.start,
                    service=appointment.service,
                    minutes=appointment.duration_minutes,
                    place=place,
                    travel=travel,
                    now=now,
                    ignore_appointment_id=appointment.pk,
                    ignore_hold_token=hold_token,
                )
                _client_is_free(appointment.client, slot, ignore_appointment_id=appointment.pk)
                shape = visit_shape(appointment.service, appointment.duration_minutes)
                _, busy = shape.at(slot.start)
                appointment.therapist, appointment.location = therapist, location
                appointment.room_id = slot.room_id
                appointment.starts_at, appointment.ends_at = slot.start, slot.end
                appointment.busy_from, appointment.busy_until = busy.start, busy.end
                if window is None:
                    appointment.window_starts_at = appointment.window_ends_at = None
                appointment.save()
                moved_from = f"moved from {previous.astimezone(practice.zone):%Y-%m-%d %H:%M}"
                record_access(
                    practice=practice,
                    actor=by,
                    action=AuditAction.CHANGE,
                    record=appointment,
                    client=appointment.client,
                    request=request,
                    detail=f"{reason}: {moved_from}" if reason else moved_from,
                )
                _after_commit(appointment, "moved")
                _offer_freed_time_after_commit(practice, old_therapist, old_location, previous)
                results.append(BookingResult(appointment, False))
            if hold_token:
                SlotHold.objects.filter(practice=practice, token=hold_token).delete()
    except IntegrityError as error:
        raise_for_overlap(error)
        raise
    for result in results:
        visit = result.appointment
        result.warnings = booking_warnings(visit.client, visit.starts_at, visit.service)
    return results


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
    """Move one booked visit to another time (and perhaps therapist or clinic); clients may
    move their own only up to the practice's notice."""
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
    (result,) = move_appointments(
        practice,
        [Move(appointment, start, therapist, location)],
        by=by,
        as_staff=as_staff,
        request=request,
        hold_token=hold_token,
        travel=travel,
        now=now,
    )
    # The caller's instance reflects the move, as before.
    for name in (
        "therapist",
        "location",
        "room_id",
        "starts_at",
        "ends_at",
        "busy_from",
        "busy_until",
        "window_starts_at",
        "window_ends_at",
        "updated_at",
    ):
        setattr(appointment, name, getattr(result.appointment, name))
    return BookingResult(appointment, False, result.warnings)


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
    _refuse_if_treated(appointment, "cancelled")
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
    if status == AppointmentStatus.NO_SHOW:
        _refuse_if_treated(appointment, "marked a no-show")
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


# Live holds one address may keep at once (a household or a clinic's front desk behind one
# address books a few at a time; a crawler holding a week of times does not get far).
HOLDS_PER_ADDRESS = 5


def holder_digest(kind: str, key: object) -> str:
    """Who a hold is for, kept as a digest: a browser session's key is a secret."""
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()


def _refuse_if_treated(appointment: Appointment, becoming: str) -> None:
    """A visit whose treatment is on record (a signed note, say) happened: it cannot become a
    cancellation or a no-show. The record's own app says so through
    settings.FASCIA_TREATMENT_RECORDED."""
    for path in getattr(settings, "FASCIA_TREATMENT_RECORDED", []):
        recorded = import_string(path)(appointment)
        if recorded:
            raise BookingError(
                f"This visit cannot be {becoming}: {recorded} If the treatment stopped early, "
                "record that it ended early, with the reason."
            )


def end_treatment_early(
    appointment: Appointment,
    *,
    reason: str,
    minutes_given: int | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Appointment:
    """The treatment stopped before its booked end (the client felt unwell, had to leave): the
    visit happened, so it is completed, with the reason and how many minutes were given."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise BookingError("Say why the treatment ended early.", field="reason")
    if not appointment.has_started(now):
        raise BookingError("Only a visit that has started can end early.")
    if minutes_given is not None and not 0 < minutes_given <= appointment.duration_minutes:
        raise BookingError(
            f"Minutes given are between 1 and the {appointment.duration_minutes} booked.",
            field="minutes_given",
        )
    with transaction.atomic():
        updated = Appointment.objects.filter(pk=appointment.pk, status=appointment.status).update(
            status=AppointmentStatus.COMPLETED,
            completed_at=appointment.completed_at or now,
            ended_early_reason=reason[:300],
            minutes_given=minutes_given,
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
            detail=f"treatment ended early: {reason[:80]}",
        )
    return appointment


def hold_slot(
    practice: Practice,
    *,
    service: Service,
    minutes: int | None,
    therapist: Therapist,
    location: Location,
    start: datetime,
    home: Place | None = None,
    holder: str = "",
    address: str | None = None,
    as_staff: bool = False,
    travel: TravelTime | None = None,
    hold_minutes: int | None = None,
    now: datetime | None = None,
) -> SlotHold:
    """Keep a time aside (for `practice.slot_hold_minutes` unless told otherwise) while a
    client completes booking. The time must be one that could be booked now (the same checks
    as booking). One live hold per `holder` (a browser session or a person): a new one releases
    the old; and at most HOLDS_PER_ADDRESS live holds from one network `address`."""
    now = now or timezone.now()
    duration = check_offer_and_time(
        practice,
        service=service,
        therapist=therapist,
        location=location,
        start=start,
        minutes=minutes,
        as_staff=as_staff,
        now=now,
    )
    place = visit_place(location, home)
    with transaction.atomic():
        _lock([location], [therapist])
        if holder:
            SlotHold.objects.filter(practice=practice, holder=holder).delete()
        if address and not as_staff:
            live = SlotHold.objects.filter(requested_from=address, expires_at__gt=now).count()
            if live >= HOLDS_PER_ADDRESS:
                raise TooManyHolds(
                    "Too many times are being held from your network; finish a booking or "
                    "wait a few minutes."
                )
        slot = _find_fit(
            practice,
            therapist=therapist,
            location=location,
            start=start,
            service=service,
            minutes=duration.minutes,
            place=place,
            travel=travel or TravelTimes(),
            now=now,
        )
        _, busy = visit_shape(service, duration.minutes).at(slot.start)
        return SlotHold.objects.create(
            visit_postal_code=place.postal_code,
            visit_latitude=place.latitude if place.is_home else None,
            visit_longitude=place.longitude if place.is_home else None,
            practice=practice,
            token=secrets.token_urlsafe(24),
            holder=holder,
            requested_from=address,
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
