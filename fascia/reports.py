"""A report as the practice reads it: a title, columns, rows, a "Total" row and, where a
picture reads faster, a chart. Money reports (`billing.reports`) and visit reports
(`scheduling.figures`) both make these; the reports page shows them and exports each as CSV."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from fascia.charts import BarChart


@dataclass(frozen=True)
class Report:
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]
    totals: tuple[object, ...] | None = None  # the last row, "Total" first
    chart: BarChart | None = None


def column_sums(
    rows: Sequence[tuple[object, ...]], columns: int, *, skip: int = 1
) -> tuple[object, ...]:
    """A "Total" row: each money or count column added up, the first `skip` left blank."""
    sums: list[object] = [_("Total"), *([""] * (skip - 1))]
    for index in range(skip, columns):
        cells = [row[index] for row in rows]
        numbers = [cell for cell in cells if isinstance(cell, Decimal | int)]
        sums.append(
            sum(numbers, Decimal("0.00") if any(isinstance(c, Decimal) for c in numbers) else 0)
            if numbers and len(numbers) == len(cells)
            else ""
        )
    return tuple(sums)


def csv_lines(report: Report) -> Iterator[list[Any]]:
    """The report as rows for `fascia.spreadsheets.csv_download` (which makes each cell safe)."""
    yield list(report.columns)
    yield from (list(row) for row in report.rows)
    if report.totals is not None:
        yield list(report.totals)
