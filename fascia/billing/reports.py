"""The practice's money reports, computed in the database: revenue by therapist, service and
month; outstanding balances; payer mix (client, insurers, third parties). Each is a list of
rows the screen shows and the CSV export writes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from fascia.billing.models import Invoice, InvoiceLine, LineKind, Payment
from fascia.billing.money import ZERO, as_money, summed
from fascia.billing.totals import totals
from fascia.charts import bar_chart
from fascia.practices.models import Practice
from fascia.reports import Report, column_sums

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
# A payment counts in, a refund out.
SIGNED_AMOUNT = Case(
    When(is_refund=True, then=-F("amount")), default=F("amount"), output_field=MONEY
)


NET = F("unit_price") * F("quantity") - F("discount")


def period_bounds(practice: Practice, first: date, last: date) -> tuple[datetime, datetime]:
    """[the first day's midnight, the day after the last) in the practice's time zone."""
    return practice.day_bounds(first)[0], practice.day_bounds(last)[1]


def revenue_in(practice: Practice, first: date, last: date) -> Decimal:
    """Invoiced before tax (accrual) in the practice's days `first`..`last`."""
    start, end = period_bounds(practice, first, last)
    return summed(
        InvoiceLine.objects.filter(
            invoice__practice=practice,
            invoice__voided_at=None,
            invoice__issued_at__gte=start,
            invoice__issued_at__lt=end,
        ).aggregate(net=Sum(NET, output_field=MONEY))["net"]
    )


def received_in(practice: Practice, first: date, last: date) -> Decimal:
    """Payments received less refunds given (cash) in the practice's days `first`..`last`."""
    start, end = period_bounds(practice, first, last)
    return summed(
        Payment.objects.filter(
            practice=practice, received_at__gte=start, received_at__lt=end
        ).aggregate(received=Sum(SIGNED_AMOUNT))["received"]
    )


def revenue_by_month(practice: Practice, first: date, last: date) -> Report:
    """Each month's invoiced revenue (before tax), tax, and money received, with a chart."""
    months = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        start, end = max(month, first), min(following - timedelta(days=1), last)
        months.append((month, revenue_in(practice, start, end), received_in(practice, start, end)))
        month = following
    taxes = _tax_by_month(practice, first, last)
    rows = [
        (f"{month:%Y-%m}", revenue, taxes.get(f"{month:%Y-%m}", ZERO), received)
        for month, revenue, received in months
    ]
    return Report(
        _("Revenue by month"),
        (_("Month"), _("Revenue (before tax)"), _("Tax"), _("Received")),
        rows,
        column_sums(rows, 4),
        bar_chart(
            _("Revenue by month, before tax"),
            [row[0] for row in rows],
            [row[1] for row in rows],
            [as_money(row[1]) for row in rows],
        ),
    )


def _tax_by_month(practice: Practice, first: date, last: date) -> dict[str, Decimal]:
    start, end = period_bounds(practice, first, last)
    taxes: dict[str, Decimal] = {}
    for issued, tax in InvoiceLine.objects.filter(
        invoice__practice=practice,
        invoice__voided_at=None,
        invoice__issued_at__gte=start,
        invoice__issued_at__lt=end,
    ).values_list("invoice__issued_at", "tax"):
        key = f"{issued.astimezone(practice.zone):%Y-%m}"
        taxes[key] = taxes.get(key, ZERO) + tax
    return taxes


def revenue(practice: Practice, first: date, last: date) -> Report:
    """Invoiced amounts before tax, by month, therapist and service."""
    start, end = period_bounds(practice, first, last)
    lines = (
        InvoiceLine.objects.filter(
            invoice__practice=practice,
            invoice__voided_at=None,
            invoice__issued_at__gte=start,
            invoice__issued_at__lt=end,
        )
        .annotate(month=TruncMonth("invoice__issued_at"))
        .values(
            "month",
            "invoice__appointment__therapist__display_name",
            "invoice__appointment__service__name",
        )
        .annotate(
            net=Sum(NET, output_field=MONEY),
            tax=Sum("tax"),
        )
        .order_by("month", "invoice__appointment__therapist__display_name")
    )
    rows = [
        (
            f"{row['month']:%Y-%m}",
            row["invoice__appointment__therapist__display_name"] or "—",
            row["invoice__appointment__service__name"] or _("Products and other sales"),
            summed(row["net"]),
            summed(row["tax"]),
        )
        for row in lines
    ]
    return Report(
        _("Revenue by therapist, service and month"),
        (_("Month"), _("Therapist"), _("Service"), _("Revenue (before tax)"), _("Tax")),
        rows,
        column_sums(rows, 5, skip=3),
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
        _("Outstanding balances"),
        (_("Invoice"), _("Issued"), _("Client"), _("Billed"), _("Owing")),
        rows,
        column_sums(rows, 5, skip=3),
    )


def unreceipted(practice: Practice) -> Report:
    """Treatment invoices paid in full that have no receipt yet: the client cannot claim."""
    invoices = (
        Invoice.objects.filter(
            practice=practice,
            voided_at=None,
            receipts__isnull=True,
            lines__kind=LineKind.TREATMENT,
            lines__in_scope=True,
        )
        .distinct()
        .select_related("client", "appointment")
        .prefetch_related("lines", "payments")
        .order_by("issued_at")
    )
    rows = []
    for invoice in invoices:
        paid = totals(invoice)
        if paid.total > 0 and paid.balance <= 0:
            rows.append(
                (
                    invoice.number,
                    f"{invoice.issued_at.astimezone(practice.zone):%Y-%m-%d}",
                    invoice.client.display_name,
                    paid.total,
                )
            )
    return Report(
        _("Paid visits without a receipt"),
        (_("Invoice"), _("Issued"), _("Client"), _("Paid")),
        rows,
        column_sums(rows, 4, skip=3),
    )


def payer_mix(practice: Practice, first: date, last: date) -> Report:
    """Money received by who paid: the client, insurers, third parties (net of refunds)."""
    start, end = period_bounds(practice, first, last)
    rows = [
        {"payer": row["payer"], "received": summed(row["received"])}
        for row in Payment.objects.filter(
            practice=practice, received_at__gte=start, received_at__lt=end
        )
        .values("payer")
        .annotate(received=Sum(SIGNED_AMOUNT))
        .order_by("payer")
    ]
    total = sum((row["received"] for row in rows), ZERO)
    labels = {
        "client": _("Clients"),
        "insurer": _("Insurers (direct)"),
        "third_party": _("Third parties"),
    }
    return Report(
        _("Payer mix"),
        (_("Payer"), _("Received"), _("Share")),
        [
            (
                labels.get(row["payer"], row["payer"]),
                row["received"],
                f"{(row['received'] * 100 / total).quantize(Decimal('0.1')) if total else 0}%",
            )
            for row in rows
        ],
        (_("Total"), total, "100%" if total else ""),
    )
