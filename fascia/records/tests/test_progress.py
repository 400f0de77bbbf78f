"""Progress over visits: series, accessible charts, and the progress report disclosed only with
the client's consent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from fascia.audit.models import AuditEntry
from fascia.records.actions import RecordError, record_outcome, record_range_of_motion
from fascia.records.models import Disclosure
from fascia.records.progress import change_of, client_series, progress_report_pdf, svg_chart
from fascia.records.tests.conftest import Chart
from fascia.scheduling.tests.conftest import NOW


def measured(chart: Chart) -> None:
    for weeks, pain, ndi, flexion in ((0, 8, 4, 120), (4, 5, 3, 150), (8, 2, 1, 170)):
        when = NOW + timedelta(weeks=weeks)
        record_outcome(chart.client, measure="nprs", answers=[pain], now=when)
        record_outcome(chart.client, measure="ndi", answers=[ndi] * 10, now=when)
        record_range_of_motion(
            chart.client,
            joint="shoulder",
            movement="flexion",
            side="right",
            degrees=Decimal(flexion),
            now=when,
        )


def test_series_and_changes_from_baseline(chart: Chart) -> None:
    measured(chart)
    changes = {s.title: change_of(s) for s in client_series(chart.client)}
    assert changes["Numeric Pain Rating Scale"].percent == Decimal("75.0")  # 8 -> 2 of 8
    assert changes["Neck Disability Index"].described == "75.0% better"  # 80% -> 20%
    assert changes["Right shoulder flexion"].percent == Decimal("83.3")  # 120 -> 170 of 60


def test_charts_are_accessible_svg(chart: Chart) -> None:
    measured(chart)
    series = next(s for s in client_series(chart.client) if s.title.startswith("Numeric"))
    svg = svg_chart(series)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="numeric-pain-rating-scale-title">Numeric Pain Rating Scale</title>' in svg
    assert "2031-03-01: 8.0/10" in svg  # the values, for screen readers


def test_the_report_needs_the_clients_consent_and_is_audited(chart: Chart, signed_in: Any) -> None:
    measured(chart)
    with pytest.raises(RecordError, match="must consent"):
        progress_report_pdf(
            chart.client,
            recipient="Dr. Lee",
            purpose="Review",
            client_consented=False,
            consent_method="verbal",
            by=chart.maya,
        )
    assert not Disclosure.objects.exists()
    web = signed_in(chart.maya)
    response = web.post(
        f"/staff/clients/{chart.client.pk}/progress-report/",
        {
            "recipient": "Dr. Lee, family physician",
            "purpose": "Insurance review",
            "client_consented": "on",
            "consent_method": "written",
        },
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disclosure = Disclosure.objects.get()
    assert disclosure.recipient == "Dr. Lee, family physician"
    assert AuditEntry.objects.filter(
        action="export", detail="progress report to Dr. Lee, family physician"
    ).exists()


def test_assessment_forms_on_the_chart(chart: Chart, signed_in: Any) -> None:
    web = signed_in(chart.maya)
    url = f"/staff/clients/{chart.client.pk}/chart/"
    page = web.post(
        url, {"action": "outcome", "measure": "ndi", "scores": "2,2,2,2,2,2,2,2,,"}, follow=True
    )
    assert "NDI recorded: 40.0 moderate" in page.content.decode()
    page = web.post(
        url,
        {"action": "rom", "movement": "shoulder:flexion", "side": "left", "degrees": "135"},
        follow=True,
    )
    assert "shoulder flexion: 135° (75% of normal)" in page.content.decode()
    refused = web.post(
        url,
        {"action": "rom", "movement": "shoulder:flexion", "side": "left", "degrees": "400"},
        follow=True,
    )
    assert "outside physiological limits" in refused.content.decode()
