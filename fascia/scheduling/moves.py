"""Moving booked visits: `move_appointments` (several at once, as the day planner does) and
`reschedule_appointment` (one, as a client or the front desk does). The one way an
appointment changes time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.practices.models import (
    Location,
    Practice,
    Therapist,
)
from fascia.scheduling.availability import TravelTime
from fascia.scheduling.booking import (
    BookingRequest,
    BookingResult,
    announce_change,
    announce_freed_time,
    booking_warnings,
    check_request,
    client_is_free,
    find_fit,
    home_place_of,
    lock_for_booking,
    raise_for_overlap,
)
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import (
    Appointment,
    AppointmentStatus,
    SlotHold,
)
from fascia.scheduling.permissions import refuse_unless_may_change
from fascia.scheduling.schedule import (
    visit_place,
    visit_shape,
)
from fascia.scheduling.timeranges import TimeRange
from fascia.scheduling.travel import TravelTimes


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
            _("The new time is outside %(client)s's window.")
            % {"client": appointment.client.display_name},
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
    tell_client: bool = True,
    now: datetime | None = None,
) -> list[BookingResult]:
    """Move booked visits to new times, all or none: the one way appointments change time.

    Every new time is checked as a booking would be (working time, breaks, time off, the
    drive between home visits, rooms, the client's other visits), counting the visits already
    placed and ignoring the old times of the whole set. Clients are told and the freed times
    offered to the waitlist once the change is saved (staff may leave the client untold:
    `tell_client=False`, when they agreed the change on the phone). The mover's own hold
    (`hold_token`) does not count against it."""
    now = now or timezone.now()
    travel = travel or TravelTimes()
    if not moves:
        return []
    if len({move.appointment.pk for move in moves}) != len(moves):
        raise BookingError(_("Each visit can be moved once in a change."))
    targets = []
    for move in moves:
        appointment = move.appointment
        if appointment.practice_id != practice.pk:
            raise BookingError("Unknown appointment.", field="appointment")
        refuse_unless_may_change(practice, appointment.client.user_id, by, as_staff=as_staff)
        therapist = move.therapist or appointment.therapist
        location = move.location or appointment.location
        check_request(
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
                _(
                    "Moving a clinic visit to an in-home visit needs an address; cancel and "
                    "book the in-home visit instead."
                ),
                field="location",
            )
        targets.append((move, therapist, location, visit_place(location, home)))
    ids = [move.appointment.pk for move in moves]
    locations = {location.pk: location for _move, _therapist, location, _place in targets}
    locations.update({move.appointment.location_id: move.appointment.location for move in moves})
    therapists = [therapist for _move, therapist, _location, _place in targets]
    therapists += [move.appointment.therapist for move in moves]
    results: list[BookingResult] = []
    try:
        with transaction.atomic():
            lock_for_booking(list(locations.values()), therapists)
            current = Appointment.objects.select_for_update().in_bulk(ids)
            for move in moves:
                fresh = current.get(move.appointment.pk)
                if fresh is None or fresh.status != AppointmentStatus.BOOKED:
                    status = fresh.get_status_display().lower() if fresh else "removed"
                    raise BookingError(
                        _("A %(status)s appointment cannot be moved.") % {"status": status}
                    )
                if move.expected_start is not None and fresh.starts_at != move.expected_start:
                    raise BookingError(
                        _("%(client)s's visit changed since; reload and try again.")
                        % {"client": fresh.client.display_name}
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
                slot = find_fit(
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
                client_is_free(appointment.client, slot, ignore_appointment_id=appointment.pk)
                shape = visit_shape(appointment.service, appointment.duration_minutes)
                _starts, busy = shape.at(slot.start)
                appointment.therapist, appointment.location = therapist, location
                appointment.room_id = slot.room_id
                appointment.starts_at, appointment.ends_at = slot.start, slot.end
                appointment.busy_from, appointment.busy_until = busy.start, busy.end
                if window is None:
                    appointment.window_starts_at = appointment.window_ends_at = None
                appointment.save()
                moved_from = f"moved from {previous.astimezone(practice.zone):%Y-%m-%d %H:%M}"
                told = tell_client or not as_staff
                if not told:
                    moved_from += ", client not told"
                record_access(
                    practice=practice,
                    actor=by,
                    action=AuditAction.CHANGE,
                    record=appointment,
                    client=appointment.client,
                    request=request,
                    detail=f"{reason}: {moved_from}" if reason else moved_from,
                )
                if told:
                    announce_change(appointment, "moved")
                announce_freed_time(practice, old_therapist, old_location, previous)
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
    tell_client: bool = True,
    now: datetime | None = None,
) -> BookingResult:
    """Move one booked visit to another time (and perhaps therapist or clinic); clients may
    move their own only up to the practice's notice."""
    now = now or timezone.now()
    practice = appointment.practice
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError(
            _("A %(status)s appointment cannot be moved.")
            % {"status": appointment.get_status_display().lower()}
        )
    if not as_staff and appointment.starts_at - now < practice.cancellation_notice:
        raise BookingError(
            _(
                "Appointments can be moved online up to %(hours)s hours before; please call "
                "the clinic."
            )
            % {"hours": practice.cancellation_notice_hours}
        )
    (result,) = move_appointments(
        practice,
        [Move(appointment, start, therapist, location)],
        by=by,
        as_staff=as_staff,
        request=request,
        hold_token=hold_token,
        travel=travel,
        tell_client=tell_client,
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
