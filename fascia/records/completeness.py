"""Record completeness: for each completed visit, is the health history current, is consent to
treatment on file, and is the note signed? The owner sees what is missing; each therapist sees
their unsigned notes past the regulator's 24 hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fascia.practices.models import Practice
from fascia.records.models import Consent, ConsentScope, HealthHistory, HistoryReview, TreatmentNote
from fascia.scheduling.models import Appointment, AppointmentStatus

# A health history older than this, and not reviewed at the visit, is not current.
HISTORY_CURRENT_FOR = timedelta(days=365)


@dataclass(frozen=True)
class VisitRecord:
    appointment: Appointment
    history_current: bool
    consent_on_file: bool
    note_signed: bool

    @property
    def complete(self) -> bool:
        return self.history_current and self.consent_on_file and self.note_signed

    @property
    def missing(self) -> list[str]:
        """What the visit's record lacks, in the reader's language."""
        return [
            str(label)
            for label, ok in (
                (_("up-to-date health history"), self.history_current),
                (_("consent to treatment"), self.consent_on_file),
                (_("signed treatment note"), self.note_signed),
            )
            if not ok
        ]


def visit_records(appointments: list[Appointment]) -> list[VisitRecord]:
    """The record status of each visit, in five queries however many visits."""
    client_ids = {a.client_id for a in appointments}
    ids = [a.pk for a in appointments]
    histories: dict[int, list[datetime]] = {}
    for client_id, created in HealthHistory.objects.filter(client_id__in=client_ids).values_list(
        "client_id", "created_at"
    ):
        histories.setdefault(client_id, []).append(created)
    reviewed = set(
        HistoryReview.objects.filter(appointment_id__in=ids).values_list(
            "appointment_id", flat=True
        )
    )
    notes = {
        note.appointment_id: note
        for note in TreatmentNote.objects.filter(appointment_id__in=ids).only(
            "appointment_id", "signed_at", "plan_id"
        )
    }
    consents = list(
        Consent.objects.filter(
            client_id__in=client_ids, scope=ConsentScope.TREATMENT, given=True, withdrawn_at=None
        ).values_list("appointment_id", "plan_id")
    )
    by_appointment = {appointment_id for appointment_id, _ in consents if appointment_id}
    by_plan = {plan_id for _, plan_id in consents if plan_id}
    result = []
    for appointment in appointments:
        taken = histories.get(appointment.client_id, [])
        current = appointment.pk in reviewed or any(
            appointment.ends_at - HISTORY_CURRENT_FOR <= created <= appointment.ends_at
            for created in taken
        )
        note = notes.get(appointment.pk)
        consent = appointment.pk in by_appointment or bool(
            note and note.plan_id and note.plan_id in by_plan
        )
        result.append(VisitRecord(appointment, current, consent, bool(note and note.signed_at)))
    return result


def missing_records(
    practice: Practice, *, days: int = 90, now: datetime | None = None
) -> list[VisitRecord]:
    """Completed visits of the last `days` whose record is not complete, oldest first."""
    now = now or timezone.now()
    visits = list(
        Appointment.objects.for_practice(practice)
        .filter(
            status=AppointmentStatus.COMPLETED,
            ends_at__gte=now - timedelta(days=days),
            ends_at__lte=now,
        )
        .select_related("client", "therapist", "service")
        .order_by("starts_at")
    )
    return [record for record in visit_records(visits) if not record.complete]
