"""Sales tax on the practice's supplies. Massage therapy is not exempt from GST/HST (Excise Tax
Act, Sched. V); a practice below the small-supplier threshold may be unregistered and then
charges none. Rates by province (GST 5% where there is no HST)."""

from __future__ import annotations

from decimal import Decimal

from fascia.billing.money import cents
from fascia.practices.models import Practice

# Province -> (name on the receipt, rate)
RATES: dict[str, tuple[str, Decimal]] = {
    "ON": ("HST", Decimal("0.13")),
    "NB": ("HST", Decimal("0.15")),
    "NL": ("HST", Decimal("0.15")),
    "NS": ("HST", Decimal("0.14")),
    "PE": ("HST", Decimal("0.15")),
}
GST = ("GST", Decimal("0.05"))


def tax_for(practice: Practice) -> tuple[str, Decimal]:
    """The tax the practice charges on taxable supplies: ("", 0) when it is not registered."""
    if not practice.tax_number.strip():
        return ("", Decimal("0"))
    return RATES.get(practice.province, GST)


def tax_on(practice: Practice, net: Decimal, *, taxable: bool = True) -> tuple[Decimal, Decimal]:
    """The rate applied to a line of `net` and the tax on it, rounded by the one rule."""
    tax_name, rate = tax_for(practice)
    applied = rate if taxable and tax_name else Decimal("0")
    return applied, cents(net * applied)
