"""What the front desk, a therapist or the owner sees first on a client's page: their visits
coming and past with what each still needs, what they owe or have in credit, what their
insurance has left this year, health alerts (for the clinical roles only), the forms still to
fill in, and the visit to check out today. It reads scheduling, billing and the clinical record,
so it lives with the screens (as `board` does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.billing.actions import client_balance
from fascia.billing.coverage import Coverage, client_coverage
from fascia.billing.money import ZERO
from fascia.clients.models import Client
from fascia.privacy.lockbox import alerts_for
from fascia.records.queries import client_alerts, history_to_update
from fascia.records.screening import Alert
from fascia.scheduling.booking import policy_acceptance_needed
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment, AppointmentStatus
from fascia.staff import board

VISITS_SHOWN = 10


@dataclass(frozen=True)
class FormDue:
    key: str  # "health_history" or "cancellation_policy"
    label: str


@dataclass(frozen=True)
class ClientOverview:
    upcoming: list[Appointment]
    past: list[Appointment]
    flags: dict[int, list[str]]  # appointment id -> board.ICONS keys
    forms_due: list[FormDue]
    to_check_out: Appointment | None
    alerts: list[Alert] = field(default_factory=list)  # the clinical roles only
    has_alerts: bool = False
    balance: Decimal | None = None  # None: not shown to this role
    coverage: list[Coverage] = field(default_factory=list)

    @property
    def owing(self) -> Decimal:
        return self.balance if self.balance is not None and self.balance > 0 else ZERO

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance is not None and self.balance < 0 else ZERO


def forms_due(client: Client) -> list[FormDue]:
    """What the client still has to fill in or accept."""
    due = []
    history = history_to_update(client, timezone.localdate(timezone=client.practice.zone))
    if history == "missing":
        due.append(FormDue("health_history", _("Health history not filled in yet")))
    elif history == "old":
        due.append(FormDue("health_history", _("Health history over a year old")))
    if policy_acceptance_needed(client):
        due.append(FormDue("cancellation_policy", _("Cancellation policy not accepted yet")))
    return due


def visit_to_check_out(
    visits: list[Appointment], flags: dict[int, list[str]], now: datetime
) -> Appointment | None:
    """Today's visit that is not paid yet (or, failing that, the latest unpaid one)."""
    today = timezone.localdate(now)
    open_today = [
        visit
        for visit in visits
        if timezone.localdate(visit.starts_at) == today
        and visit.status
        in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.COMPLETED)
        and (visit.status != AppointmentStatus.COMPLETED or "unpaid" in flags.get(visit.pk, []))
    ]
    if open_today:
        return open_today[0]
    unpaid = [visit for visit in visits if "unpaid" in flags.get(visit.pk, [])]
    return max(unpaid, key=lambda visit: visit.starts_at) if unpaid else None


def client_overview(
    client: Client, *, now: datetime, clinical_reader: Any, billing: bool
) -> ClientOverview:
    """`clinical_reader`: the owner or therapist reading, who may read what the health alerts
    say (everyone on this page sees that there is one, as on the schedule); `billing`: may
    read money (balance, coverage, checkout)."""
    visits = Appointment.objects.filter(client=client).select_related(
        "service", "therapist", "location"
    )
    zone = client.practice.zone
    local_now = now.astimezone(zone)
    today_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    upcoming = list(
        visits.filter(starts_at__gte=today_start, status__in=OCCUPYING_STATUSES).order_by(
            "starts_at"
        )[:VISITS_SHOWN]
    )
    past = list(
        visits.filter(starts_at__lt=today_start).order_by("-starts_at")[:VISITS_SHOWN]
    ) + list(
        visits.filter(starts_at__gte=today_start)
        .exclude(status__in=OCCUPYING_STATUSES)
        .order_by("-starts_at")[:VISITS_SHOWN]
    )
    past.sort(key=lambda visit: visit.starts_at, reverse=True)
    flags = board.visit_flags(upcoming + past, now=now, clinical=True)
    alerts = client_alerts(client, local_now.date())
    shown = alerts_for(clinical_reader, client, local_now.date())[0] if clinical_reader else []
    return ClientOverview(
        upcoming=upcoming,
        past=past[:VISITS_SHOWN],
        flags=flags,
        forms_due=forms_due(client),
        to_check_out=visit_to_check_out(upcoming + past, flags, local_now) if billing else None,
        alerts=shown,
        has_alerts=bool(alerts),
        balance=client_balance(client) if billing else None,
        coverage=client_coverage(client, local_now.date()) if billing else [],
    )
