"""Money and rates as people read them: `{{ amount|money }}` gives "$1,234.50" (and, in
French, "1 234,50 $"); `{{ rate|percent }}` gives "13%"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from fascia.billing.money import as_money

register = template.Library()


register.filter("money", as_money)


@register.filter
def percent(rate: object) -> str:
    """A tax rate as people read it: Decimal("0.13") gives "13%" (and "13 %" in French)."""
    try:
        share = Decimal(str(rate)) * 100
    except InvalidOperation:
        return str(rate)
    whole = share == share.to_integral_value()
    shown = number_format(share, 0 if whole else 2)
    return _("%(rate)s%%") % {"rate": shown}


@register.filter
def cell(value: object) -> object:
    """A report's cell: money as money, anything else as it is."""
    return as_money(value) if isinstance(value, Decimal) else value


@register.filter
def is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)
