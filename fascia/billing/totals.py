"""An invoice's sums: net, tax, total, paid and the balance left."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fascia.billing.models import (
    Invoice,
)
from fascia.billing.money import ZERO


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    balance: Decimal


def totals(invoice: Invoice) -> Totals:
    lines = list(invoice.lines.all())
    net = sum((line.net for line in lines), ZERO)
    tax = sum((line.tax for line in lines), ZERO)
    paid = sum((payment.signed_amount for payment in invoice.payments.all()), ZERO)
    total = net + tax
    return Totals(net, tax, total, paid, total - paid)


def visit_balances(appointment_ids: list[int]) -> dict[int, Decimal]:
    """What is left to pay on each visit's invoice (three queries however many visits); a visit
    with no invoice yet is not in the answer."""
    invoices = Invoice.objects.filter(
        appointment_id__in=appointment_ids, voided_at=None
    ).prefetch_related("lines", "payments")
    return {invoice.appointment_id: totals(invoice).balance for invoice in invoices}
