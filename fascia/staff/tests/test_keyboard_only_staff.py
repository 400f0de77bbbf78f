"""Keyboard only, on the staff side: a therapist records a client's written consent (the client
signs by typing their name, the pad's alternative) and the front desk takes a payment at
checkout, with the Tab, arrow, Space, Enter and typing keys alone (no mouse)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fascia.billing.models import Payment, Receipt
from fascia.conftest import PASSWORD
from fascia.public.tests.test_keyboard_only import press, tab_to, type_into
from fascia.records.models import Consent
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import AppointmentStatus
from fascia.scheduling.tests.conftest import SOON, ClinicWeek, at
from fascia.tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser


def sign_in_with_keys(page: Any, origin: str, email: str) -> None:
    page.goto(f"{origin}/accounts/sign-in/")
    type_into(page, page.locator("#id_username"), email)
    type_into(page, page.locator("#id_password"), PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{origin}/staff/")


@pytest.fixture
def visit_under_way(open_week: ClinicWeek, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A visit that started a quarter of an hour ago (the client is on the table)."""
    visit = book_appointment(
        open_week.practice, open_week.request(at(SOON, 10), as_staff=True)
    ).appointment
    monkeypatch.setattr(timezone, "now", lambda: visit.starts_at + timedelta(minutes=15))
    return visit


def test_a_written_consent_signed_by_typing_with_the_keyboard_alone(
    live_server: Any, page: Any, open_week: ClinicWeek, visit_under_way: Any
) -> None:
    visit = visit_under_way
    client = visit.client
    sign_in_with_keys(page, live_server.url, open_week.maya.user.email)
    page.goto(f"{live_server.url}/staff/clients/{client.pk}/consents/new/?appointment={visit.pk}")
    assert_accessible(page)
    press(page, page.get_by_label("I told the client they can withdraw consent"), " ")
    press(page, page.get_by_label("Consent given"), " ")
    # A radio group is one stop for Tab; the arrow keys move within it (verbal is the default).
    press(page, page.get_by_label("Verbal (recorded by the therapist)"), "ArrowDown")
    assert page.get_by_label("Written (signed)").is_checked()
    type_into(page, page.get_by_label("Client's printed name"), "Casey Mapleclient")
    press(page, page.get_by_label("The client signs by typing their name above"), " ")
    press(page, page.get_by_role("button", name="Record consent"))
    page.wait_for_url(f"**/staff/appointments/{visit.pk}/note/**")
    consent = Consent.objects.get(client=client)
    assert (consent.method, consent.given) == ("written", True)
    assert consent.signature == consent.signed_name == "Casey Mapleclient"


def test_taking_a_payment_at_checkout_with_the_keyboard_alone(
    live_server: Any, page: Any, open_week: ClinicWeek, visit_under_way: Any
) -> None:
    visit = visit_under_way
    set_attendance(visit, AppointmentStatus.ARRIVED, by=open_week.cast.front_desk)
    sign_in_with_keys(page, live_server.url, open_week.cast.front_desk.email)
    page.goto(f"{live_server.url}/staff/visits/{visit.pk}/checkout/")
    owing = page.get_by_test_id("owing").inner_text()
    assert_accessible(page)
    amount = page.locator("#id_amount_1")
    tab_to(page, amount)
    page.keyboard.press("Control+A")
    page.keyboard.type(owing.replace("$", "").replace(",", ""))
    method = page.locator("#id_method_1")
    tab_to(page, method)
    page.keyboard.type("Debit")  # a focused list picks the option typed
    assert method.input_value() == "debit"
    press(page, page.get_by_role("button", name="Take payment and issue receipt"))
    page.get_by_test_id("receipt-issued").wait_for()
    assert list(Payment.objects.values_list("method", flat=True)) == ["debit"]
    assert Receipt.objects.filter(invoice__appointment=visit).count() == 1
