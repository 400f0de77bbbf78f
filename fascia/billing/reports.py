"""The practice's money reports, computed in the database: revenue by therapist, service and
month; outstanding balances; payer mix (client, insurers, third parties). Each is a list of
rows the screen shows and the CSV export writes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from fascia.billing.models import Invoice, InvoiceLine, Payment
from fascia.billing.money import ZERO, summed
from fascia.practices.models import Practice

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
# A payment counts in, a refund out.
SIGNED_AMOUNT = Case(
    When(is_refund=True, then=-F("amount")), default=F("amount"), output_field=MONEY
)


@dataclass(frozen=True)
class Report:
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]


def revenue(practice: Practice, first: date, last: date) -> Report:
    """Invoiced amounts before tax, by month, therapist and service."""
    lines = (
        InvoiceLine.objects.filter(
            invoice__practice=practice,
            invoice__voided_at=None,
            invoice__issued_at__date__gte=first,
            invoice__issued_at__date__lte=last,
        )
        .annotate(month=TruncMonth("invoice__issued_at"))
        .values(
            "month",
            "invoice__appointment__therapist__display_name",
            "invoice__appointment__service__name",
        )
        .annotate(
            net=Sum(F("unit_price") * F("quantity") - F("discount"), output_field=MONEY),
            tax=Sum("tax"),
        )
        .order_by("month", "invoice__appointment__therapist__display_name")
    )
    return Report(
        "Revenue by therapist, service and month",
        ("Month", "Therapist", "Service", "Revenue (before tax)", "Tax"),
        [
            (
                f"{row['month']:%Y-%m}",
                row["invoice__appointment__therapist__display_name"] or "—",
                row["invoice__appointment__service__name"] or "—",
                summed(row["net"]),
                summed(row["tax"]),
            )
            for row in lines
        ],
    )


def outstanding(practice: Practice) -> Report:
    """Invoices with money still owing, oldest first."""
    invoices = (
        Invoice.objects.filter(practice=practice, voided_at=None)
        .annotate(
            billed=Coalesce(
                Sum(
                    F("lines__unit_price") * F("lines__quantity")
                    - F("lines__discount")
                    + F("lines__tax"),
                    output_field=MONEY,
                ),
                Value(ZERO),
                output_field=MONEY,
            )
        )
        .values(
            "pk",
            "number",
            "issued_at",
            "client__legal_first_name",
            "client__legal_last_name",
            "billed",
        )
        .order_by("issued_at")
    )
    paid = {
        row["invoice_id"]: summed(row["paid"])
        for row in Payment.objects.filter(practice=practice)
        .values("invoice_id")
        .annotate(paid=Sum(SIGNED_AMOUNT))
    }
    rows = []
    for invoice in invoices:
        billed = summed(invoice["billed"])
        balance = billed - paid.get(invoice["pk"], ZERO)
        if balance > 0:
            rows.append(
                (
                    invoice["number"],
                    f"{invoice['issued_at']:%Y-%m-%d}",
                    f"{invoice['client__legal_first_name']} {invoice['client__legal_last_name']}",
                    billed,
                    balance,
                )
            )
    return Report(
        "Outstanding balances",
        ("Invoice", "Issued", "Client", "Billed", "Owing"),
        rows,
    )


def payer_mix(practice: Practice, first: date, last: date) -> Report:
    """Money received by who paid: the client, insurers, third parties (net of refunds)."""
    rows = [
        {"payer": row["payer"], "received": summed(row["received"])}
        for row in Payment.objects.filter(
            practice=practice, received_at__date__gte=first, received_at__date__lte=last
        )
        .values("payer")
        .annotate(received=Sum(SIGNED_AMOUNT))
        .order_by("payer")
    ]
    total = sum((row["received"] for row in rows), ZERO)
    labels = {"client": "Clients", "insurer": "Insurers (direct)", "third_party": "Third parties"}
    return Report(
        "Payer mix",
        ("Payer", "Received", "Share"),
        [
            (
                labels.get(row["payer"], row["payer"]),
                row["received"],
                f"{(row['received'] * 100 / total).quantize(Decimal('0.1')) if total else 0}%",
            )
            for row in rows
        ],
    )


def csv_lines(report: Report) -> Iterator[list[Any]]:
    """The report as rows for `fascia.spreadsheets.csv_download` (which makes each cell safe)."""
    yield list(report.columns)
    yield from (list(row) for row in report.rows)
