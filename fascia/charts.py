"""Bar charts drawn as SVG on the server: where a picture reads faster than a table (revenue by
month, visits by therapist). The table with the same figures stays beside each chart, so the
chart is a summary for the eye and the table is what a screen reader reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
BAR_AREA_HEIGHT = 180
TOP = 16
LABEL_HEIGHT = 36
GAP = 0.25  # of each bar's slot


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        """Where the figure above the bar sits."""
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    height: int = TOP + BAR_AREA_HEIGHT + LABEL_HEIGHT
    baseline: int = TOP + BAR_AREA_HEIGHT
    label_y: int = TOP + BAR_AREA_HEIGHT + 18


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[Decimal | int], texts: Sequence[str]
) -> BarChart | None:
    """Bars scaled to the largest value (None when there is nothing to draw)."""
    if not values or max(values) <= 0:
        return None
    largest = Decimal(max(values))
    slot = WIDTH / len(values)
    bars = []
    for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        height = float(Decimal(max(value, 0)) / largest * BAR_AREA_HEIGHT)
        bars.append(
            Bar(
                label=label,
                value_text=text,
                x=round(index * slot + slot * GAP / 2, 1),
                y=round(TOP + BAR_AREA_HEIGHT - height, 1),
                width=round(slot * (1 - GAP), 1),
                height=round(height, 1),
            )
        )
    return BarChart(title, tuple(bars))
