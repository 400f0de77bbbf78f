"""Canadian postal codes: the one way one is checked and written ("L6Y 0B3"), and the pattern
of a forward sortation area (its first three characters), which service areas are made of."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FSA_PATTERN = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]$")
POSTAL_CODE_PATTERN = re.compile(
    r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$"
)


def normalise_postal_code(value: str) -> str:
    """'l6y0b3' -> 'L6Y 0B3'. Raises ValidationError for anything that is not a Canadian code."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not POSTAL_CODE_PATTERN.match(compact):
        raise ValidationError(
            _("Enter a Canadian postal code such as L6Y 0B3."), code="invalid_postal_code"
        )
    return f"{compact[:3]} {compact[3:]}"
