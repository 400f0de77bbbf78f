"""Read queries over the clinical record that other apps and screens use."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from fascia.clients.models import Client
from fascia.records.models import (
    Consent,
    HealthHistory,
    TreatmentNote,
)
from fascia.records.screening import Alert, screen
from fascia.scheduling.models import Appointment


def current_history(client: Client) -> HealthHistory | None:
    return HealthHistory.objects.filter(client=client).order_by("-version").first()


# A health history older than this is due for the client to check and update.
HISTORY_UPDATE_DAYS = 365


def history_to_update(client: Client, today: date) -> str:
    """ "missing" when the client has never filled in a health history, "old" when the latest
    is over a year old (worth checking before the next visit), "" when it is current."""
    current = current_history(client)
    if current is None:
        return "missing"
    age = today - timezone.localtime(current.created_at, client.practice.zone).date()
    return "old" if age.days > HISTORY_UPDATE_DAYS else ""


def client_alerts(
    client: Client, today: date | None = None, *, hidden: Collection[str] = ()
) -> list[Alert]:
    """The screening result for the client's current health history, leaving out the answers
    to `hidden` questions (those the client locked from the reader)."""
    history = current_history(client)
    if history is None:
        return []
    answers = {q: a for q, a in history.answers.items() if q not in hidden}
    return screen(answers, today or timezone.localdate(timezone=client.practice.zone))


def clients_with_alerts(client_ids: set[int], today: date) -> set[int]:
    """Which of these clients' current health histories raise an alert (two queries, however
    many clients): the schedule's alert icon."""
    latest: dict[int, HealthHistory] = {}
    for history in HealthHistory.objects.filter(client_id__in=client_ids).order_by("version"):
        latest[history.client_id] = history
    return {client_id for client_id, history in latest.items() if screen(history.answers, today)}


def visits_with_signed_notes(appointment_ids: list[int]) -> set[int]:
    """Which of these visits have a signed treatment note."""
    return set(
        TreatmentNote.objects.filter(
            appointment_id__in=appointment_ids, signed_at__isnull=False
        ).values_list("appointment_id", flat=True)
    )


def alerts_against(alerts: list[Alert], service: Any) -> list[Alert]:
    """The client's alerts that advise against this service's kind of massage."""
    return [alert for alert in alerts if service.modality in alert.advises_against]


def alert_warnings(client: Client, start: datetime, service: Any) -> list[str]:
    """Booking's FASCIA_BOOKING_WARNINGS hook: a service the client's health history advises
    against (a "no deep tissue" alert and a deep-tissue booking)."""
    today = timezone.localdate(start, client.practice.zone)
    return [
        f"{client.display_name}'s health history advises against {service.name}: {alert.message}"
        for alert in alerts_against(client_alerts(client, today), service)
    ]


def unsigned_overdue(
    therapist: Any, *, hours: int = 24, now: datetime | None = None
) -> list[TreatmentNote]:
    """The therapist's to-do: notes still unsigned `hours` after their visit ended."""
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    return list(
        TreatmentNote.objects.filter(
            therapist=therapist, signed_at=None, appointment__ends_at__lt=cutoff
        ).select_related("client", "appointment")
    )


def consent_on_file(appointment: Appointment, scopes: tuple[str, ...]) -> bool:
    """An in-force consent of one of `scopes` for this visit."""
    return Consent.objects.filter(
        client=appointment.client,
        appointment=appointment,
        scope__in=scopes,
        given=True,
        withdrawn_at=None,
    ).exists()
