"""A new client books a visit in the browser (confirming it by the emailed link and choosing a
password), moves it, then cancels it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from fascia.public.tests.emails import emailed_link
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.tests.conftest import ClinicWeek

pytestmark = pytest.mark.browser


def test_new_client_books_moves_and_cancels_in_the_browser(
    live_server: Any, page: Any, open_week: ClinicWeek
) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Book online").click()
    page.get_by_role("link", name="60 min · $120.00").click()
    page.get_by_role("link", name="Anyone").click()
    # One clinic: straight to the times.
    page.get_by_role("heading", name="Choose a time").wait_for()
    page.get_by_role("link", name="Later →").click()
    page.locator("button.time").first.click()

    page.get_by_role("heading", name="Confirm your appointment").wait_for()
    page.get_by_label("First name (legal)").fill("Jordan")
    page.get_by_label("Last name (legal)").fill("Rivera")
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Mobile phone").fill("416 555 0123")
    page.get_by_role("button", name="Book appointment").click()
    assert "read and accept the cancellation policy" in page.get_by_role("alert").inner_text()
    page.get_by_label("I have read and accept the cancellation policy").check()
    page.get_by_role("button", name="Book appointment").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    page.goto(live_server.url + emailed_link("jordan@example.com"))
    page.get_by_role("button", name="Confirm booking").click()
    page.get_by_role("heading", name="You're booked").wait_for()
    page.get_by_label("New password").fill("a-long-enough-password")
    page.get_by_label("The same password again").fill("a-long-enough-password")
    page.get_by_role("button", name="Save password").click()
    page.get_by_text("Password saved").wait_for()
    appointment = Appointment.objects.get(client__email="jordan@example.com")
    first_start = appointment.starts_at

    # Saving the password lands on the account page.
    page.get_by_role("link", name="Change time").click()
    page.get_by_role("link", name="Later →").click()
    page.get_by_role("link", name="Later →").click()
    page.locator("button.time").nth(2).click()
    page.get_by_role("button", name="Move my appointment").click()
    page.get_by_role("heading", name="You're booked").wait_for()
    appointment.refresh_from_db()
    assert appointment.starts_at > first_start

    page.get_by_role("link", name="My appointments").click()
    # The click navigates: wait for the account page rather than reading the old one.
    page.get_by_role("heading", name="Upcoming appointments").wait_for()
    expect(page.get_by_test_id("upcoming-appointment")).to_have_count(1)
    page.get_by_role("link", name="Cancel appointment…").click()
    page.get_by_text("There is no fee").wait_for()
    page.get_by_role("button", name="Cancel the appointment").click()
    page.get_by_text("Your appointment is cancelled").wait_for()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    expect(page.get_by_test_id("upcoming-appointment")).to_have_count(0)
