"""Year-end statements: for each client, every paid treatment of a tax year, for their
medical-expense claim. Built one client at a time and written straight into a ZIP of PDFs, so
memory stays flat however many clients and years of ledger there are."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

from django.db.models import Prefetch
from django.utils.translation import gettext_noop

from fascia.billing.models import (
    Invoice,
    InvoiceLine,
    LineKind,
    Payment,
    PaymentMethod,
    Receipt,
)
from fascia.billing.money import ZERO
from fascia.clients.models import Client
from fascia.documents import document_language, render_pdf
from fascia.languages import translated_later
from fascia.practices.models import Practice

TREATMENT_LINES = InvoiceLine.objects.filter(kind=LineKind.TREATMENT, in_scope=True)
ISSUED_RECEIPTS = Receipt.objects.filter(kind__in=["original", "correction"])


def year_bounds(practice: Practice, year: int) -> tuple[datetime, datetime]:
    zone = practice.zone
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


@dataclass(frozen=True)
class StatementLine:
    day: date
    description: str
    therapist: str
    receipt: int | None
    paid: Decimal


@dataclass(frozen=True)
class Statement:
    client: Client
    year: int
    lines: list[StatementLine]

    @property
    def total(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)


def statement_for(client: Client, year: int) -> Statement:
    """The client's paid massage-therapy treatments given in `year` (by the visit's date)."""
    zone = client.practice.zone
    first, last = year_bounds(client.practice, year)
    invoices = (
        Invoice.objects.filter(
            client=client,
            voided_at=None,
            appointment__starts_at__gte=first,
            appointment__starts_at__lt=last,
        )
        .select_related("appointment__therapist", "appointment__service")
        .prefetch_related(
            Prefetch(
                "lines", queryset=InvoiceLine.objects.filter(kind=LineKind.TREATMENT, in_scope=True)
            ),
            Prefetch("payments", queryset=Payment.objects.all()),
            Prefetch(
                "receipts", queryset=Receipt.objects.filter(kind__in=["original", "correction"])
            ),
        )
        .order_by("appointment__starts_at")
    )
    lines = []
    for invoice in invoices:
        treatment = sum((line.total for line in invoice.lines.all()), ZERO)
        paid = sum((payment.signed_amount for payment in invoice.payments.all()), ZERO)
        if not treatment or paid <= 0:
            continue
        appointment = invoice.appointment
        assert appointment is not None
        receipts = sorted(invoice.receipts.all(), key=lambda r: r.issued_at)
        lines.append(
            StatementLine(
                appointment.starts_at.astimezone(zone).date(),
                translated_later(
                    gettext_noop("Massage therapy treatment, %(minutes)s min"),
                    minutes=appointment.duration_minutes,
                ),
                f"{appointment.therapist.display_name}, {appointment.therapist.credentials}",
                receipts[-1].number if receipts else None,
                min(treatment, paid),
            )
        )
    return Statement(client, year, lines)


def statement_pdf(statement: Statement, language: str | None = None) -> bytes:
    """The year's statement as PDF, in `language` (the client's preferred one when not given)."""
    return render_pdf(
        "billing/statement_pdf.html",
        {"statement": statement},
        language or document_language(statement.client),
    )


def clients_with_treatment(practice: Practice, year: int) -> Iterator[Client]:
    """Clients with a treatment invoiced in the year, streamed from the database."""
    zone = practice.zone
    ids = (
        Invoice.objects.filter(
            practice=practice,
            voided_at=None,
            appointment__starts_at__gte=datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
            appointment__starts_at__lt=datetime.combine(
                date(year + 1, 1, 1), time.min, tzinfo=zone
            ),
        )
        .values("client_id")
        .distinct()
    )
    yield from (
        Client.objects.filter(pk__in=ids)
        .select_related("practice")
        .order_by("legal_last_name", "legal_first_name", "pk")
        .iterator(chunk_size=200)
    )


def write_statements_zip(
    practice: Practice,
    year: int,
    out: IO[bytes],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write one PDF per client with paid treatment that year into a ZIP; returns how many."""
    total = sum(1 for _ in clients_with_treatment(practice, year)) if progress else 0
    written = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for client in clients_with_treatment(practice, year):
            statement = statement_for(client, year)
            if statement.lines:
                name = f"{year}-{client.legal_last_name}-{client.legal_first_name}-{client.pk}.pdf"
                archive.writestr(name.replace("/", "-"), statement_pdf(statement))
                written += 1
            if progress:
                progress(written, total)
    return written


@dataclass(frozen=True)
class AccountEntry:
    day: date
    description: str
    charge: Decimal
    payment: Decimal
    balance: Decimal


def account_statement(client: Client) -> list[AccountEntry]:
    """The client's account, oldest first: each invoice as a charge, each payment, refund and
    credit note, and the running balance."""
    from fascia.billing.totals import totals

    zone = client.practice.zone
    events: list[tuple[datetime, str, Decimal, Decimal]] = []
    invoices = (
        Invoice.objects.filter(client=client)
        .select_related("credit_note")
        .prefetch_related("lines", "payments")
    )
    for invoice in invoices:
        charged = totals(invoice).total
        events.append(
            (
                invoice.issued_at,
                translated_later(gettext_noop("Invoice %(number)s"), number=invoice.number),
                charged,
                ZERO,
            )
        )
        credit = getattr(invoice, "credit_note", None)
        if credit is not None:
            label = translated_later(
                gettext_noop("Credit note %(credit)s (cancels invoice %(invoice)s)"),
                credit=credit.number,
                invoice=invoice.number,
            )
            events.append((credit.issued_at, label, ZERO, credit.amount))
        for payment in invoice.payments.all():
            label = (
                translated_later(gettext_noop("Refund"))
                if payment.is_refund
                else translated_later(
                    gettext_noop("Payment (%(method)s)"),
                    method=PaymentMethod(payment.method).label,
                )
            )
            events.append((payment.received_at, label, ZERO, payment.signed_amount))
    events.sort(key=lambda event: event[0])
    balance = ZERO
    entries = []
    for moment, description, charge, paid in events:
        balance += charge - paid
        entries.append(
            AccountEntry(moment.astimezone(zone).date(), description, charge, paid, balance)
        )
    return entries


def account_statement_pdf(client: Client, language: str | None = None) -> bytes:
    """The client's account as PDF, in `language` (the client's preferred one when not given)."""
    return render_pdf(
        "billing/account_pdf.html",
        {"client": client, "entries": account_statement(client)},
        language or document_language(client),
    )
