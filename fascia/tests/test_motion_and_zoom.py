"""Reduced motion and 400% zoom (WCAG 2.3.3 and 1.4.10): nothing moves for a person whose
system asks for less motion, and the client's pages reflow at 320 CSS pixels — a 1280-pixel
window zoomed to 400% — without scrolling sideways, in English and French."""

from __future__ import annotations

from typing import Any

import pytest

from fascia.scheduling.tests.conftest import ClinicWeek
from fascia.tests.test_accessibility_crawl import sign_in

pytestmark = pytest.mark.browser

MOVING = """() => [...document.querySelectorAll('*')].filter(element => {
    const style = getComputedStyle(element);
    const seconds = text => Math.max(...text.split(',').map(part => parseFloat(part) || 0));
    return seconds(style.transitionDuration) > 0.01 || seconds(style.animationDuration) > 0.01;
}).map(element => element.tagName + '.' + element.className).slice(0, 5)"""

# What sticks out to the right of a 320-pixel window (empty when nothing does).
SIDEWAYS = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
    [...document.querySelectorAll('body *')]
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map(element => `${element.tagName.toLowerCase()}.${element.className} ` +
                    `(${Math.round(element.getBoundingClientRect().right)}px)`)
    .slice(0, 5)"""


def test_nothing_moves_when_the_system_asks_for_less_motion(
    live_server: Any, page: Any, open_week: ClinicWeek
) -> None:
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, live_server.url, open_week.cast.front_desk.email)
    for path in ("/staff/calendar/", "/staff/", "/book/maple/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(MOVING) == [], path


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_client_pages_reflow_at_four_hundred_percent_zoom(
    live_server: Any, browser: Any, open_week: ClinicWeek, language: str
) -> None:
    open_week.practice.works_statutory_holidays = True
    open_week.practice.save()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    origin = live_server.url
    service = open_week.service.pk
    choice = f"service={service}&minutes=60&therapist=any&location={open_week.clinic.pk}"
    public = [
        f"/book/maple/?lang={language}",
        "/book/maple/services/",
        f"/book/maple/therapist/?service={service}&minutes=60",
        f"/book/maple/time/?{choice}",
        "/book/maple/conditions/sciatica/",
        "/book/maple/contact/",
        "/therapists/",
        "/accessibility/",
    ]
    for path in public:
        page.goto(f"{origin}{path}")
        assert page.evaluate(SIDEWAYS) == [], path
    sign_in(page, origin, open_week.cast.client_user.email)
    for path in ("/account/", f"/account/health-history/{open_week.client.pk}/"):
        page.goto(f"{origin}{path}")
        assert page.get_attribute("html", "lang") == language
        assert page.evaluate(SIDEWAYS) == [], path
    context.close()
