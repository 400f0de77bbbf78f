"""Bringing a practice's appointment history in: from the system a clinic used before Fascia,
or the demo's past. Booking checks (notice, the booking window, "already passed") do not apply
to a visit that already happened, but the record still has to be whole and true."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.practices.models import Practice
from fascia.scheduling.booking import raise_for_overlap
from fascia.scheduling.busy_limits import LONGEST_BUSY
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import Appointment, PolicyAcceptance, policy_digest
from fascia.scheduling.remembered import schedule_changed

IMPORT_BATCH = 500


def _problem(practice: Practice, visit: Appointment) -> str | None:
    for name in ("client", "therapist", "service", "location"):
        if getattr(visit, name).practice_id != practice.pk:
            return f"a {name} of another practice"
    if visit.ends_at <= visit.starts_at:
        return "it ends before it starts"
    if not (visit.busy_from <= visit.starts_at and visit.busy_until >= visit.ends_at):
        return "its busy time does not cover the treatment"
    if visit.duration_minutes <= 0 or visit.price < 0:
        return "its length or price is impossible"
    if visit.busy_until - visit.busy_from > LONGEST_BUSY:
        return "it keeps the therapist busy for more than a day"
    return None


def import_appointments(
    practice: Practice,
    visits: list[Appointment],
    *,
    policy_accepted_by: Iterable[int] = (),
    by: Any = None,
) -> int:
    """Save imported visits (unsaved `Appointment`s of this practice), all or none, and the
    cancellation-policy acceptances the old system held for `policy_accepted_by` (client ids).
    The database's no-overlap rules apply as to any booking; one audit entry names the import."""
    for number, visit in enumerate(visits, start=1):
        visit.practice = practice
        problem = _problem(practice, visit)
        if problem:
            raise BookingError(f"Imported visit {number} cannot be saved: {problem}.")
    text = practice.cancellation_policy.strip()
    try:
        with transaction.atomic():
            Appointment.objects.bulk_create(visits, batch_size=IMPORT_BATCH)
            schedule_changed([practice.pk])  # bulk_create sends no signals
            if text:
                PolicyAcceptance.objects.bulk_create(
                    PolicyAcceptance(
                        practice=practice,
                        client_id=client_id,
                        policy_text=text,
                        policy_digest=policy_digest(text),
                        channel=PolicyAcceptance.Channel.ONLINE,
                    )
                    for client_id in sorted(set(policy_accepted_by))
                )
            record_access(
                practice=practice,
                actor=by,
                action=AuditAction.CREATE,
                record_type="scheduling.appointment",
                detail=f"imported {len(visits)} appointments",
            )
    except IntegrityError as error:
        raise_for_overlap(error)
        raise
    return len(visits)
