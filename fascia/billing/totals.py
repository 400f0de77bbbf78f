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
