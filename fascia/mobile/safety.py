"""Lone-worker safety for home visits.

The therapist taps "on my way", "arrived" and "finished, safe". From "on my way" on, a visit is
watched: if "finished, safe" has not come `safety_grace_minutes` after the visit's end, the
practice's safety contact is alerted by email and text (through the outbox), once. Every tap is
kept, as is every alert.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user, acts_for_therapist
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.languages import english
from fascia.mobile.models import CheckInKind, SafetyAlert, SafetyCheckIn
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, enqueue
from fascia.practices.models import Practice
from fascia.scheduling.errors import BookingError, NotPermitted
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment, AppointmentStatus
from fascia.scheduling.wording import time_text

# Visits are watched for this long after they end; older ones are history.
WATCH_FOR = timedelta(hours=12)
WATCHED_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
)


def check_in(
    appointment: Appointment,
    kind: str,
    *,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> SafetyCheckIn:
    """Record one tap by the visit's therapist (or the owner). Taps come in order, each once."""
    now = now or timezone.now()
    if not acts_for_therapist(by, appointment.therapist):
        raise NotPermitted(_("Only the visit's therapist (or the owner) checks in."))
    if kind not in CheckInKind.values:
        raise BookingError(f"Unknown check-in {kind!r}.", field="kind")
    if not appointment.is_in_home:
        raise BookingError(_("Check-ins are for home visits."))
    if appointment.status not in OCCUPYING_STATUSES:
        raise BookingError(
            _("This visit is %(status)s.") % {"status": appointment.get_status_display().lower()}
        )
    if abs(appointment.starts_at - now) > timedelta(hours=12):
        raise BookingError(_("Check in on the day of the visit."))
    with transaction.atomic():
        done = set(
            SafetyCheckIn.objects.select_for_update()
            .filter(appointment=appointment)
            .values_list("kind", flat=True)
        )
        if kind in done:
            raise BookingError(
                _("“%(label)s” was already recorded.") % {"label": CheckInKind(kind).label}
            )
        if CheckInKind.FINISHED_SAFE in done:
            raise BookingError(_("This visit is finished: you said so with “Finished, safe”."))
        entry = SafetyCheckIn.objects.create(
            practice=appointment.practice,
            appointment=appointment,
            therapist=appointment.therapist,
            kind=kind,
            at=now,
            recorded_by=acting_user(by),
        )
        if kind == CheckInKind.FINISHED_SAFE:
            SafetyAlert.objects.filter(appointment=appointment, resolved_at=None).update(
                resolved_at=now, resolved_by=entry.recorded_by
            )
        record_access(
            practice=appointment.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=entry,
            client=appointment.client,
            request=request,
            detail=english(CheckInKind(kind).label),
        )
    return entry


def next_check_in(appointment: Appointment, done: Collection[str]) -> CheckInKind | None:
    """The button the therapist's phone shows next for a home visit: the step after the last
    one recorded ("On my way", "Arrived", "Finished, safe"), and none once the visit is
    finished — said so, or marked completed, missed or cancelled."""
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
        return None
    steps = list(CheckInKind)
    reached = max((steps.index(CheckInKind(kind)) for kind in done), default=-1)
    return steps[reached + 1] if reached + 1 < len(steps) else None


def last_check_in(appointment: Appointment) -> SafetyCheckIn | None:
    return SafetyCheckIn.objects.filter(appointment=appointment).order_by("-at", "-id").first()


def overdue_visits(now: datetime) -> list[Appointment]:
    """Home visits with "on my way" or "arrived" but no "finished, safe", past their end plus
    the practice's grace time."""
    started = SafetyCheckIn.objects.filter(
        appointment=OuterRef("pk"), kind__in=[CheckInKind.ON_MY_WAY, CheckInKind.ARRIVED]
    )
    finished = SafetyCheckIn.objects.filter(
        appointment=OuterRef("pk"), kind=CheckInKind.FINISHED_SAFE
    )
    alerted = SafetyAlert.objects.filter(appointment=OuterRef("pk"))
    candidates = (
        Appointment.objects.filter(ends_at__lt=now, ends_at__gt=now - WATCH_FOR)
        .exclude(visit_postal_code="")
        .filter(Exists(started))
        .exclude(Exists(finished))
        .exclude(Exists(alerted))
        .select_related("practice", "therapist", "client")
    )
    return [
        visit
        for visit in candidates
        if visit.ends_at + timedelta(minutes=visit.practice.safety_grace_minutes) <= now
    ]


def alert_text(visit: Appointment, last: SafetyCheckIn | None) -> str:
    practice = visit.practice
    zone = practice.zone
    last_text = (
        _("Last check-in: %(kind)s at %(time)s.")
        % {"kind": last.get_kind_display(), "time": time_text(last.at.astimezone(zone))}
        if last
        else _("No check-in.")
    )
    return _(
        "Safety alert from %(practice)s: %(therapist)s has not checked out of a home visit "
        "that ended at %(ended)s at %(street)s, %(city)s %(postal_code)s. %(last)s Please call "
        "them now."
    ) % {
        "practice": practice.public_name,
        "therapist": visit.therapist.display_name,
        "ended": time_text(visit.ends_at.astimezone(zone)),
        "street": visit.visit_street,
        "city": visit.visit_city,
        "postal_code": visit.visit_postal_code,
        "last": last_text,
    }


def raise_overdue_safety_alerts(now: datetime | None = None) -> int:
    """Worker job: alert each overdue visit's safety contact, once (the alert row is unique
    per visit, so two workers raise it once)."""
    now = now or timezone.now()
    raised = 0
    for visit in overdue_visits(now):
        text = alert_text(visit, last_check_in(visit))
        try:
            with transaction.atomic():
                SafetyAlert.objects.create(
                    practice=visit.practice,
                    appointment=visit,
                    therapist=visit.therapist,
                    raised_at=now,
                    message=text,
                )
                _send(visit.practice, visit, text)
        except IntegrityError:
            continue  # another worker raised it
        raised += 1
    return raised


def _send(practice: Practice, visit: Appointment, text: str) -> None:
    key = f"safety:{visit.pk}"
    if practice.safety_contact_phone:
        enqueue(
            practice,
            Message(
                channel=Channel.SMS,
                to=practice.safety_contact_phone.as_e164,
                body=text,
                dedupe_key=f"sms:{key}",
            ),
        )
    email = practice.safety_contact_email or practice.email
    if email:
        enqueue(
            practice,
            Message(
                channel=Channel.EMAIL,
                to=email,
                subject=_("Safety alert: %(therapist)s has not checked out")
                % {"therapist": visit.therapist.display_name},
                body=text,
                dedupe_key=f"email:{key}",
            ),
        )
