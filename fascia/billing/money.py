"""Money: Decimal end to end, in cents, with one rounding rule (half up, to the cent)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class AmountError(ValueError):
    pass


def cents(value: Decimal) -> Decimal:
    """The one rounding rule: to the cent, halves away from zero."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def summed(value: object) -> Decimal:
    """A sum the database computed, as money. SQLite adds decimal columns as floating point
    (24.7000000000000, 76218.1500000002), so every database sum comes back through the one
    rounding rule; None (nothing to add) is $0.00."""
    if value is None:
        return ZERO
    return cents(value if isinstance(value, Decimal) else Decimal(str(value)))


# No amount a practice enters is larger (and the books' columns hold up to $99,999,999.99).
LARGEST_AMOUNT = Decimal("1000000.00")


def amount(value: object, *, what: str = "The amount", allow_zero: bool = False) -> Decimal:
    """A money amount as entered: refused when negative, not a number, or finer than a cent."""
    try:
        parsed = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise AmountError(
            _("%(what)s must be a number of dollars, e.g. 120.00.") % {"what": what}
        ) from error
    if not parsed.is_finite():
        raise AmountError(_("%(what)s must be a number of dollars, e.g. 120.00.") % {"what": what})
    if abs(parsed) > LARGEST_AMOUNT:
        raise AmountError(
            _("%(what)s cannot be more than %(largest)s.")
            % {"what": what, "largest": as_money(LARGEST_AMOUNT)}
        )
    if parsed != parsed.quantize(CENT):
        raise AmountError(_("%(what)s cannot have fractions of a cent.") % {"what": what})
    if parsed < 0:
        raise AmountError(_("%(what)s cannot be negative.") % {"what": what})
    if parsed == 0 and not allow_zero:
        raise AmountError(_("%(what)s must be more than $0.00.") % {"what": what})
    return parsed.quantize(CENT)


def as_money(value: object) -> str:
    """Money as people read it: "$1,234.50" (in French "1 234,50 $"), a minus sign when
    negative, "" for nothing."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = number_format(abs(amount), 2, force_grouping=True)
    shown = _("$%(amount)s") % {"amount": text}
    return f"−{shown}" if amount < 0 else shown
