"""Physiotherapy visits the client has elsewhere: recorded so that massage can be booked a day
or two after, and a gentle warning when a booking falls on the same day."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import PhysiotherapyAppointment


def record_physiotherapy_visit(
    client: Client,
    *,
    starts_at: datetime,
    provider: str = "",
    note: str = "",
    by: Any = None,
    request: Any = None,
) -> PhysiotherapyAppointment:
    """Note the client's physiotherapy appointment (with whom, and anything to know); audited."""
    if timezone.is_naive(starts_at):
        raise BookingError(_("Give the time with its offset."), field="starts_at")
    with transaction.atomic():
        visit = PhysiotherapyAppointment.objects.create(
            practice=client.practice,
            client=client,
            starts_at=starts_at,
            provider=provider.strip(),
            note=note.strip(),
        )
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=visit,
            client=client,
            request=request,
        )
    return visit


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
