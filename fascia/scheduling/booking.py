"""Booking, moving, cancelling and checking in appointments: the only code that writes them.

Each action validates, then in one transaction locks the rows it depends on (location, then
therapist, in that order everywhere), re-checks the slot against fresh data, writes, and records
the audit entry. The database's no-overlap rules are the final arbiter: a booking that loses a
race raises SlotUnavailable and leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_lazy

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practice_words import in_each_language
from fascia.practices.models import (
    Location,
    Practice,
    Service,
    ServiceArea,
    ServiceDuration,
    Therapist,
)
from fascia.professional.standing import lapses
from fascia.scheduling.availability import Place, Slot, TravelTime, fits
from fascia.scheduling.errors import BookingError, NotServed, SlotUnavailable
from fascia.scheduling.geography import area_for, describe_days, locate_visit
from fascia.scheduling.models import (
    OCCUPYING_STATUSES,
    Appointment,
    BookingChannel,
    PolicyAcceptance,
    SlotHold,
    policy_digest,
)
from fascia.scheduling.permissions import refuse_unless_may_change
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
from fascia.scheduling.wording import day_text

# Which database rule a failed insert broke, and what to tell the person booking.
OVERLAP_RULES = {
    "appointment_therapist_no_overlap": gettext_lazy("The therapist was just booked at that time."),
    "appointment_room_no_overlap": gettext_lazy("No treatment room is free at that time any more."),
    "appointment_client_no_overlap": gettext_lazy(
        "The client already has an appointment at that time."
    ),
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


def policy_acceptance_needed(client: Client) -> bool:
    """The practice's cancellation policy must be accepted before the first booking (CMTO:
    fees for missed appointments must be disclosed first), and again after it changes. The
    policy is the same in English and in French: accepting either is accepting it."""
    texts = {
        text.strip()
        for text in in_each_language(lambda: client.practice.cancellation_policy).values()
        if text.strip()
    }
    if not texts:
        return False
    return not PolicyAcceptance.objects.filter(
        client=client, policy_digest__in=[policy_digest(text) for text in texts]
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
            gettext("An in-home visit needs the street address and postal code."), field="address"
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
            raise BookingError(gettext("Unknown %(what)s.") % {"what": name}, field=name)
    if not service.is_active or (not as_staff and not service.bookable_online):
        raise BookingError(
            gettext("%(service)s cannot be booked online.") % {"service": service.name},
            field="service",
        )
    duration = duration_for(service, minutes)
    if duration is None:
        lengths = ", ".join(str(d.minutes) for d in service.durations.all())
        raise BookingError(
            gettext("Choose a length for %(service)s: %(lengths)s minutes.")
            % {"service": service.name, "lengths": lengths},
            field="minutes",
        )
    if not offers(therapist, service):
        raise BookingError(
            gettext("%(therapist)s does not offer %(service)s.")
            % {"therapist": therapist.display_name, "service": service.name},
            field="therapist",
        )
    # Judged on the day of the visit: a registration or insurance that ends before then is
    # as good as lapsed for it.
    visit_day = max(
        timezone.localdate(now, timezone=practice.zone),
        timezone.localdate(start, timezone=practice.zone)
        if timezone.is_aware(start)
        else now.date(),
    )
    lapsed = lapses(therapist, visit_day)
    if lapsed:
        raise BookingError(
            gettext("%(name)s cannot be booked for that day: %(why)s")
            % {"name": therapist.display_name, "why": " ".join(lapsed)},
            field="therapist",
        )
    if not location_offers(location, service):
        raise BookingError(
            gettext("%(service)s is not offered at %(location)s.")
            % {"service": service.name, "location": location.name},
            field="location",
        )
    if timezone.is_naive(start):
        raise BookingError(gettext("Give the start time with its time zone offset."), field="start")
    if start <= now:
        raise BookingError(gettext("That time has already passed."), field="start")
    window = booking_window(practice, as_staff=as_staff, now=now)
    if start < window.start:
        hours = practice.minimum_notice_minutes / 60
        raise BookingError(
            gettext(
                "Online bookings need at least %(hours)s hours' notice; please call the clinic "
                "for anything sooner."
            )
            % {"hours": f"{hours:g}"},
            field="start",
        )
    if start > window.end:
        days = (window.end - now).days
        raise BookingError(
            gettext("Bookings open %(days)s days ahead.") % {"days": days}, field="start"
        )
    return duration


def check_request(practice: Practice, booking: BookingRequest, now: datetime) -> ServiceDuration:
    if booking.client.practice_id != practice.pk:
        raise BookingError(gettext("Unknown client."), field="client")
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
        raise BookingError(gettext("Give both ends of the client's time window."), field="window")
    if booking.window_ends_at <= booking.window_starts_at:
        raise BookingError(gettext("The time window must end after it starts."), field="window")
    minutes = timedelta(minutes=booking.minutes or 0)
    if not (booking.window_starts_at <= booking.start <= booking.window_ends_at - minutes):
        raise BookingError(
            gettext("The visit must lie within the client's time window."), field="window"
        )
    return TimeRange(booking.window_starts_at, booking.window_ends_at)


def lock_for_booking(locations: list[Location], therapists: list[Therapist]) -> None:
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


def find_fit(
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
            gettext("%(therapist)s is not working at %(location)s on %(day)s.")
            % {
                "therapist": therapist.display_name,
                "location": location.name,
                "day": day_text(start.astimezone(practice.zone)),
            }
        )
    if (
        place.is_home
        and place.area_id is not None
        and day not in area_days(place.area_id, day, day)
    ):
        area = ServiceArea.objects.get(pk=place.area_id)
        raise SlotUnavailable(
            gettext("Home visits in %(area)s are on %(days)s; please choose another day.")
            % {"area": area.name, "days": describe_days(area) or gettext("other days")}
        )
    blocked = schedule.start_blocked(location.pk, start) if location.is_mobile else None
    if blocked is not None:
        raise SlotUnavailable(
            gettext(
                "In-home visits do not start between %(from)s and %(until)s that day (traffic); "
                "please choose another time."
            )
            % {"from": f"{blocked.starts:%H:%M}", "until": f"{blocked.ends:%H:%M}"}
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
        raise SlotUnavailable(gettext("That time is no longer available. Please choose another."))
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


def client_is_free(client: Client, slot: Slot, ignore_appointment_id: int | None = None) -> None:
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
        raise SlotUnavailable(gettext("The client already has an appointment at that time."))


def raise_for_overlap(error: IntegrityError) -> None:
    text = str(error)
    for rule, message in OVERLAP_RULES.items():
        if rule in text:
            raise SlotUnavailable(str(message)) from error


def announce_change(appointment: Appointment, event: str) -> None:
    from fascia.scheduling.messages import queue_appointment_message

    transaction.on_commit(lambda: queue_appointment_message(appointment, event))


def announce_freed_time(
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
    refuse_unless_may_change(
        practice, booking.client.user_id, booking.by, as_staff=booking.as_staff
    )
    if not booking.as_staff and not practice.booking_open:
        raise BookingError(gettext("This practice is not taking online bookings yet."))
    if booking.idempotency_key:
        replay = _replay(practice, booking)
        if replay is not None:
            return replay
    duration = check_request(practice, booking, now)
    home_visit = locate_home_visit(booking.location, booking.address)
    address = home_visit.address if home_visit else None
    window = _check_window(booking)
    needs_acceptance = policy_acceptance_needed(booking.client)
    if needs_acceptance and not booking.accepts_cancellation_policy:
        raise BookingError(
            gettext("Please read and accept the cancellation policy before booking: ")
            + practice.cancellation_policy,
            field="accepts_cancellation_policy",
        )
    place = visit_place(booking.location, home_visit.place if home_visit else None)
    travel = travel or TravelTimes()
    try:
        with transaction.atomic():
            lock_for_booking([booking.location], [booking.therapist])
            slot = find_fit(
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
            client_is_free(booking.client, slot)
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
            announce_change(appointment, "booked")
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
            gettext("This idempotency key was already used for a different booking."),
            field="idempotency_key",
        )
    return BookingResult(earlier, False, [])
