"""A client's page for staff: coming and past visits with their status, what the client owes,
what their insurance has left, alerts (what they say only for the clinical roles), the forms
still due, and the buttons to book, check out and write to the client."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from fascia.audit.models import AuditEntry
from fascia.billing import actions
from fascia.billing.checkout import what_is_owed
from fascia.billing.tests.test_checkout import arrived_now
from fascia.billing.tests.test_coverage import policy
from fascia.notifications.models import OutboundMessage
from fascia.records.history import submit_health_history
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at
from fascia.staff.tests.test_browser_calendar import sign_in
from fascia.staff.tests.test_browser_front_desk_day import shot
from fascia.tests.accessibility import assert_accessible


def test_the_front_desk_sees_visits_balance_coverage_and_what_to_do_next(
    week: ClinicWeek, signed_in: Any
) -> None:
    coming = book_appointment(week.practice, week.request(at(MONDAY, 14)), now=NOW).appointment
    visit = arrived_now(week)
    set_attendance(visit, "completed")
    invoice = actions.invoice_appointment(visit, by=week.cast.front_desk)
    actions.record_payment(invoice, amount_paid="20.00", method="cash")
    policy(week)
    desk = signed_in(week.cast.front_desk)

    page = desk.get(reverse("staff:client-detail", args=[week.client.pk])).content.decode()

    owed = what_is_owed(visit).balance
    assert owed == Decimal("100.00")
    assert "$100.00</p><p>owing" in page
    assert "<strong>$500.00</strong> of $500.00 with Sun Life" in page
    assert reverse("billing:checkout", args=[visit.pk]) in page  # today's unpaid visit
    assert f"{reverse('staff:calendar')}?client={week.client.pk}" in page
    assert "Health history not filled in yet" in page
    assert "Email the health-history form" in page
    coming_visits, past_visits = page.split("Past visits")
    assert coming.starts_at.astimezone(week.practice.zone).strftime("%b %-d, %Y") in coming_visits
    assert "Not paid yet" in coming_visits  # today's visit is still to pay
    assert "No visits yet." in past_visits


def test_alerts_say_what_they_are_only_to_the_clinical_roles(
    week: ClinicWeek, signed_in: Any
) -> None:
    submit_health_history(
        week.client, answers={"symptoms_today": ["fever"]}, source="staff", now=NOW
    )
    url = reverse("staff:client-detail", args=[week.client.pk])
    therapist = signed_in(week.cast.therapist_user).get(url).content.decode()
    desk = signed_in(week.cast.front_desk).get(url).content.decode()
    assert "Fever today: reschedule" in therapist
    assert "Fever today" not in desk
    assert "The health history raises an alert for the therapist." in desk
    # The therapist does not handle money: no balance, coverage or checkout.
    assert "Insurance left this year" not in therapist and "Insurance left this year" in desk
    assert "Health history not filled in yet" not in therapist


def test_staff_write_to_the_client_and_send_the_health_history_form(
    week: ClinicWeek, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    desk = signed_in(week.cast.front_desk)
    message_url = reverse("staff:client-message", args=[week.client.pk])
    sent = desk.post(
        message_url, {"channel": "email", "subject": "", "body": "Your parking pass is ready."}
    )
    assert sent.status_code == 302
    message = OutboundMessage.objects.get(to=week.client.email)
    assert message.body == "Your parking pass is ready."
    assert message.subject == f"A message from {week.practice.public_name}"
    assert AuditEntry.objects.filter(
        client=week.client, detail="message to the client by email"
    ).exists()

    empty = desk.post(message_url, {"channel": "email", "body": "   "})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    week.client.phone = ""
    week.client.save()
    no_phone = desk.post(message_url, {"channel": "sms", "body": "Running late?"})
    assert "The client has no mobile number: add one first." in no_phone.content.decode()
    assert OutboundMessage.objects.count() == 1

    desk.post(reverse("staff:client-send-health-history", args=[week.client.pk]))
    form = OutboundMessage.objects.exclude(pk=message.pk).get()
    assert "[[link:intake:" in form.body  # the link itself is made only when it is sent
    assert form.subject == f"Your health history for {week.practice.public_name}"


def test_the_book_button_opens_the_calendar_booking_for_that_client(
    week: ClinicWeek, signed_in: Any
) -> None:
    desk = signed_in(week.cast.front_desk)
    page = desk.get(reverse("staff:calendar"), {"client": week.client.pk})
    assert page.context["setup"]["bookFor"]["id"] == week.client.pk
    assert desk.get(reverse("staff:calendar"), {"client": "999999"}).status_code == 404
    assert desk.get(reverse("staff:calendar"), {"client": "x"}).status_code == 400


@pytest.mark.browser
def test_the_client_page_reads_well_on_a_tablet_and_a_phone(
    live_server: Any, page: Any, week: ClinicWeek
) -> None:
    book_appointment(week.practice, week.request(at(MONDAY, 14)), now=NOW)
    policy(week)
    sign_in(page, live_server, week.cast.front_desk.email)
    for name, width in (("tablet", 820), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 1100})
        page.goto(f"{live_server.url}{reverse('staff:client-detail', args=[week.client.pk])}")
        page.get_by_role("heading", name="Coming visits").wait_for()
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
        shot(page, f"client-page-{name}")
    page.get_by_role("link", name="Book", exact=True).click()
    page.get_by_text(f"Choose a free time to book for {week.client.display_name}").wait_for()
