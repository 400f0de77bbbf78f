"""Money as people read it: `{{ amount|money }}` gives "$1,234.50" (and, in French,
"1 234,50 $"), a negative amount with a minus sign."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = number_format(abs(amount), 2, force_grouping=True)
    shown = _("$%(amount)s") % {"amount": text}
    return f"−{shown}" if amount < 0 else shown
