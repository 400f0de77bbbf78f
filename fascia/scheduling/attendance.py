"""What became of a booked visit: cancelled (late or not), arrived, completed, a no-show, or
a treatment that ended early."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.scheduling.booking import announce_change, announce_freed_time
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import (
    Appointment,
    AppointmentStatus,
)
from fascia.scheduling.permissions import refuse_unless_books, refuse_unless_may_change


def cancelling_is_late(appointment: Appointment, now: datetime) -> bool:
    """Whether cancelling (or moving) the visit at `now` falls inside the practice's notice
    period, so that the late-cancellation fee applies."""
    return appointment.starts_at - now < appointment.practice.cancellation_notice


def cancel_appointment(
    appointment: Appointment,
    *,
    by: Any = None,
    reason: str = "",
    as_staff: bool = False,
    by_practice: bool = False,
    tell_client: bool = True,
    request: Any = None,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a booked visit. Inside the practice's notice window it is a late cancellation
    and the policy's fee is flagged, unless the practice itself cancelled. Staff may choose not
    to tell the client (they told them on the phone); a client's own cancellation is always
    confirmed to them."""
    now = now or timezone.now()
    refuse_unless_may_change(
        appointment.practice, appointment.client.user_id, by, as_staff=as_staff
    )
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError(
            _("This appointment is already %(status)s.")
            % {"status": appointment.get_status_display().lower()}
        )
    if appointment.starts_at <= now and not as_staff:
        raise BookingError(_("This appointment has already started."))
    _refuse_if_treated(appointment, pgettext("this visit cannot be …", "cancelled"))
    late = cancelling_is_late(appointment, now)
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
            raise BookingError(_("This appointment was changed by someone else; reload it."))
        appointment.refresh_from_db()
        record_access(
            practice=appointment.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=appointment,
            client=appointment.client,
            request=request,
            detail=("late cancellation" if late else "cancelled")
            + ("" if tell_client or not as_staff else ", client not told"),
        )
        if tell_client or not as_staff:
            announce_change(appointment, "cancelled")
        announce_freed_time(
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
    refuse_unless_books(appointment.practice, by)
    if status not in _TRANSITIONS:
        raise BookingError(f"Unknown attendance status {status!r}.")
    allowed_from, in_time = _TRANSITIONS[status]
    label = AppointmentStatus(status).label.lower()
    if appointment.status not in allowed_from:
        raise BookingError(
            _("A %(status)s appointment cannot be marked %(label)s.")
            % {"status": appointment.get_status_display().lower(), "label": label}
        )
    if not in_time(appointment, now):
        raise BookingError(
            _("It is too early to mark this appointment %(label)s.") % {"label": label}
        )
    if status == AppointmentStatus.NO_SHOW:
        _refuse_if_treated(appointment, pgettext("this visit cannot be …", "marked a no-show"))
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
            raise BookingError(_("This appointment was changed by someone else; reload it."))
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


def _refuse_if_treated(appointment: Appointment, becoming: str) -> None:
    """A visit whose treatment is on record (a signed note, say) happened: it cannot become a
    cancellation or a no-show. The record's own app says so through
    settings.FASCIA_TREATMENT_RECORDED."""
    for path in getattr(settings, "FASCIA_TREATMENT_RECORDED", []):
        recorded = import_string(path)(appointment)
        if recorded:
            raise BookingError(
                _(
                    "This visit cannot be %(becoming)s: %(recorded)s If the treatment stopped "
                    "early, record that it ended early, with the reason."
                )
                % {"becoming": becoming, "recorded": recorded}
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
    refuse_unless_books(appointment.practice, by)
    reason = reason.strip()
    if not reason:
        raise BookingError(_("Say why the treatment ended early."), field="reason")
    if not appointment.has_started(now):
        raise BookingError(_("Only a visit that has started can end early."))
    if minutes_given is not None and not 0 < minutes_given <= appointment.duration_minutes:
        raise BookingError(
            _("Minutes given are between 1 and the %(duration_minutes)s booked.")
            % {"duration_minutes": appointment.duration_minutes},
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
            raise BookingError(_("This appointment was changed by someone else; reload it."))
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


def confirm_appointment(
    appointment: Appointment,
    *,
    by: Any = None,
    as_staff: bool = False,
    request: Any = None,
    now: datetime | None = None,
) -> Appointment:
    """The client says they are coming: from their online account, or told to the front desk
    (a call, a reply to the reminder). Only a booked visit still to come is confirmed."""
    now = now or timezone.now()
    refuse_unless_may_change(
        appointment.practice, appointment.client.user_id, by, as_staff=as_staff
    )
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError(
            _("A %(status)s appointment cannot be confirmed.")
            % {"status": appointment.get_status_display().lower()}
        )
    if appointment.ends_at <= now:
        raise BookingError(_("This visit is over; there is nothing left to confirm."))
    if appointment.confirmed_at is not None:
        return appointment
    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.BOOKED, confirmed_at=None
        ).update(confirmed_at=now, updated_at=now)
        appointment.refresh_from_db()
        if updated:
            record_access(
                practice=appointment.practice,
                actor=by,
                action=AuditAction.CHANGE,
                record=appointment,
                client=appointment.client,
                request=request,
                detail=gettext_noop("confirmed by the client")
                if not as_staff
                else gettext_noop("client confirmed"),
            )
    return appointment
