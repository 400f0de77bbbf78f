"""Progress over visits: series, accessible charts, and the progress report disclosed only with
the client's consent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from fascia.audit.models import AuditEntry
from fascia.records.assessment import record_outcome, record_range_of_motion
from fascia.records.consents import record_consent
from fascia.records.errors import RecordError
from fascia.records.models import Disclosure
from fascia.records.progress import (
    Series,
    change_of,
    client_series,
    progress_report_pdf,
    svg_chart,
)
from fascia.records.tests.conftest import Chart, consent_to
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
    assert svg.count("<circle") == 3  # a dot to hover for each score


def test_years_of_weekly_scores_are_drawn_as_a_line_and_described_in_words() -> None:
    start = NOW.date()
    points = [(start + timedelta(weeks=n), Decimal(8 - (n % 7))) for n in range(500)]
    series = Series("Numeric Pain Rating Scale", "/10", points, Decimal(0), Decimal(10), False)
    svg = svg_chart(series)

    line = svg.split('<path d="', 1)[1].split('"', 1)[0]
    assert line.count("L") == 499  # the line still goes through every score
    # Dots 0.7 px apart would be one smudge: only the first and the latest have one.
    assert svg.count("<circle") == 2
    first, latest = points[0][0], points[-1][0]
    assert f"{first:%b %-d, %Y}: 8/10" in svg and f"{latest:%b %-d, %Y}: " in svg
    described = svg.split("<desc", 1)[1].split("</desc>", 1)[0]
    assert f"500 values from {first:%Y-%m-%d} to {latest:%Y-%m-%d}" in described
    assert "Lowest " in described and ": 2/10" in described and ": 8/10" in described
    assert described.count(";") == 9 + 1  # the latest ten, after the lowest and highest
    assert len(svg) < 10_000


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
    form = web.get(f"/staff/clients/{chart.client.pk}/outcomes/ndi/").content.decode()
    assert "Personal care (washing, dressing)" in form and 'name="item_10"' in form
    answers = {f"item_{n}": "2" for n in range(1, 9)}  # two sections left blank: prorated
    page = web.post(f"/staff/clients/{chart.client.pk}/outcomes/ndi/", answers, follow=True)
    assert "Neck Disability Index: 40.0% · moderate · Prorated over 8 items." in (
        page.content.decode()
    )
    assert page.redirect_chain[-1][0] == url
    too_few = web.post(
        f"/staff/clients/{chart.client.pk}/outcomes/lefs/", {"item_1": "4"}, follow=True
    )
    # LEFS needs every item: kept, but marked incomplete rather than given a wrong score.
    assert "Lower Extremity Functional Scale: incomplete · Not scored: every item must be" in (
        too_few.content.decode()
    )
    psfs = web.post(
        f"/staff/clients/{chart.client.pk}/outcomes/psfs/",
        {"activity_1": "Lifting my toddler", "rating_1": "3", "activity_2": "Run", "rating_2": "6"},
        follow=True,
    )
    assert "Patient-Specific Functional Scale: 4.5/10" in psfs.content.decode()
    assert web.get(f"/staff/clients/{chart.client.pk}/outcomes/nope/").status_code == 404
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


def test_a_treatment_plan_is_written_on_the_chart_and_chosen_in_the_note(
    chart: Chart, signed_in: Any
) -> None:
    from fascia.records.models import TreatmentPlan

    web = signed_in(chart.maya)
    url = f"/staff/clients/{chart.client.pk}/chart/"
    plan = {
        "action": "plan",
        "goals": "Turn the head to drive without pain",
        "areas": ["neck_back", "upper_back"],
        "techniques": ["myofascial_release"],
        "pressure": "moderate",
        "frequency": "weekly for 4 weeks",
        "visits_planned": "4",
        "after_effects": "Soreness for a day",
    }
    page = web.post(url, plan, follow=True).content.decode()
    assert "Treatment plan saved" in page and "Record consent to this plan" in page
    refused = web.post(url, {**plan, "goals": "Also sleep through the night"}, follow=True)
    assert "consent to changing the plan first" in refused.content.decode()
    record_consent(chart.client, consent_to("plan_change"), by=chart.maya)
    web.post(url, {**plan, "goals": "Also sleep through the night"})
    first, second = TreatmentPlan.objects.order_by("pk")
    assert first.replaced_by == second  # a change is a new plan; the old stays readable
    web.post(f"/staff/appointments/{chart.appointment.pk}/note/start/")
    note_page = web.get(f"/staff/appointments/{chart.appointment.pk}/note/").content.decode()
    assert f'<option value="{second.pk}">' in note_page  # the current plan is offered
    assert f'<option value="{first.pk}">' not in note_page  # the replaced one is not
    assert signed_in(chart.week.cast.front_desk).post(url, plan).status_code == 403
