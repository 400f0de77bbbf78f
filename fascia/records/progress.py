"""Progress over visits: series of outcome scores and range of motion, drawn as accessible SVG
line charts, and a one-page report of baseline against latest for a physician or insurer
(only with the client's consent to the disclosure, which is recorded and audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.documents import render_pdf
from fascia.records import outcomes, rom
from fascia.records.errors import RecordError
from fascia.records.models import ConsentMethod, Disclosure, OutcomeScore, RangeOfMotion

SCALE_TOP = {"nprs": 10, "psfs": 10, "ndi": 100, "odi": 100, "lefs": 80, "uefi": 80}


@dataclass(frozen=True)
class Series:
    title: str
    unit: str
    points: list[tuple[date, Decimal]]
    low: Decimal
    high: Decimal
    higher_is_better: bool
    normal: Decimal | None = None  # range of motion: the normal value

    @property
    def baseline(self) -> Decimal:
        return self.points[0][1]

    @property
    def latest(self) -> Decimal:
        return self.points[-1][1]


@dataclass(frozen=True)
class Change:
    series: Series
    percent: Decimal | None  # improvement as % of the way to best (outcomes) or of normal (ROM)

    @property
    def described(self) -> str:
        if self.percent is None:
            return "—"
        word = "better" if self.percent >= 0 else "worse"
        return f"{abs(self.percent)}% {word}"


def client_series(client: Client) -> list[Series]:
    """Every complete outcome measure and every range-of-motion movement with its values over
    time, oldest first (two queries)."""
    series: list[Series] = []
    by_measure: dict[str, list[tuple[date, Decimal]]] = {}
    zone = client.practice.zone
    for measure, value, at in OutcomeScore.objects.filter(client=client, complete=True).values_list(
        "measure", "value", "recorded_at"
    ):
        by_measure.setdefault(measure, []).append((at.astimezone(zone).date(), value))
    for code, points in by_measure.items():
        measure = outcomes.MEASURES[code]
        high = (
            Decimal(100)
            if code in ("ndi", "odi")
            else Decimal(measure.high * (measure.items if code in ("lefs", "uefi") else 1))
        )
        series.append(
            Series(str(measure.name), measure.unit, points, Decimal(0), high, measure.best > 0)
        )
    by_movement: dict[tuple[str, str, str], list[tuple[date, Decimal]]] = {}
    for joint, movement, side, degrees, at in RangeOfMotion.objects.filter(
        client=client
    ).values_list("joint", "movement", "side", "degrees", "recorded_at"):
        by_movement.setdefault((joint, movement, side), []).append(
            (at.astimezone(zone).date(), degrees)
        )
    for (joint, movement, side), points in by_movement.items():
        normal = Decimal(rom.NORMAL[(joint, movement)])
        title = f"{side.capitalize()} {joint} {movement}".strip()
        top = max(normal, *(value for _, value in points))
        series.append(Series(title, "°", points, Decimal(0), top, True, normal))
    return series


def change_of(series: Series) -> Change:
    if len(series.points) < 2:
        return Change(series, None)
    if series.normal is not None:
        room = series.normal - series.baseline  # towards normal
        percent = (
            ((series.latest - series.baseline) * 100 / room).quantize(Decimal("0.1"))
            if room > 0
            else Decimal(0)
        )
        return Change(series, percent)
    code = next(c for c, m in outcomes.MEASURES.items() if m.name == series.title)
    baseline = outcomes.Score(code, series.baseline, True, 0)
    latest = outcomes.Score(code, series.latest, True, 0)
    return Change(series, outcomes.change(code, baseline, latest))


# A point gets its own dot (with its date and value to hover) while the dots stay this many
# pixels apart; a longer series — years of weekly scores — is drawn as its line, with dots at its
# two ends, and described in words rather than value by value.
DOT_SPACING = 8
DESCRIBED_LAST = 10  # the values a long series' description lists, the latest


def svg_chart(series: Series, width: int = 420, height: int = 160) -> str:
    """A line chart with a title, a description for screen readers, axes and labelled points."""
    left, right, top, bottom = 40, 10, 14, 24
    points = series.points
    span = (series.high - series.low) or Decimal(1)

    def y(value: Decimal) -> float:
        return top + float((series.high - value) / span) * (height - top - bottom)

    def x(index: int) -> float:
        if len(points) == 1:
            return left + (width - left - right) / 2
        return left + index * (width - left - right) / (len(points) - 1)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points)
    )
    every_point = len(points) <= 1 or (width - left - right) / (len(points) - 1) >= DOT_SPACING
    dotted = range(len(points)) if every_point else (0, len(points) - 1)
    dots = "".join(
        f'<circle cx="{x(i):.1f}" cy="{y(points[i][1]):.1f}" r="3"><title>'
        f"{points[i][0]:%b %-d, %Y}: {points[i][1]}{escape(series.unit)}</title></circle>"
        for i in dotted
    )
    title = escape(series.title)
    ident = slugify(series.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="progress">'
        f'<title id="{ident}-title">{title}</title>'
        f'<desc id="{ident}-desc">{escape(_described(series, every_point))}</desc>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#999"/>'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
        f'stroke="#999"/>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="10">{series.high}</text>'
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" font-size="10">'
        f"{series.low}</text>"
        f'<text x="{left}" y="{height - 6}" font-size="10">{points[0][0]:%b %Y}</text>'
        f'<text x="{width - right}" y="{height - 6}" text-anchor="end" font-size="10">'
        f"{points[-1][0]:%b %Y}</text>"
        f'<path d="{path}" fill="none" stroke="#1d6fb8" stroke-width="2"/>{dots}</svg>'
    )


def _described(series: Series, every_point: bool) -> str:
    """The chart in words: every value, or for a long series its extent, its lowest and highest
    and its latest values."""

    def value(point: tuple[date, Decimal]) -> str:
        return f"{point[0]:%Y-%m-%d}: {point[1]}{series.unit}"

    points = series.points
    if every_point:
        return "; ".join(value(point) for point in points)
    lowest = min(points, key=lambda point: point[1])
    highest = max(points, key=lambda point: point[1])
    return _(
        "%(count)s values from %(first)s to %(last)s. Lowest %(lowest)s; highest %(highest)s. "
        "The latest %(shown)s: %(latest)s"
    ) % {
        "count": len(points),
        "first": f"{points[0][0]:%Y-%m-%d}",
        "last": f"{points[-1][0]:%Y-%m-%d}",
        "lowest": value(lowest),
        "highest": value(highest),
        "shown": DESCRIBED_LAST,
        "latest": "; ".join(value(point) for point in points[-DESCRIBED_LAST:]),
    }


def progress_report_pdf(
    client: Client,
    *,
    recipient: str,
    purpose: str,
    client_consented: bool,
    consent_method: str,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> bytes:
    """The one-page progress report, disclosed to `recipient` only with the client's consent;
    the disclosure is recorded and audited as an export."""
    if not client_consented:
        raise RecordError(_("The client must consent to sending their progress report."))
    if not recipient.strip() or not purpose.strip():
        raise RecordError(_("Say who receives the report and why."))
    if consent_method not in ConsentMethod.values:
        raise RecordError(_("Say whether the client consented verbally or in writing."))
    now = now or timezone.now()
    changes = [change_of(s) for s in client_series(client)]
    pdf = render_pdf(
        "records/progress_report.html",
        {
            "client": client,
            "practice": client.practice,
            "changes": changes,
            "charts": [svg_chart(change.series) for change in changes],
            "recipient": recipient,
            "purpose": purpose,
            "today": timezone.localdate(now, client.practice.zone),
            "by": by,
        },
    )
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            practice=client.practice,
            client=client,
            recipient=recipient.strip(),
            purpose=purpose.strip(),
            consent_method=consent_method,
            disclosed_by=acting_user(by),
            disclosed_at=now,
        )
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.EXPORT,
            record=disclosure,
            client=client,
            request=request,
            detail=f"progress report to {recipient.strip()}",
        )
    return pdf
