"""CSV files people open in a spreadsheet. A cell that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return is a formula to Excel, LibreOffice and Google Sheets, so text from
clients (a name typed as `=HYPERLINK(...)`) is written with a leading apostrophe, which the
spreadsheet shows as plain text. Numbers are written as they are (a refund stays -5.00)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> str:
    """`value` as CSV text that a spreadsheet never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal | date | datetime):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_download(filename: str, rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV attachment whose every cell went through `spreadsheet_cell`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return response
