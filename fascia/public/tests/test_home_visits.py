"""The public site's home-visit check, and a new client booking an in-home visit in the
browser with the travel fee shown before they pick a time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as WebClient

from fascia.public.tests.emails import emailed_link
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import MobileWeek
from fascia.tests.accessibility import assert_accessible


@pytest.fixture
def homes(mobile_week: MobileWeek) -> MobileWeek:
    practice = mobile_week.practice
    practice.works_statutory_holidays = True
    practice.save()
    mobile = mobile_week.mobile
    mobile.travel_base_fee = Decimal("20.00")
    mobile.travel_free_km = Decimal("15")
    mobile.travel_fee_per_km = Decimal("1.00")
    mobile.save()
    guelph = mobile_week.areas["Guelph"]
    guelph.weekdays = [1]
    guelph.save()
    return mobile_week


def test_do_you_come_to_my_postal_code(homes: MobileWeek, client: WebClient) -> None:
    url = f"/book/{homes.practice.slug}/home-visits/"
    page = client.get(url, {"postal_code": "n1g2w1"}).content.decode()
    assert "Yes, we come to N1G 2W1 (Guelph)" in page
    assert "Home visits in Guelph are on Tuesdays." in page
    assert "Travel fee $" in page
    refused = client.get(url, {"postal_code": "K1A 0B1"}).content.decode()
    assert "We don&#x27;t visit K1A 0B1 yet. Home visits cover: Brampton, Guelph" in refused
    assert "Enter a Canadian postal code" in client.get(url, {"postal_code": "x"}).content.decode()


@pytest.mark.browser
def test_new_client_books_a_home_visit_seeing_the_travel_fee(
    live_server: Any, page: Any, homes: MobileWeek
) -> None:
    homes.practice.tax_number = "123456789RT0001"
    homes.practice.save()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Do you come to my home?").click()
    page.get_by_label("Your postal code").fill("M5V 3L9")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Travel fee $46.20 (41.2 km)").wait_for()
    page.get_by_role("link", name="Book a home visit").click()
    page.get_by_role("link", name="60 min · $120.00 + HST").click()
    page.get_by_role("link", name="Anyone").click()
    page.get_by_label("Your postal code").fill("M5V 3L9")
    page.get_by_role("button", name="Check and continue").click()
    page.get_by_role("heading", name="Choose a time").wait_for()
    assert "Travel fee $46.20 (41.2 km)" in page.locator(".travel-fee").inner_text()
    page.get_by_role("link", name="Later →").click()
    page.locator("button.time").first.click()

    page.get_by_role("heading", name="Confirm your appointment").wait_for()
    # The whole cost before confirming: HST on the treatment ($15.60) and on the travel fee
    # ($6.01), as the receipt will show it.
    costs = page.locator(".price-lines").inner_text()
    assert "Travel fee (41.2 km)\t$46.20" in costs
    assert "HST (13%)\t$21.61" in costs
    assert "Total\t$187.81" in costs
    assert_accessible(page)
    page.get_by_label("Street address").fill("1 Blue Jays Way")
    page.get_by_label("City").fill("Toronto")
    page.get_by_label("First name (legal)").fill("Jordan")
    page.get_by_label("Last name (legal)").fill("Rivera")
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("I have read and accept the cancellation policy").check()
    page.get_by_role("button", name="Book appointment").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    page.goto(live_server.url + emailed_link("jordan@example.com"))
    assert "Your home (M5V 3L9)" in page.content()
    page.get_by_role("button", name="Confirm booking").click()

    page.get_by_role("heading", name="You're booked").wait_for()
    assert "travel fee $46.20" in page.content()
    appointment = Appointment.objects.get(client__email="jordan@example.com")
    assert appointment.location == homes.mobile
    assert (appointment.visit_postal_code, appointment.travel_fee) == ("M5V 3L9", Decimal("46.20"))
