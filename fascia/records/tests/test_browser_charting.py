"""A therapist takes a new client from intake to a signed note — health history with a red
flag, consent, body chart — and gives a self-care plan, entirely in the browser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fascia.records.models import Consent, HealthHistory, SelfCarePlan, TreatmentNote
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import SOON, ClinicWeek, at
from fascia.staff.tests.test_browser_calendar import sign_in
from fascia.staff.tests.test_browser_front_desk_day import shot
from fascia.tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser


def both_widths(page: Any, name: str) -> None:
    """Screenshots at desktop and tablet widths, for a person to look at."""
    for width, label in ((1280, "desktop"), (820, "tablet")):
        page.set_viewport_size({"width": width, "height": 1000})
        shot(page, f"{name}-{label}")
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_intake_consent_body_chart_and_signed_note_in_the_browser(
    live_server: Any, page: Any, open_week: ClinicWeek, monkeypatch: Any
) -> None:
    visit = book_appointment(
        open_week.practice, open_week.request(at(SOON, 10), as_staff=True)
    ).appointment
    # The client is on the table: it is a quarter past the visit's start.
    monkeypatch.setattr(timezone, "now", lambda: visit.starts_at + timedelta(minutes=15))
    client = open_week.client
    sign_in(page, live_server, open_week.maya.user.email)

    # Health history, taken with the client: one red flag, one section passed over.
    page.goto(f"{live_server.url}/staff/clients/{client.pk}/health-history/")
    page.get_by_label("What brings you in, and what would you like from treatment?").fill(
        "Neck pain from desk work"
    )
    page.get_by_label("Blood thinners (e.g. warfarin, apixaban, daily aspirin)").check()
    # Pregnancy's follow-ups open only once "pregnant" is answered yes.
    assert page.get_by_label("How many weeks?").is_hidden()
    page.get_by_label("Are you pregnant?").select_option("yes")
    page.get_by_label("How many weeks?").wait_for()
    page.get_by_label("Are you pregnant?").select_option("no")
    page.locator("#id_skip_medications_and_allergies").check()
    page.locator("#id_why_medications_and_allergies").fill("Will bring the list")
    page.get_by_role("button", name="Save health history").click()
    page.get_by_role("heading", name=f"Chart · {client.display_name}").wait_for()
    assert "Blood thinners or a bleeding disorder" in page.locator(".alerts").inner_text()

    # The note: alerts at the top; signing without consent is refused with the reasons.
    page.get_by_role("link", name="Start note").click()
    page.get_by_role("heading", name="Before treating: alerts").wait_for()
    page.get_by_role("button", name="Start note", exact=True).click()
    page.get_by_label("Subjective").wait_for()
    page.get_by_label("Subjective").fill("Neck pain 6/10, worse after work.")
    page.locator("input[name=mark_kind][value=trigger_point]").check()
    page.locator('svg[data-view="back"] rect[data-area="neck_back"]').click()
    page.locator('svg[data-view="back"] rect[data-area="upper_back"]').click()
    assert "trigger point: Back of neck (back)" in page.locator(".mark-list").inner_text()
    # Front and back side by side, large enough for a finger on a tablet, with a key.
    front = page.locator('svg[data-view="front"]').bounding_box()
    back = page.locator('svg[data-view="back"]').bounding_box()
    assert front and back and abs(front["y"] - back["y"]) < 1 and front["width"] >= 250
    assert page.locator(".mark-key li").count() == 8
    assert page.locator('.marks use[href="#mark-symbol-trigger_point"]').count() == 2
    page.locator(".body-chart").scroll_into_view_if_needed()
    both_widths(page, "body-chart")
    page.get_by_label("Swedish (relaxation)").check()
    page.get_by_role("button", name="Sign note").click()
    reasons = page.get_by_role("alert").inner_text()
    assert "Acknowledge the alert" in reasons
    assert "No consent to treatment is on file" in reasons

    # Consent: written, signed on the pad.
    page.get_by_role("link", name="Record consent").click()
    # The form starts from the visit's treatment, with the usual words to go over and edit.
    assert (
        page.get_by_label("Nature of the treatment").input_value() == "Swedish massage, 60 minutes."
    )
    assert "physiotherapy" in page.get_by_label("Alternatives").input_value()
    assert page.get_by_role("group", name="Head and neck").is_visible()  # areas as checkboxes
    page.get_by_role("checkbox", name="Back of neck").check()
    assert_accessible(page)
    both_widths(page, "consent")
    page.get_by_label("Nature of the treatment").fill("Swedish massage of neck and upper back")
    page.get_by_label("Expected benefits").fill("Less neck pain")
    page.get_by_label("Material risks and side effects").fill(
        "Soreness; bruising is likelier on blood thinners"
    )
    page.get_by_label("Alternatives").fill("Exercise, physiotherapy")
    page.get_by_label("Likely consequences of not having it").fill("Pain may persist")
    page.get_by_label("I told the client they can withdraw consent").check()
    page.get_by_label("Consent given").check()
    page.get_by_label("Written (signed)").check()
    page.get_by_label("Client's printed name").fill("Alex Morgan")
    page.locator("#signature-pad").scroll_into_view_if_needed()
    pad = page.locator("#signature-pad").bounding_box()
    assert pad is not None
    page.mouse.move(pad["x"] + 20, pad["y"] + 60)
    page.mouse.down()
    page.mouse.move(pad["x"] + 120, pad["y"] + 90, steps=5)
    page.mouse.move(pad["x"] + 220, pad["y"] + 40, steps=5)
    page.mouse.up()
    page.get_by_role("button", name="Record consent").click()

    # Back on the note: acknowledge the alert and sign.
    page.get_by_role("heading", name="Before treating: alerts").wait_for()
    page.get_by_label("Blood thinners or a bleeding disorder", exact=False).check()
    page.get_by_role("button", name="Sign note").click()
    page.get_by_text("Note signed. It can now only be amended.").wait_for()

    # Self-care: two items from the library, and when to come back; sent to the client.
    page.get_by_role("checkbox", name="Upper trapezius stretch").check()
    page.get_by_label("Note for Upper trapezius stretch").fill("Right side first")
    page.get_by_role("checkbox", name="Heat for tight muscles").check()
    page.get_by_label("Recommended next visits").fill("weekly for 3 more weeks")
    page.get_by_role("button", name="Give self-care plan").click()
    page.get_by_text("Self-care plan given and sent to the client.").wait_for()
    plan = SelfCarePlan.objects.get(appointment=visit)
    assert {item["name"]: item["note"] for item in plan.items} == {
        "Upper trapezius stretch": "Right side first",
        "Heat for tight muscles": "",
    }
    assert plan.next_visits == "weekly for 3 more weeks"

    note = TreatmentNote.objects.get(appointment=visit)
    assert note.is_signed and note.acknowledged_alerts == ["anticoagulants"]
    assert {mark["area"] for mark in note.body_chart} == {"neck_back", "upper_back"}
    assert set(note.areas_treated) == {"neck_back", "upper_back"}
    consent = Consent.objects.get(client=client)
    assert consent.method == "written" and consent.signature.startswith("<svg")
    # The section's one "prefer not to answer" covers what it left blank; pregnancy's
    # follow-ups, closed by "no", are neither answered nor skipped.
    assert HealthHistory.objects.get(client=client).skipped == dict.fromkeys(
        ["medications", "allergies", "lotion_allergy"], "Will bring the list"
    )
