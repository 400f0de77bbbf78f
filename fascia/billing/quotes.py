"""What a visit will cost, before it is booked: the price, the travel fee, the tax on each and
the total, worked out as its invoice will be (`actions.appointment_lines`), so the total a
client is shown is the total on their receipt."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fascia.billing.money import ZERO
from fascia.billing.tax import tax_for, tax_on
from fascia.practices.models import Practice, Service


@dataclass(frozen=True)
class VisitQuote:
    price: Decimal
    travel_fee: Decimal
    tax_name: str  # "" when the practice charges none
    tax_rate: Decimal
    price_tax: Decimal
    travel_tax: Decimal
    tax: Decimal
    total: Decimal

    @property
    def taxed(self) -> bool:
        return self.tax > 0

    @property
    def price_with_tax(self) -> Decimal:
        return self.price + self.price_tax

    @property
    def travel_with_tax(self) -> Decimal:
        return self.travel_fee + self.travel_tax


def quote_visit(
    practice: Practice, service: Service, price: Decimal, *, travel_fee: Decimal = ZERO
) -> VisitQuote:
    """The visit's price with the tax the practice charges (none on a non-taxable service, a
    travel fee always taxable, like its invoice line)."""
    _, treatment_tax = tax_on(practice, price, taxable=service.taxable)
    _, travel_tax = tax_on(practice, travel_fee) if travel_fee else (None, ZERO)
    tax_name, rate = tax_for(practice)
    tax = treatment_tax + travel_tax
    return VisitQuote(
        price, travel_fee, tax_name, rate, treatment_tax, travel_tax, tax, price + travel_fee + tax
    )
