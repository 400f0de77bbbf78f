"""Keyboard only: a client books an in-home visit on the practice's site with the Tab, Enter,
Space and typing keys alone (no mouse, no programmatic focus)."""

from __future__ import annotations

from typing import Any

import pytest

from fascia.public.tests.emails import emailed_link
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import MobileWeek

pytestmark = pytest.mark.browser

MAX_TABS = 150


def tab_to(page: Any, target: Any) -> None:
    """Press Tab until `target` has the keyboard focus (failing if it never does: it cannot be
    reached without a mouse)."""
    handle = target.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            visible = page.evaluate(
                """element => { const r = element.getBoundingClientRect();
                   return r.width > 0 && r.height > 0 &&
                          getComputedStyle(element).outlineStyle !== 'none' ||
                          getComputedStyle(element).boxShadow !== 'none'; }""",
                handle,
            )
            assert visible, "the focused control shows no focus indicator"
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def press(page: Any, target: Any, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Any, target: Any, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def test_booking_a_home_visit_with_the_keyboard_alone(
    live_server: Any, page: Any, mobile_week: MobileWeek
) -> None:
    practice = mobile_week.week.practice
    practice.works_statutory_holidays = True
    practice.save()
    page.goto(f"{live_server.url}/book/{practice.slug}/")
    press(page, page.get_by_role("link", name="Book online"))
    page.get_by_role("heading", name=f"Book with {practice.public_name}").wait_for()
    press(page, page.get_by_role("link", name="60 min · $120.00"))
    press(page, page.get_by_role("link", name="Anyone"))
    type_into(page, page.get_by_label("Your postal code"), "L6Y 2B2")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Choose a time").wait_for()
    press(page, page.get_by_role("link", name="Later →"))
    page.get_by_role("heading", name="Choose a time").wait_for()
    press(page, page.locator("button.time").first)
    page.get_by_role("heading", name="Confirm your appointment").wait_for()
    type_into(page, page.get_by_label("Street address"), "12 Elm Drive")
    type_into(page, page.get_by_label("City"), "Brampton")
    type_into(page, page.get_by_label("First name (legal)"), "Riley")
    type_into(page, page.get_by_label("Last name (legal)"), "Novak")
    type_into(page, page.get_by_label("Email"), "riley@example.com")
    press(page, page.get_by_label("I have read and accept the cancellation policy"), "Space")
    press(page, page.get_by_role("button", name="Book appointment"))
    page.get_by_role("heading", name="Check your email").wait_for()
    page.goto(live_server.url + emailed_link("riley@example.com"))  # the emailed link
    press(page, page.get_by_role("button", name="Confirm booking"))
    page.get_by_role("heading", name="You're booked").wait_for()
    visit = Appointment.objects.get(client__email="riley@example.com")
    assert visit.location == mobile_week.mobile and visit.visit_postal_code == "L6Y 2B2"
