"""The owner's dashboard: how the practice is doing this week and this month (revenue, money
received, visits, no-show and late-cancellation rates, new and returning clients), how full
each therapist's week is, and what needs doing (unsigned notes, incomplete records, receipts
not issued, balances owing). Each figure comes from the same functions as the reports it
links to, so the dashboard and its lists always agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast

from django.utils.translation import gettext as _

from fascia.billing.money import ZERO
from fascia.billing.reports import outstanding, received_in, revenue_in, unreceipted
from fascia.practices.models import Practice
from fascia.records.completeness import missing_records
from fascia.records.requests import overdue_requests
from fascia.scheduling.figures import (
    Attendance,
    ClientMix,
    Fill,
    attendance,
    client_mix,
    schedule_fill,
)


@dataclass(frozen=True)
class Period:
    label: str
    first: date
    last: date


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    revenue: Decimal  # invoiced before tax
    received: Decimal  # payments less refunds
    attendance: Attendance
    clients: ClientMix


@dataclass(frozen=True)
class OwnerDashboard:
    week: PeriodFigures
    month: PeriodFigures
    fill: list[Fill]  # this week
    unsigned_notes: int  # completed visits of the last 90 days without a signed note
    incomplete_records: int  # ... missing a current history, a consent or a signed note
    receipts_not_issued: int
    owing: Decimal
    invoices_owing: int
    overdue_requests: int  # clients' requests to see or correct their record, past deadline

    @property
    def periods(self) -> list[PeriodFigures]:
        return [self.week, self.month]


def this_week(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    return Period(_("This week"), monday, monday + timedelta(days=6))


def this_month(today: date) -> Period:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(_("This month"), first, following - timedelta(days=1))


def period_figures(practice: Practice, period: Period) -> PeriodFigures:
    return PeriodFigures(
        period,
        revenue=revenue_in(practice, period.first, period.last),
        received=received_in(practice, period.first, period.last),
        attendance=attendance(practice, period.first, period.last),
        clients=client_mix(practice, period.first, period.last),
    )


def owner_dashboard(practice: Practice, *, now: datetime) -> OwnerDashboard:
    today = now.astimezone(practice.zone).date()
    week = this_week(today)
    records = missing_records(practice, now=now)
    owing = outstanding(practice)
    return OwnerDashboard(
        week=period_figures(practice, week),
        month=period_figures(practice, this_month(today)),
        fill=schedule_fill(practice, week.first, week.last),
        unsigned_notes=sum(1 for record in records if not record.note_signed),
        incomplete_records=len(records),
        receipts_not_issued=len(unreceipted(practice).rows),
        owing=sum((cast(Decimal, row[-1]) for row in owing.rows), ZERO),
        invoices_owing=len(owing.rows),
        overdue_requests=len(overdue_requests(practice, today)),
    )
